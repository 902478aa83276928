/** Holds: reserving, capturing, voiding and expiring, over HTTP. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";
import {
  balanceOf,
  call,
  fundedAccount,
  openAccount,
  signUp,
  transfer,
} from "../support/client.ts";
import { onRealPostgres } from "../support/database.ts";
import { advanceClock, availableOf, placeHold, sendPayment } from "../support/payments.ts";

bankTest(
  "POST /accounts/{id}/holds reserves money: available falls, balance does not",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "500");
    const reply = await placeHold(app, customer, account.id, { amount: "120" });
    assert.equal(reply.status, 201);
    assert.equal(reply.body.status, "active");
    assert.equal(reply.body.captured_amount, "0.00");
    assert.equal(await balanceOf(app, customer, account.id), "500.00");
    assert.equal(await availableOf(app, customer, account.id), "380.00");
  },
);

bankTest("a hold beyond the available balance answers 422 insufficient_funds", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "500");
  await placeHold(app, customer, account.id, { amount: "400" });
  const reply = await placeHold(app, customer, account.id, { amount: "100.01" });
  assert.equal(reply.status, 422);
  assert.equal(reply.body.code, "insufficient_funds");
  assert.equal(await availableOf(app, customer, account.id), "100.00");
});

bankTest("withdrawals, transfers and payments may spend only the available balance", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "500");
  const other = await openAccount(app, customer);
  await placeHold(app, customer, account.id, { amount: "450" });
  const withdrawal = await call(app, "POST", `/accounts/${account.id}/withdraw`, {
    token: customer.token,
    body: { amount: "51" },
  });
  const moved = await transfer(app, customer, {
    from_account_id: account.id,
    to_account_id: other.id,
    amount: "51",
  });
  const paid = await sendPayment(app, customer, { from_account_id: account.id, amount: "51" });
  assert.deepEqual([withdrawal.status, moved.status, paid.status], [422, 422, 422]);
  assert.equal(withdrawal.body.code, "insufficient_funds");
  const fits = await transfer(app, customer, {
    from_account_id: account.id,
    to_account_id: other.id,
    amount: "50",
  });
  assert.equal(fits.status, 201);
  assert.equal(await availableOf(app, customer, account.id), "0.00");
});

bankTest("a partial capture moves that amount as hold_capture and releases the rest", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "500");
  const hold = await placeHold(app, customer, account.id, { amount: "200" });
  const reply = await call(app, "POST", `/holds/${hold.body.id}/capture`, {
    token: customer.token,
    body: { amount: "75.25" },
  });
  assert.equal(reply.status, 200);
  assert.equal(reply.body.status, "captured");
  assert.equal(reply.body.captured_amount, "75.25");
  assert.equal(await balanceOf(app, customer, account.id), "424.75");
  assert.equal(await availableOf(app, customer, account.id), "424.75");
  const entry = await call(app, "GET", `/transactions/${reply.body.capture_transaction_id}`, {
    token: customer.token,
  });
  assert.equal(entry.body.type, "hold_capture");
  assert.equal(entry.body.amount, "75.25");
  assert.equal(entry.body.from_account_id, account.id);
  assert.equal(entry.body.to_account_id, null);
});

bankTest("a capture without an amount takes the whole hold", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "500");
  const hold = await placeHold(app, customer, account.id, { amount: "200" });
  const reply = await call(app, "POST", `/holds/${hold.body.id}/capture`, {
    token: customer.token,
  });
  assert.equal(reply.status, 200);
  assert.equal(reply.body.captured_amount, "200.00");
  assert.equal(await balanceOf(app, customer, account.id), "300.00");
});

bankTest("capturing more than the hold is refused and moves nothing", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "500");
  const hold = await placeHold(app, customer, account.id, { amount: "200" });
  const reply = await call(app, "POST", `/holds/${hold.body.id}/capture`, {
    token: customer.token,
    body: { amount: "200.01" },
  });
  assert.equal(reply.status, 422);
  assert.equal(reply.body.code, "capture_exceeds_hold");
  assert.equal(await balanceOf(app, customer, account.id), "500.00");
  assert.equal(await availableOf(app, customer, account.id), "300.00");
});

bankTest("voiding a hold releases it; capturing or voiding it again is a 409", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "500");
  const hold = await placeHold(app, customer, account.id, { amount: "200" });
  const voided = await call(app, "POST", `/holds/${hold.body.id}/void`, { token: customer.token });
  assert.equal(voided.status, 200);
  assert.equal(voided.body.status, "voided");
  assert.equal(await availableOf(app, customer, account.id), "500.00");
  const capture = await call(app, "POST", `/holds/${hold.body.id}/capture`, {
    token: customer.token,
  });
  const again = await call(app, "POST", `/holds/${hold.body.id}/void`, { token: customer.token });
  assert.deepEqual([capture.status, again.status], [409, 409]);
  assert.equal(capture.body.code, "hold_not_active");
  assert.equal(await balanceOf(app, customer, account.id), "500.00");
});

bankTest("a hold expires when the clock is advanced past expires_at", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "500");
  const hold = await placeHold(app, customer, account.id, {
    amount: "200",
    expires_in_seconds: 3600,
  });
  await advanceClock(app, customer, 3599);
  assert.equal(await availableOf(app, customer, account.id), "300.00");
  await advanceClock(app, customer, 1);
  const read = await call(app, "GET", `/holds/${hold.body.id}`, { token: customer.token });
  assert.equal(read.body.status, "expired");
  assert.equal(await availableOf(app, customer, account.id), "500.00");
  const capture = await call(app, "POST", `/holds/${hold.body.id}/capture`, {
    token: customer.token,
  });
  assert.equal(capture.status, 409);
  assert.equal(await balanceOf(app, customer, account.id), "500.00");
});

bankTest("a hold defaults to expiring after 7 days", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "500");
  const hold = await placeHold(app, customer, account.id, { amount: "1" });
  const created = Date.parse(String(hold.body.created_at));
  assert.equal(Date.parse(hold.body.expires_at) - created, 604_800_000);
});

bankTest("hold requests with invalid amounts or lifetimes are 400s", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "500");
  for (
    const body of [
      { amount: "0" },
      { amount: "-5" },
      { amount: "1.001" },
      { amount: "abc" },
      { amount: "1", expires_in_seconds: 0 },
      { amount: "1", expires_in_seconds: 1.5 },
      { amount: "1", expires_in_seconds: 99_999_999 },
      {},
    ]
  ) {
    const reply = await placeHold(app, customer, account.id, body);
    assert.equal(reply.status, 400, JSON.stringify(body));
  }
  const list = await call<{ data: unknown[] }>(app, "GET", "/holds", { token: customer.token });
  assert.equal(list.body.data.length, 0);
});

bankTest("another user's hold is a 404 to read, capture or void", async () => {
  const { app } = await testApp();
  const owner = await signUp(app);
  const stranger = await signUp(app);
  const account = await fundedAccount(app, owner, "500");
  const hold = await placeHold(app, owner, account.id, { amount: "10" });
  const read = await call(app, "GET", `/holds/${hold.body.id}`, { token: stranger.token });
  const capture = await call(app, "POST", `/holds/${hold.body.id}/capture`, {
    token: stranger.token,
  });
  const voided = await call(app, "POST", `/holds/${hold.body.id}/void`, { token: stranger.token });
  const place = await placeHold(app, stranger, account.id, { amount: "1" });
  assert.deepEqual([read.status, capture.status, voided.status, place.status], [
    404,
    404,
    404,
    404,
  ]);
  const list = await call<{ data: unknown[] }>(app, "GET", "/holds", { token: stranger.token });
  assert.equal(list.body.data.length, 0);
  assert.equal(await availableOf(app, owner, account.id), "490.00");
});

bankTest("holds racing transfers from separate processes never exceed the balance", async () => {
  // Holds are screened by the velocity rule like every outflow; this race is about the funds.
  const { app, sql } = await testApp({ env: RACE_ENV });
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100");
  const other = await openAccount(app, customer);
  // On PostgreSQL, four workers with pools of their own race 40 requests for 100.00; the
  // embedded database takes one connection, so there the same requests run in one process.
  const workers = onRealPostgres() ? 4 : 1;
  const requests = Array.from(
    { length: 40 },
    (_, i) =>
      i % 2 === 0 ? { path: `/accounts/${account.id}/holds`, body: { amount: "10" } } : {
        path: "/transactions/transfer",
        body: { from_account_id: account.id, to_account_id: other.id, amount: "10" },
      },
  );
  const statuses = (await Promise.all(
    Array.from(
      { length: workers },
      (_, w) => runInWorker(customer.token, requests.filter((_, i) => i % workers === w)),
    ),
  )).flat();
  // A request that lost too many serialization retries answers 503 and moves nothing; the
  // invariant below holds whatever the mix.
  assert.ok(statuses.every((status) => [201, 422, 503].includes(status)), String(statuses));
  const won = statuses.filter((status) => status === 201).length;
  if (!statuses.includes(503)) assert.equal(won, 10);
  assert.ok(won <= 10, `${won} of 10.00 each were granted from 100.00`);
  const [row] = await sql<{ balance: bigint; held: bigint }[]>`
    SELECT a.balance,
      (SELECT coalesce(sum(amount), 0) FROM holds WHERE account_id = a.id AND status = 'active')
        ::bigint AS held
    FROM accounts a WHERE id = ${account.id}`;
  assert.ok(row.held <= row.balance, `held ${row.held} > balance ${row.balance}`);
  assert.equal(row.balance - row.held, 10_000n - BigInt(won) * 1_000n);
});

const RACE_ENV = { FRAUD_MAX_TRANSFERS: "1000" };

async function runInWorker(
  token: string,
  requests: { path: string; body: unknown }[],
): Promise<number[]> {
  if (!onRealPostgres()) {
    const { app } = await testApp({ env: RACE_ENV });
    return await Promise.all(
      requests.map(async (request) =>
        (await call(app, "POST", request.path, { token, body: request.body })).status
      ),
    );
  }
  const worker = new Worker(new URL("../support/race_worker.ts", import.meta.url), {
    type: "module",
  });
  try {
    return await new Promise<number[]>((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(event.message));
      worker.postMessage({ token, requests, env: RACE_ENV });
    });
  } finally {
    worker.terminate();
  }
}

bankTest("a capture retried with the same Idempotency-Key captures once", async () => {
  const { app, sql } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "500");
  const hold = await placeHold(app, customer, account.id, { amount: "200" });
  const headers = { "idempotency-key": crypto.randomUUID() };
  const first = await call(app, "POST", `/holds/${hold.body.id}/capture`, {
    token: customer.token,
    body: { amount: "50" },
    headers,
  });
  const second = await call(app, "POST", `/holds/${hold.body.id}/capture`, {
    token: customer.token,
    body: { amount: "50" },
    headers,
  });
  assert.deepEqual([first.status, second.status], [200, 200]);
  assert.equal(second.headers.get("idempotent-replayed"), "true");
  assert.deepEqual(second.body, first.body);
  const [{ count }] = await sql<{ count: bigint }[]>`
    SELECT count(*) FROM transactions WHERE from_account_id = ${account.id} AND type = 'hold_capture'`;
  assert.equal(count, 1n);
  assert.equal(await balanceOf(app, customer, account.id), "450.00");
});
