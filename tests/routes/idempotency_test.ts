/** Idempotency-Key: a retried request returns the first answer and never moves money twice. */
import assert from "node:assert/strict";
import { REQUEST_TIMEOUT_MS } from "../../app.ts";
import {
  claimIdempotencyKey,
  IDEMPOTENCY_CLAIM_SECONDS,
  purgeExpiredIdempotencyKeys,
} from "../../db/idempotency.ts";
import { bankTest, manualClock, testApp } from "../support/app.ts";
import {
  balanceOf,
  call,
  fundedAccount,
  openAccount,
  signUp,
  transfer,
} from "../support/client.ts";
import { advanceClock } from "../support/payments.ts";

bankTest(
  "a replay with the same key and body returns the same answer and moves nothing more",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const from = await fundedAccount(app, customer, "100");
    const to = await openAccount(app, customer);
    const body = { from_account_id: from.id, to_account_id: to.id, amount: "30" };
    const key = { "idempotency-key": crypto.randomUUID() };
    const first = await transfer(app, customer, body, key);
    const second = await transfer(app, customer, body, key);
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.deepEqual(second.body, first.body);
    assert.equal(second.headers.get("idempotent-replayed"), "true");
    assert.equal(await balanceOf(app, customer, from.id), "70.00");
  },
);

bankTest("key order in the body does not make a replay a different request", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const key = { "idempotency-key": crypto.randomUUID() };
  const path = `/accounts/${account.id}/deposit`;
  await call(app, "POST", path, {
    token: customer.token,
    raw: '{"amount":"5","description":"a"}',
    headers: key,
  });
  const again = await call(app, "POST", path, {
    token: customer.token,
    raw: '{"description":"a", "amount":"5"}',
    headers: key,
  });
  assert.equal(again.status, 201);
  assert.equal(await balanceOf(app, customer, account.id), "5.00");
});

bankTest(
  "a refused movement is replayed as the same 422 with the same transaction_id",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1");
    const key = { "idempotency-key": crypto.randomUUID() };
    const path = `/accounts/${account.id}/withdraw`;
    const first = await call(app, "POST", path, {
      token: customer.token,
      body: { amount: "5" },
      headers: key,
    });
    const second = await call(app, "POST", path, {
      token: customer.token,
      body: { amount: "5" },
      headers: key,
    });
    assert.equal(first.status, 422);
    assert.deepEqual(second.body, first.body);
    const ledger = await call<{ data: unknown[] }>(app, "GET", "/transactions?status=rejected", {
      token: customer.token,
    });
    assert.equal(ledger.body.data.length, 1);
  },
);

bankTest("the same key with a different body answers 422 idempotency_key_reused", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const key = { "idempotency-key": crypto.randomUUID() };
  const path = `/accounts/${account.id}/deposit`;
  await call(app, "POST", path, { token: customer.token, body: { amount: "5" }, headers: key });
  const other = await call(app, "POST", path, {
    token: customer.token,
    body: { amount: "6" },
    headers: key,
  });
  assert.equal(other.status, 422);
  assert.equal(other.body.code, "idempotency_key_reused");
  assert.equal(await balanceOf(app, customer, account.id), "5.00");
});

bankTest("the same key on another endpoint answers 422 idempotency_key_reused", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "50");
  const key = { "idempotency-key": crypto.randomUUID() };
  await call(app, "POST", `/accounts/${account.id}/deposit`, {
    token: customer.token,
    body: { amount: "5" },
    headers: key,
  });
  const other = await call(app, "POST", `/accounts/${account.id}/withdraw`, {
    token: customer.token,
    body: { amount: "5" },
    headers: key,
  });
  assert.equal(other.status, 422);
  assert.equal(await balanceOf(app, customer, account.id), "55.00");
});

