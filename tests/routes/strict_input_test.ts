/**
 * Strict input (../shared/API.md, Conventions): a body field or query parameter an operation does
 * not define is a 400 naming it, on every operation, and nothing moves. The tables are checked
 * against /openapi.json, so an operation added later without a row here fails this file.
 */
import assert from "node:assert/strict";
import { PROBLEM_FIELDS_MAX } from "../../routes/problem.ts";
import { bankTest, type TestApp, testApp } from "../support/app.ts";
import { loadContract } from "../support/contract.ts";
import {
  type AccountJson,
  balanceOf,
  call,
  type Customer,
  fundedAccount,
  openAccount,
  signUp,
} from "../support/client.ts";
import { authorize, issueCard } from "../support/cards.ts";
import { counterparty, sendPayment } from "../support/payments.ts";

type Json = Record<string, unknown>;
type Errors = { errors: Record<string, string[]>; code: string };

const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** A customer with one of everything, so every documented path has a real object to name. */
interface World {
  app: TestApp["app"];
  customer: Customer;
  account: AccountJson;
  other: AccountJson;
  ids: Record<string, string>;
  /** The customer's own sandbox clock (joining it is a no-op). */
  clockId: string;
  cardId: string;
  authorizationId: string;
}

async function world(): Promise<World> {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000.00");
  const other = await openAccount(app, customer);
  const token = customer.token;
  const hold = await call(app, "POST", `/accounts/${account.id}/holds`, {
    token,
    body: { amount: "10.00" },
  });
  const payment = await sendPayment(app, customer, {
    from_account_id: account.id,
    amount: "20.00",
    counterpartyNumber: "9999000009",
  });
  const key = await call(app, "POST", "/api_keys", { token, body: { name: "Strict" } });
  const endpoint = await call(app, "POST", "/webhook_endpoints", {
    token,
    body: { url: "http://localhost:8500/hooks" },
  });
  const events = await call<{ data: { id: string }[] }>(app, "GET", "/events", { token });
  const ledger = await call<{ data: { id: string }[] }>(app, "GET", "/transactions", { token });
  const clock = await call<{ id: string }>(app, "GET", "/simulations/clock", { token });
  const card = await issueCard(app, customer, account.id);
  const authorization = await authorize(app, customer, { card_id: card.id, amount: "10.00" });
  for (const reply of [hold, payment, key, endpoint, authorization]) {
    assert.equal(reply.status, 201);
  }
  // A path's {id} by its first segment: the object of that kind this customer owns.
  const ids: Record<string, string> = {
    accounts: account.id,
    holds: String(hold.body.id),
    payments: payment.body.id,
    simulations: payment.body.id,
    api_keys: String(key.body.id),
    webhook_endpoints: String(endpoint.body.id),
    events: events.body.data[0].id,
    transactions: ledger.body.data[0].id,
    users: customer.id,
    cards: card.id,
    card_authorizations: authorization.body.id,
  };
  return {
    app,
    customer,
    account,
    other,
    ids,
    clockId: clock.body.id,
    cardId: card.id,
    authorizationId: authorization.body.id,
  };
}

function concretePath(template: string, ids: Record<string, string>): string {
  // The card network's simulations name an authorization, the clearing network's a payment.
  const cardSimulation = template.startsWith("/simulations/card_authorizations/");
  const kind = cardSimulation ? "card_authorizations" : template.split("/")[1];
  return template.replace("{id}", ids[kind] ?? crypto.randomUUID());
}

/** Everything this customer has, as the API shows it: equal before and after means nothing moved. */
async function snapshot({ app, customer }: World): Promise<Json> {
  const token = customer.token;
  const read = async (path: string) => (await call(app, "GET", path, { token })).body;
  const clock = await read("/simulations/clock") as Json;
  return {
    accounts: await read("/accounts"),
    transactions: await read("/transactions?limit=100"),
    holds: await read("/holds?limit=100"),
    payments: await read("/payments?limit=100"),
    cards: await read("/cards?limit=100"),
    card_authorizations: await read("/card_authorizations?limit=100"),
    events: await read("/events?limit=100"),
    api_keys: await read("/api_keys"),
    webhook_endpoints: await read("/webhook_endpoints"),
    // `now` moves with real time; the offset is what an advance would change.
    clock_offset_seconds: clock.offset_seconds,
  };
}

