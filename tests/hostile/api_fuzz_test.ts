/**
 * Hostile HTTP input, in-process: random methods, paths, headers and bodies, huge and deeply
 * nested JSON, unicode and overlong strings. The bank never answers 5xx, and a 4xx never moves
 * money (a 422 refusal is recorded in the ledger, but no balance changes).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { BODY_BYTES_MAX } from "../../app.ts";
import { bankTest, testApp } from "../support/app.ts";
import { call, type Customer, fundedAccount, signUp } from "../support/client.ts";
import type { Sql } from "../../db/client.ts";

const RUNS = 400;

async function balancesOf(sql: Sql, userId: string): Promise<string> {
  const rows = await sql<{ id: string; balance: bigint }[]>`
    SELECT id, balance FROM accounts WHERE user_id = ${userId} ORDER BY id`;
  return rows.map((row) => `${row.id}=${row.balance}`).join(",");
}

const jsonValue = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.string({ unit: "grapheme", maxLength: 300 }).map((s) => JSON.stringify(s)),
  fc.string({ unit: "binary", maxLength: 200 }),
);

function bodyFor(fromId: string, toId: string) {
  const amount = fc.oneof(
    fc.constantFrom("1.00", "0.01", "-5", "1e3", "00.1", "9".repeat(40), "0", "NaN"),
    fc.string({ maxLength: 45 }),
    fc.double(),
    fc.integer(),
    fc.constant(null),
  );
  const id = fc.oneof(
    fc.constantFrom(fromId, toId, crypto.randomUUID(), "../accounts", "' OR 1=1 --"),
    fc.uuid(),
    fc.string({ maxLength: 40 }),
  );
  return fc.oneof(
    fc.record({
      from_account_id: id,
      to_account_id: id,
      to_account_number: fc.string({ maxLength: 40 }),
      amount,
      description: fc.string({ unit: "grapheme", maxLength: 600 }),
      currency: fc.string({ maxLength: 5 }),
      balance: fc.string(),
      user_id: fc.uuid(),
      name: fc.string({ unit: "grapheme", maxLength: 300 }),
      email: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 400 })),
      password: fc.string({ maxLength: 1100 }),
    }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
    jsonValue,
  );
}

function pathFor(customer: Customer, accountId: string) {
  const segment = fc.string({ unit: "grapheme", maxLength: 20 }).map(encodeURIComponent);
  return fc.oneof(
    fc.constantFrom(
      "/accounts",
      `/accounts/${accountId}`,
      `/accounts/${accountId}/deposit`,
      `/accounts/${accountId}/withdraw`,
      "/transactions/transfer",
      "/transactions",
      `/transactions?account_id=${accountId}&limit=100000`,
      "/transactions?limit=-1&cursor=%00",
      "/auth/login",
      "/auth/register",
      "/users",
      "/users/me",
      `/users/${customer.id}`,
      "/health",
      "/openapi.json",
    ),
    segment.map((s) => `/accounts/${s}`),
    segment.map((s) => `/transactions/${s}`),
    segment.map((s) => `/${s}`),
    fc.tuple(segment, segment).map(([a, b]) => `/accounts/${a}/${b}`),
  );
}

const headerText = fc.string({ maxLength: 300 }).map((s) => s.replace(/[^\x20-\x7e]/g, ""));

bankTest("random requests never get a 5xx and a 4xx never changes a balance", async () => {
  const { app, sql } = await testApp();
  const customer = await signUp(app, "Fuzz Target");
  const from = await fundedAccount(app, customer, "1000.00");
  const to = await fundedAccount(app, customer, "10.00");
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"),
      pathFor(customer, from.id),
      fc.option(bodyFor(from.id, to.id)),
      fc.record({
        auth: fc.oneof(
          fc.constant(`Bearer ${customer.token}`),
          headerText,
          headerText.map((t) => `Bearer ${t}`),
        ),
        contentType: fc.constantFrom(
          "application/json",
          "application/json; charset=utf-16",
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "",
        ),
        idempotencyKey: fc.option(headerText),
      }),
      async (method, path, body, headers) => {
        const before = await balancesOf(sql, customer.id);
        const init: RequestInit = {
          method,
          headers: {
            authorization: headers.auth,
            ...(headers.contentType ? { "content-type": headers.contentType } : {}),
            ...(headers.idempotencyKey !== null
              ? { "idempotency-key": headers.idempotencyKey }
              : {}),
          },
          body: method === "GET" || method === "HEAD" ? undefined : body ?? undefined,
        };
        const response = await app.request(path, init);
        await response.body?.cancel();
        assert.ok(response.status < 500, `${method} ${path} → ${response.status}`);
        if (response.status >= 400) {
          assert.equal(await balancesOf(sql, customer.id), before, `${method} ${path}`);
        }
      },
    ),
    { numRuns: RUNS },
  );
});

bankTest("a body over the limit is refused 413 and moves nothing", async () => {
  const { app, sql } = await testApp();
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "100.00");
  const to = await fundedAccount(app, customer, "0.01");
  const before = await balancesOf(sql, customer.id);
  const reply = await call(app, "POST", "/transactions/transfer", {
    token: customer.token,
    raw: JSON.stringify({
      from_account_id: from.id,
      to_account_id: to.id,
      amount: "1.00",
      description: "x".repeat(BODY_BYTES_MAX),
    }),
  });
  assert.equal(reply.status, 413);
  assert.equal(reply.body.code, "payload_too_large");
  assert.equal(await balancesOf(sql, customer.id), before);
});

bankTest("deeply nested JSON is a 400, not a crash", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const depth = Math.floor(BODY_BYTES_MAX / 2) - 10;
  for (
    const raw of [
      "[".repeat(depth) + "]".repeat(depth),
      '{"a":'.repeat(5_000) + "1" + "}".repeat(5_000),
    ]
  ) {
    const reply = await call(app, "POST", "/transactions/transfer", { token: customer.token, raw });
    assert.equal(reply.status, 400);
  }
});

bankTest(
  "registration with any unicode or overlong name answers 201 or 400, never 5xx",
  async () => {
    const { app } = await testApp();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: "grapheme", maxLength: 250 }),
          fc.string({ unit: "binary", maxLength: 250 }),
          fc.constantFrom("\u0000", "a\u0000b", "\ud800", "👩‍👩‍👧‍👦".repeat(60), "x".repeat(10_000)),
        ),
        async (name) => {
          const reply = await call(app, "POST", "/auth/register", {
            body: {
              name,
              email: `u-${crypto.randomUUID()}@example.test`,
              password: "long enough pw",
            },
          });
          assert.ok([201, 400].includes(reply.status), `${JSON.stringify(name)} → ${reply.status}`);
        },
      ),
      { numRuns: 100 },
    );
  },
);
