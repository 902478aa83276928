/**
 * POST /transactions/batch and POST /payments/bulk: one group of the movement pipeline, items in
 * order, atomic or item by item, one Idempotency-Key for the whole batch.
 */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";
import {
  balanceOf,
  call,
  type Customer,
  fundedAccount,
  openAccount,
  type Reply,
  type Requestable,
  signUp,
} from "../support/client.ts";
import { counterparty } from "../support/payments.ts";

interface ItemResult {
  index: number;
  status: string;
  transaction?: { id: string; status: string; reason: string | null };
  payment?: { id: string; status: string };
  problem?: { status: number; code: string; reason?: string; transaction_id?: string };
}

interface BatchBody {
  id: string;
  atomic: boolean;
  code?: string;
  results: ItemResult[];
}

function batch(
  app: Requestable,
  customer: Customer,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Reply<BatchBody>> {
  return call<BatchBody>(app, "POST", "/transactions/batch", {
    token: customer.token,
    body,
    headers,
  });
}

async function ledgerOf(app: Requestable, customer: Customer, accountId: string) {
  const reply = await call<{ data: { type: string; status: string; reason: string | null }[] }>(
    app,
    "GET",
    `/transactions?account_id=${accountId}&type=transfer&limit=100`,
    { token: customer.token },
  );
  return reply.body.data;
}

bankTest("an atomic batch whose items are all approved posts every one (201)", async () => {
  const { app } = await testApp();
  const alice = await signUp(app);
  const bob = await signUp(app);
  const from = await fundedAccount(app, alice, "100");
  const to = await openAccount(app, bob);
  const reply = await batch(app, alice, {
    atomic: true,
    items: [
      { from_account_id: from.id, to_account_id: to.id, amount: "30.00" },
      { from_account_id: from.id, to_account_number: to.account_number, amount: "20" },
    ],
  });
  assert.equal(reply.status, 201);
  assert.equal(reply.body.atomic, true);
  assert.deepEqual(reply.body.results.map((r) => [r.index, r.status]), [[0, "approved"], [
    1,
    "approved",
  ]]);
  assert.equal(reply.body.results[1].transaction?.status, "approved");
  assert.equal(await balanceOf(app, alice, from.id), "50.00");
  assert.equal(await balanceOf(app, bob, to.id), "50.00");
});

bankTest(
  "an atomic batch with one refusal moves nothing, records every item, answers 422 batch_rejected",
  async () => {
    const { app } = await testApp();
    const alice = await signUp(app);
    const bob = await signUp(app);
    const from = await fundedAccount(app, alice, "100");
    const to = await openAccount(app, bob);
    const reply = await batch(app, alice, {
      atomic: true,
      items: [
        { from_account_id: from.id, to_account_id: to.id, amount: "60" },
        { from_account_id: from.id, to_account_id: to.id, amount: "60" },
      ],
    });
    assert.equal(reply.status, 422);
    assert.equal(reply.headers.get("content-type"), "application/problem+json");
    assert.equal(reply.body.code, "batch_rejected");
    assert.deepEqual(
      reply.body.results.map((r) => [r.status, r.problem?.reason]),
      [["rejected", "batch_rejected"], ["rejected", "insufficient_funds"]],
    );
    assert.equal(await balanceOf(app, alice, from.id), "100.00", "nothing left the source");
    assert.equal(await balanceOf(app, bob, to.id), "0.00", "nothing arrived");
    const rows = await ledgerOf(app, alice, from.id);
    assert.deepEqual(
      rows.map((row) => [row.status, row.reason]).sort(),
      [["rejected", "batch_rejected"], ["rejected", "insufficient_funds"]],
    );
  },
);

bankTest("a non-atomic batch posts the items that pass and records the refusals", async () => {
  const { app } = await testApp();
  const alice = await signUp(app);
  const bob = await signUp(app);
  const from = await fundedAccount(app, alice, "100");
  const to = await openAccount(app, bob);
  const reply = await batch(app, alice, {
    atomic: false,
    items: [
      { from_account_id: from.id, to_account_id: to.id, amount: "60" },
      { from_account_id: from.id, to_account_id: to.id, amount: "60" },
      { from_account_id: from.id, to_account_id: to.id, amount: "40" },
    ],
  });
  assert.equal(reply.status, 201);
  assert.deepEqual(
    reply.body.results.map((r) => [r.status, r.problem?.code ?? null]),
    [["approved", null], ["rejected", "insufficient_funds"], ["approved", null]],
  );
  assert.ok(reply.body.results[1].problem?.transaction_id, "the refusal names its ledger row");
  assert.equal(await balanceOf(app, alice, from.id), "0.00");
  assert.equal(await balanceOf(app, bob, to.id), "100.00");
});

bankTest("item 2 of a batch may spend what item 1 brought into its account", async () => {
  const { app } = await testApp();
  const alice = await signUp(app);
  const bob = await signUp(app);
  const rich = await fundedAccount(app, alice, "80");
  const empty = await openAccount(app, alice);
  const to = await openAccount(app, bob);
  const reply = await batch(app, alice, {
    atomic: true,
    items: [
      { from_account_id: rich.id, to_account_id: empty.id, amount: "80" },
      { from_account_id: empty.id, to_account_id: to.id, amount: "80" },
    ],
  });
  assert.equal(reply.status, 201);
  assert.equal(await balanceOf(app, alice, empty.id), "0.00");
  assert.equal(await balanceOf(app, bob, to.id), "80.00");
});

bankTest(
  "an item naming another user's source account is that item's 404; atomic refuses the batch",
  async () => {
    const { app } = await testApp();
    const alice = await signUp(app);
    const mallory = await signUp(app);
    const mine = await fundedAccount(app, mallory, "50");
    const victim = await fundedAccount(app, alice, "50");
    const items = [
      { from_account_id: mine.id, to_account_id: victim.id, amount: "10" },
      { from_account_id: victim.id, to_account_id: mine.id, amount: "10" },
    ];
    const loose = await batch(app, mallory, { atomic: false, items });
    assert.equal(loose.status, 201);
    assert.deepEqual(loose.body.results.map((r) => [r.status, r.problem?.status ?? null]), [
      ["approved", null],
      ["failed", 404],
    ]);
    const strict = await batch(app, mallory, { atomic: true, items });
    assert.equal(strict.status, 422);
    assert.deepEqual(strict.body.results.map((r) => [r.status, r.problem?.code]), [
      ["rejected", "batch_rejected"],
      ["failed", "not_found"],
    ]);
    assert.equal(await balanceOf(app, alice, victim.id), "60.00", "only the loose item 0 moved");
    assert.equal(await balanceOf(app, mallory, mine.id), "40.00");
  },
);

bankTest("a batch of 1000 transfers posts in one group", async () => {
  const { app } = await testApp({ env: { FRAUD_MAX_TRANSFERS: "100000" } });
  const alice = await signUp(app);
  const bob = await signUp(app);
  const from = await fundedAccount(app, alice, "1000");
  const to = await openAccount(app, bob);
  const items = Array.from(
    { length: 1000 },
    () => ({ from_account_id: from.id, to_account_id: to.id, amount: "1.00" }),
  );
  const started = performance.now();
  const reply = await batch(app, alice, { atomic: true, items });
  const elapsedMs = Math.round(performance.now() - started);
  assert.equal(reply.status, 201, JSON.stringify(reply.body).slice(0, 300));
  assert.equal(reply.body.results.length, 1000);
  assert.ok(reply.body.results.every((r) => r.status === "approved"));
  assert.equal(await balanceOf(app, alice, from.id), "0.00");
  assert.equal(await balanceOf(app, bob, to.id), "1000.00");
  console.log(`1000-item atomic transfer batch: ${elapsedMs} ms`);
});

bankTest("a batch of 0 or 1001 items is a 400 and moves nothing", async () => {
  const { app } = await testApp();
  const alice = await signUp(app);
  const from = await fundedAccount(app, alice, "10");
  const to = await openAccount(app, alice);
  const item = { from_account_id: from.id, to_account_id: to.id, amount: "0.01" };
  const tooMany = await batch(app, alice, { atomic: false, items: Array(1001).fill(item) });
  assert.equal(tooMany.status, 400);
  const none = await batch(app, alice, { atomic: false, items: [] });
  assert.equal(none.status, 400);
  assert.equal(await balanceOf(app, alice, from.id), "10.00");
});

bankTest("a malformed item is a 400 naming its index, and nothing moves", async () => {
  const { app } = await testApp();
  const alice = await signUp(app);
  const from = await fundedAccount(app, alice, "10");
  const to = await openAccount(app, alice);
  const reply = await call<{ errors: Record<string, string[]> }>(
    app,
    "POST",
    "/transactions/batch",
    {
      token: alice.token,
      body: {
        atomic: false,
        items: [
          { from_account_id: from.id, to_account_id: to.id, amount: "1" },
          { from_account_id: from.id, to_account_id: to.id, amount: "1.001" },
        ],
      },
    },
  );
  assert.equal(reply.status, 400);
  assert.ok(reply.body.errors["items.1.amount"], JSON.stringify(reply.body));
  assert.equal(await balanceOf(app, alice, from.id), "10.00");
});

bankTest(
  "a batch replayed with its Idempotency-Key answers the same and moves no more",
  async () => {
    const { app } = await testApp();
    const alice = await signUp(app);
    const from = await fundedAccount(app, alice, "10");
    const to = await openAccount(app, alice);
    const body = {
      atomic: false,
      items: [{ from_account_id: from.id, to_account_id: to.id, amount: "4" }],
    };
    const key = { "idempotency-key": crypto.randomUUID() };
    const first = await batch(app, alice, body, key);
    const again = await batch(app, alice, body, key);
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers.get("idempotent-replayed"), "true");
    assert.equal(await balanceOf(app, alice, from.id), "6.00");
    const other = await batch(app, alice, { ...body, atomic: true }, key);
    assert.equal(other.status, 422, "the same key with another body is the contract's conflict");
    assert.equal((other.body as unknown as { code: string }).code, "idempotency_key_reused");
  },
);