bankTest("a key still in flight answers 409", async () => {
  const { app, sql } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const key = crypto.randomUUID();
  const path = `/accounts/${account.id}/deposit`;
  // Compute the fingerprint the way the server does by making a first claim through the API's
  // own function with the same inputs: an in-flight claim with a different fingerprint would be
  // a 422, so reuse of the real fingerprint is what this test must get right.
  const { fingerprintOf } = await import("../../routes/movements.ts");
  const fingerprint = await fingerprintOf("POST", path, { amount: "5" });
  const claim = await claimIdempotencyKey(sql, {
    userId: customer.id,
    key,
    fingerprint,
    realNow: new Date(),
  });
  assert.equal(claim.kind, "claimed");
  const reply = await call(app, "POST", path, {
    token: customer.token,
    body: { amount: "5" },
    headers: { "idempotency-key": key },
  });
  assert.equal(reply.status, 409);
  assert.equal(reply.body.code, "idempotency_key_in_flight");
  assert.equal(await balanceOf(app, customer, account.id), "0.00");
});

bankTest(
  "a claim left behind (its release lost) holds for one request timeout, then a retry posts once",
  async () => {
    // By the request timeout the claiming request has been answered and can no longer commit.
    assert.equal(IDEMPOTENCY_CLAIM_SECONDS * 1000, REQUEST_TIMEOUT_MS);
    const clock = manualClock();
    const { app, sql } = await testApp({ clock: clock.now });
    const customer = await signUp(app);
    const account = await openAccount(app, customer);
    const path = `/accounts/${account.id}/deposit`;
    const key = crypto.randomUUID();
    const { fingerprintOf } = await import("../../routes/movements.ts");
    // Claimed as a request would that then never gave its key back.
    const claim = await claimIdempotencyKey(sql, {
      userId: customer.id,
      key,
      fingerprint: await fingerprintOf("POST", path, { amount: "5" }),
      realNow: clock.now(),
    });
    assert.equal(claim.kind, "claimed");
    const deposit = () =>
      call(app, "POST", path, {
        token: customer.token,
        body: { amount: "5" },
        headers: { "idempotency-key": key },
      });
    clock.advanceSeconds(IDEMPOTENCY_CLAIM_SECONDS - 1);
    const early = await deposit();
    assert.equal(early.status, 409);
    assert.equal(early.body.code, "idempotency_key_in_flight");
    clock.advanceSeconds(2);
    assert.equal((await deposit()).status, 201);
    const replay = await deposit();
    assert.equal(replay.status, 201);
    assert.equal(replay.headers.get("idempotent-replayed"), "true");
    assert.equal(await balanceOf(app, customer, account.id), "5.00");
  },
);

bankTest("keys are per user: another user's identical key is a separate request", async () => {
  const { app } = await testApp();
  const alice = await signUp(app);
  const bob = await signUp(app);
  const aliceAccount = await openAccount(app, alice);
  const bobAccount = await openAccount(app, bob);
  const headers = { "idempotency-key": "shared-key-" + crypto.randomUUID() };
  const a = await call(app, "POST", `/accounts/${aliceAccount.id}/deposit`, {
    token: alice.token,
    body: { amount: "5" },
    headers,
  });
  const b = await call(app, "POST", `/accounts/${bobAccount.id}/deposit`, {
    token: bob.token,
    body: { amount: "5" },
    headers,
  });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.notEqual(a.body.id, b.body.id);
});

bankTest("a replay after a server restart returns the stored answer", async () => {
  const first = await testApp();
  const customer = await signUp(first.app);
  const account = await openAccount(first.app, customer);
  const headers = { "idempotency-key": crypto.randomUUID() };
  const path = `/accounts/${account.id}/deposit`;
  const original = await call(first.app, "POST", path, {
    token: customer.token,
    body: { amount: "9" },
    headers,
  });
  const restarted = await testApp();
  const replay = await call(restarted.app, "POST", path, {
    token: customer.token,
    body: { amount: "9" },
    headers,
  });
  assert.deepEqual(replay.body, original.body);
  assert.equal(await balanceOf(restarted.app, customer, account.id), "9.00");
});