/** The documented operations, as "METHOD /template" with the operation. */
async function operations(app: World["app"]): Promise<Map<string, Json>> {
  const { document } = await loadContract(app);
  const found = new Map<string, Json>();
  for (const [template, item] of Object.entries(document.paths as Record<string, Json>)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Json | undefined;
      if (operation) found.set(`${method.toUpperCase()} ${template}`, operation);
    }
  }
  return found;
}

/** A body each operation accepts (it would succeed), by "METHOD /template". */
function validBodies(
  { account, other, customer, clockId, cardId, authorizationId }: World,
): Record<string, Json> {
  const password = "correct horse battery";
  const email = () => `s-${crypto.randomUUID()}@example.test`;
  return {
    "POST /auth/register": { name: "Strict Customer", email: email(), password },
    "POST /users": { name: "Strict Customer", email: email(), password },
    "POST /auth/login": { email: customer.email, password: customer.password },
    "POST /accounts": { currency: "ZAR" },
    "POST /accounts/{id}/cards": { name_on_card: "S CUSTOMER" },
    "POST /simulations/card_authorizations": {
      card_id: cardId,
      amount: "5.00",
      merchant: { name: "Corner Shop", mcc: "5411", country: "ZA" },
    },
    // Before the other outflows (the velocity rule screens authorizations), and in this order: a final capture closes the authorization, and the refund needs a capture.
    "POST /simulations/card_authorizations/{id}/increment": { amount: "1.00" },
    "POST /simulations/card_authorizations/{id}/reverse": { amount: "1.00" },
    "POST /simulations/card_authorizations/{id}/capture": { amount: "1.00", final: true },
    "POST /simulations/card_refunds": { authorization_id: authorizationId, amount: "1.00" },
    "POST /accounts/{id}/deposit": { amount: "5.00", description: "Salary" },
    "POST /accounts/{id}/withdraw": { amount: "5.00" },
    "POST /accounts/{id}/holds": { amount: "5.00", expires_in_seconds: 60 },
    "POST /transactions/transfer": {
      from_account_id: account.id,
      to_account_id: other.id,
      amount: "5.00",
    },
    "POST /payments": {
      from_account_id: account.id,
      amount: "5.00",
      counterparty: counterparty(),
    },
    // Not atomic: by this row the account has met the velocity rule, and a refused item would
    // make an atomic batch a 422 (the body is what is under test here, not the rules).
    "POST /transactions/batch": {
      atomic: false,
      items: [{ from_account_id: account.id, to_account_id: other.id, amount: "1.00" }],
    },
    "POST /payments/bulk": {
      atomic: false,
      items: [{ from_account_id: account.id, amount: "1.00", counterparty: counterparty() }],
    },
    "POST /holds/{id}/capture": { amount: "1.00" },
    "POST /simulations/inbound_payments": {
      account_number: account.account_number,
      amount: "5.00",
      counterparty: counterparty(),
    },
    "POST /simulations/payments/{id}/return": { reason: "account_closed" },
    "POST /simulations/clock/advance": { seconds: 60 },
    "POST /account_verifications": { account_number: account.account_number, name: "Strict" },
    "POST /simulations/clock/join": { clock_id: clockId },
    "POST /fx/quotes": { from_currency: "ZAR", to_currency: "USD", sell_amount: "100.00" },
    "POST /simulations/fx_rates": { rates: { USD: "0.0571" } },
    "POST /payment_schedules": {
      from_account_id: account.id,
      amount: "5.00",
      counterparty: counterparty(),
      interval: "monthly",
      start_date: "2099-01-31",
    },
    "POST /simulations/debit_orders": {
      account_number: account.account_number,
      amount: "5.00",
      creditor: { name: "Gym Co", reference: "M-1" },
      collect_on: "2099-01-05",
    },
    "POST /api_keys": { name: "Another" },
    "POST /webhook_endpoints": { url: "http://localhost:8501/hooks" },
    "PATCH /webhook_endpoints/{id}": { enabled: false },
    // After every movement: a frozen account lets nothing out.
    "POST /accounts/{id}/freeze": { reason: "Strict input check" },
    // Last: it ends every session of the customer, the token the others use included.
    "POST /auth/password": {
      current_password: customer.password,
      new_password: "another long password",
    },
  };
}