bankTest("velocity counts the earlier items of the same batch", async () => {
  const { app } = await testApp();
  const alice = await signUp(app);
  const from = await fundedAccount(app, alice, "100");
  const to = await openAccount(app, alice);
  const items = Array.from(
    { length: 6 },
    () => ({ from_account_id: from.id, to_account_id: to.id, amount: "1" }),
  );
  const reply = await batch(app, alice, { atomic: false, items });
  assert.equal(reply.status, 201);
  assert.equal(reply.body.results[5].problem?.reason, "velocity_limit");
  assert.equal(await balanceOf(app, alice, from.id), "95.00");
});

bankTest("a bulk payment posts each payment; atomic with a refusal moves nothing", async () => {
  const { app } = await testApp();
  const alice = await signUp(app);
  const from = await fundedAccount(app, alice, "100");
  const item = (amount: string) => ({
    from_account_id: from.id,
    amount,
    counterparty: counterparty(),
  });
  const ok = await call<BatchBody>(app, "POST", "/payments/bulk", {
    token: alice.token,
    body: { atomic: false, items: [item("10"), item("500")] },
  });
  assert.equal(ok.status, 201);
  assert.deepEqual(ok.body.results.map((r) => r.status), ["approved", "rejected"]);
  assert.equal(ok.body.results[0].payment?.status, "pending");
  const refused = await call<BatchBody>(app, "POST", "/payments/bulk", {
    token: alice.token,
    body: { atomic: true, items: [item("10"), item("500")] },
  });
  assert.equal(refused.status, 422);
  assert.equal(refused.body.code, "batch_rejected");
  assert.equal(await balanceOf(app, alice, from.id), "90.00", "only the loose batch's 10 left");
  const payments = await call<{ data: { status: string }[] }>(
    app,
    "GET",
    `/payments?account_id=${from.id}`,
    { token: alice.token },
  );
  assert.deepEqual(payments.body.data.map((p) => p.status).sort(), [
    "pending",
    "rejected",
    "rejected",
    "rejected",
  ]);
});