bankTest("a request that fails validation gives its key back for a corrected retry", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const headers = { "idempotency-key": crypto.randomUUID() };
  const path = `/accounts/${account.id}/deposit`;
  const bad = await call(app, "POST", path, {
    token: customer.token,
    body: { amount: "1.001" },
    headers,
  });
  assert.equal(bad.status, 400);
  const good = await call(app, "POST", path, {
    token: customer.token,
    body: { amount: "1.001" },
    headers,
  });
  assert.equal(good.status, 400, "the same invalid request is still invalid, not a conflict");
});

bankTest("concurrent requests with one key move money once", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "100");
  const to = await openAccount(app, customer);
  const headers = { "idempotency-key": crypto.randomUUID() };
  const body = { from_account_id: from.id, to_account_id: to.id, amount: "10" };
  const replies = await Promise.all(
    Array.from({ length: 8 }, () => transfer(app, customer, body, headers)),
  );
  const statuses = replies.map((reply) => reply.status);
  assert.ok(statuses.every((status) => status === 201 || status === 409), statuses.join(","));
  assert.ok(statuses.includes(201));
  assert.equal(await balanceOf(app, customer, from.id), "90.00");
});

bankTest("an overlong Idempotency-Key answers 400", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const reply = await call(app, "POST", `/accounts/${account.id}/deposit`, {
    token: customer.token,
    body: { amount: "1" },
    headers: { "idempotency-key": "k".repeat(256) },
  });
  assert.equal(reply.status, 400);
  assert.equal(await balanceOf(app, customer, account.id), "0.00");
});

bankTest("an expired key is purged and may then be used for a new request", async () => {
  const { app, sql } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const key = crypto.randomUUID();
  const headers = { "idempotency-key": key };
  const path = `/accounts/${account.id}/deposit`;
  await call(app, "POST", path, { token: customer.token, body: { amount: "1" }, headers });
  await sql`
    UPDATE idempotency_keys SET expires_at = now() - interval '1 second'
    WHERE user_id = ${customer.id} AND key = ${key}`;
  assert.ok(await purgeExpiredIdempotencyKeys(sql, new Date()) >= 1);
  const reused = await call(app, "POST", path, {
    token: customer.token,
    body: { amount: "2" },
    headers,
  });
  assert.equal(reused.status, 201);
  assert.equal(await balanceOf(app, customer, account.id), "3.00");
});

bankTest("a key expires a day later on its owner's sandbox clock", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const headers = { "idempotency-key": crypto.randomUUID() };
  const path = `/accounts/${account.id}/deposit`;
  await call(app, "POST", path, { token: customer.token, body: { amount: "1" }, headers });
  await advanceClock(app, customer, 86_399);
  const reused = await call(app, "POST", path, {
    token: customer.token,
    body: { amount: "2" },
    headers,
  });
  assert.equal(reused.status, 422, "a day less a second later the key is still remembered");
  await advanceClock(app, customer, 2);
  const fresh = await call(app, "POST", path, {
    token: customer.token,
    body: { amount: "2" },
    headers,
  });
  assert.equal(fresh.status, 201, "a day later on the sandbox clock the key is forgotten");
  assert.equal(await balanceOf(app, customer, account.id), "3.00");
});

bankTest("purging forgets keys expired on their owner's clock, not everyone's", async () => {
  const { app, sql } = await testApp();
  const traveller = await signUp(app);
  const stayer = await signUp(app);
  const key = crypto.randomUUID();
  for (const customer of [traveller, stayer]) {
    const account = await openAccount(app, customer);
    await call(app, "POST", `/accounts/${account.id}/deposit`, {
      token: customer.token,
      body: { amount: "1" },
      headers: { "idempotency-key": key },
    });
  }
  await advanceClock(app, traveller, 86_401);
  await purgeExpiredIdempotencyKeys(sql, new Date());
  const left = await sql<{ userId: string }[]>`
    SELECT user_id FROM idempotency_keys WHERE key = ${key}`;
  assert.deepEqual(left.map((row) => row.userId), [stayer.id]);
});