bankTest(
  "a deposit naming a currency, on a ZAR account, answers 400 naming currency and bogus",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "100.00");
    const reply = await call<Errors>(app, "POST", `/accounts/${account.id}/deposit`, {
      token: customer.token,
      body: { amount: "50.00", currency: "USD", bogus: 1 },
    });
    assert.equal(reply.status, 400);
    assert.equal(reply.body.code, "validation_error");
    assert.deepEqual(reply.body.errors, {
      currency: ["is not a field of this operation"],
      bogus: ["is not a field of this operation"],
    });
    assert.equal(await balanceOf(app, customer, account.id), "100.00");
  },
);

bankTest("GET /transactions?created_since=... answers 400 naming the parameter", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  await fundedAccount(app, customer, "100.00");
  const reply = await call<Errors>(app, "GET", "/transactions?created_since=2030-01-01", {
    token: customer.token,
  });
  assert.equal(reply.status, 400);
  assert.deepEqual(reply.body.errors, {
    created_since: ["is not a query parameter of this operation"],
  });
});

bankTest(
  "every operation with a body answers 400 naming an unknown field, and nothing moves",
  async () => {
    const w = await world();
    const bodies = validBodies(w);
    const documented = [...(await operations(w.app))].filter(([, op]) => op.requestBody);
    assert.deepEqual(
      documented.map(([name]) => name).sort(),
      Object.keys(bodies).sort(),
      "a valid body for every operation that takes one",
    );
    const before = await snapshot(w);
    for (const [name, body] of Object.entries(bodies)) {
      const [method, template] = name.split(" ");
      const reply = await call<Errors>(w.app, method, concretePath(template, w.ids), {
        token: w.customer.token,
        body: { ...body, bogus: 1 },
      });
      assert.equal(reply.status, 400, name);
      assert.deepEqual(reply.body.errors, { bogus: ["is not a field of this operation"] }, name);
    }
    assert.deepEqual(await snapshot(w), before);
    const login = await call(w.app, "POST", "/auth/login", {
      body: { email: bodies["POST /users"].email, password: "correct horse battery" },
    });
    assert.equal(login.status, 401, "no user was registered");
    // The same bodies without the unknown field succeed: it alone was the fault.
    for (const [name, body] of Object.entries(bodies)) {
      const [method, template] = name.split(" ");
      const reply = await call(w.app, method, concretePath(template, w.ids), {
        token: w.customer.token,
        body,
      });
      assert.ok(reply.status >= 200 && reply.status < 300, `${name}: ${reply.status}`);
    }
  },
);

bankTest("an unknown field inside counterparty is named by its path", async () => {
  const w = await world();
  const bodies = validBodies(w);
  const before = await snapshot(w);
  for (const name of ["POST /payments", "POST /simulations/inbound_payments"]) {
    const [method, path] = name.split(" ");
    const reply = await call<Errors>(w.app, method, path, {
      token: w.customer.token,
      body: { ...bodies[name], counterparty: { ...counterparty(), iban: "ZA00" } },
    });
    assert.equal(reply.status, 400, name);
    assert.deepEqual(reply.body.errors, {
      "counterparty.iban": ["is not a field of this operation"],
    }, name);
  }
  assert.deepEqual(await snapshot(w), before);
});

bankTest(
  "every operation answers 400 naming an unknown query parameter, and nothing moves",
  async () => {
    const w = await world();
    const documented = [...(await operations(w.app)).keys()];
    assert.ok(documented.length >= 30, `only ${documented.length} operations`);
    const before = await snapshot(w);
    for (const name of documented) {
      const [method, template] = name.split(" ");
      const reply = await call<Errors>(
        w.app,
        method,
        `${concretePath(template, w.ids)}?bogus=1`,
        { token: w.customer.token },
      );
      assert.equal(reply.status, 400, name);
      assert.deepEqual(reply.body.errors, {
        bogus: ["is not a query parameter of this operation"],
      }, name);
    }
    assert.deepEqual(await snapshot(w), before);
  },
);

bankTest(
  "every operation without a body answers 400 naming a field sent to it, and nothing moves",
  async () => {
    const w = await world();
    const bodiless = [...(await operations(w.app))]
      .filter(([name, op]) => !op.requestBody && !name.startsWith("GET "))
      .map(([name]) => name);
    // Void, settle, redeliver and the two deletes at the time of writing.
    assert.ok(bodiless.length >= 5, bodiless.join(", "));
    const before = await snapshot(w);
    for (const name of bodiless) {
      const [method, template] = name.split(" ");
      const reply = await call<Errors>(w.app, method, concretePath(template, w.ids), {
        token: w.customer.token,
        body: { bogus: 1 },
      });
      assert.equal(reply.status, 400, name);
      assert.deepEqual(reply.body.errors, { bogus: ["is not a field of this operation"] }, name);
    }
    assert.deepEqual(await snapshot(w), before);
  },
);