bankTest("an unknown field inside an item is a 400 naming it by the item's index", async () => {
  const { app } = await testApp();
  const alice = await signUp(app);
  const from = await fundedAccount(app, alice, "10");
  const to = await openAccount(app, alice);
  const reply = await call<{ errors: Record<string, string[]> }>(
    app,
    "POST",
    "/payments/bulk",
    {
      token: alice.token,
      body: {
        atomic: true,
        items: [{ from_account_id: from.id, to_account_id: to.id, amount: "1", bogus: 1 }],
      },
    },
  );
  assert.equal(reply.status, 400);
  assert.ok(reply.body.errors["items.0.bogus"], JSON.stringify(reply.body.errors));
  assert.equal(await balanceOf(app, alice, from.id), "10.00");
});

bankTest("a batch writes one batch.completed event with its counts", async () => {
  const { app } = await testApp();
  const alice = await signUp(app);
  const from = await fundedAccount(app, alice, "10");
  const to = await openAccount(app, alice);
  const reply = await batch(app, alice, {
    atomic: true,
    items: [
      { from_account_id: from.id, to_account_id: to.id, amount: "4" },
      { from_account_id: from.id, to_account_id: to.id, amount: "40" },
    ],
  });
  assert.equal(reply.status, 422);
  const events = await call<{ data: { data: { object: Record<string, unknown> } }[] }>(
    app,
    "GET",
    "/events?type=batch.completed",
    { token: alice.token },
  );
  assert.equal(events.status, 200);
  assert.deepEqual(events.body.data.map((event) => event.data.object), [{
    id: reply.body.id,
    atomic: true,
    status: "rejected",
    items: 2,
    approved: 0,
    rejected: 2,
    failed: 0,
  }]);
});

bankTest(
  "a batch under Sandbox-Simulate error_before_commit posts nothing; the retry posts it",
  async () => {
    const { app } = await testApp();
    const alice = await signUp(app);
    const from = await fundedAccount(app, alice, "10");
    const to = await openAccount(app, alice);
    const body = {
      atomic: true,
      items: [{ from_account_id: from.id, to_account_id: to.id, amount: "3" }],
    };
    const key = crypto.randomUUID();
    const faulted = await batch(app, alice, body, {
      "idempotency-key": key,
      "sandbox-simulate": "error_before_commit",
    });
    assert.equal(faulted.status, 503);
    assert.equal(await balanceOf(app, alice, from.id), "10.00");
    const retried = await batch(app, alice, body, { "idempotency-key": key });
    assert.equal(retried.status, 201);
    assert.equal(await balanceOf(app, alice, from.id), "7.00");
  },
);