bankTest("an operation without a body takes none, or {}, and refuses any other", async () => {
  const w = await world();
  const token = w.customer.token;
  const path = `/holds/${w.ids.holds}/void`;
  for (const raw of ["[]", "null", '"x"']) {
    const reply = await call<Errors>(w.app, "POST", path, { token, raw });
    assert.equal(reply.status, 400, raw);
    assert.ok(reply.body.errors.body, raw);
  }
  const notJson = await call<Errors>(w.app, "POST", path, {
    token,
    raw: "bogus=1",
    headers: { "content-type": "text/plain" },
  });
  assert.equal(notJson.status, 400);
  assert.deepEqual(notJson.body.errors, { body: ["must be empty: this operation takes no body"] });
  const malformed = await call<Errors>(w.app, "POST", path, { token, raw: "{" });
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body.code, "malformed_json");
  const held = await call(w.app, "GET", `/holds/${w.ids.holds}`, { token });
  assert.equal(held.body.status, "active", "nothing refused voided the hold");

  const empty = await call(w.app, "POST", path, { token });
  assert.equal(empty.status, 200);
  assert.equal(empty.body.status, "voided");
  const settled = await call(w.app, "POST", `/simulations/payments/${w.ids.payments}/settle`, {
    token,
    body: {},
  });
  assert.equal(settled.status, 200, "{} is no field at all");
});

bankTest("unknown keys named like Object's own properties answer 400, never 500", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100.00");
  const reply = await call<Errors>(app, "POST", `/accounts/${account.id}/deposit`, {
    token: customer.token,
    raw: '{"amount":"1.00","__proto__":1,"constructor":2,"toString":3,"hasOwnProperty":4}',
  });
  assert.equal(reply.status, 400);
  assert.deepEqual(Object.keys(reply.body.errors).sort(), [
    "__proto__",
    "constructor",
    "hasOwnProperty",
    "toString",
  ]);
  const query = await call<Errors>(app, "GET", "/accounts?constructor=1&__proto__=2", {
    token: customer.token,
  });
  assert.equal(query.status, 400);
  assert.deepEqual(Object.keys(query.body.errors).sort(), ["__proto__", "constructor"]);
  assert.equal(await balanceOf(app, customer, account.id), "100.00");
});

bankTest("a body of many unknown fields gets a bounded 400 that counts the rest", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const fields = Object.fromEntries(
    Array.from({ length: PROBLEM_FIELDS_MAX + 150 }, (_, i) => [`f${i}`, i]),
  );
  const reply = await call<Errors & { detail: string }>(app, "POST", "/accounts", {
    token: customer.token,
    body: { currency: "ZAR", ...fields },
  });
  assert.equal(reply.status, 400);
  assert.equal(Object.keys(reply.body.errors).length, PROBLEM_FIELDS_MAX);
  assert.match(reply.body.detail, / and 150 more$/);
});

bankTest("every request body in the document is a strict object, nested ones too", async () => {
  const { app } = await testApp();
  const { document } = await loadContract(app);
  const schemas = (document.components as { schemas: Record<string, Json> }).schemas;
  const resolve = (schema: Json): Json =>
    typeof schema.$ref === "string"
      ? resolve(schemas[schema.$ref.replace("#/components/schemas/", "")])
      : schema;
  const open: string[] = [];
  const visit = (schema: Json, where: string) => {
    const resolved = resolve(schema);
    for (const choice of (resolved.anyOf ?? resolved.oneOf ?? []) as Json[]) visit(choice, where);
    if (resolved.type !== "object") return;
    if (resolved.additionalProperties !== false) open.push(where);
    for (const [name, property] of Object.entries((resolved.properties ?? {}) as Json)) {
      visit(property as Json, `${where}.${name}`);
    }
  };
  let bodies = 0;
  for (const [name, operation] of await operations(app)) {
    const body = operation.requestBody as { content: Record<string, { schema: Json }> } | undefined;
    if (!body) continue;
    bodies++;
    visit(body.content["application/json"].schema, name);
  }
  assert.ok(bodies >= 16);
  assert.deepEqual(open, []);
});
