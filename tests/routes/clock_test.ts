/** The per-user sandbox clock and everything that reads it. */
import assert from "node:assert/strict";
import { bankTest, manualClock, testApp } from "../support/app.ts";
import { call, fundedAccount, signUp } from "../support/client.ts";
import { advanceClock, getPayment, placeHold, sendPayment } from "../support/payments.ts";

// A whole minute near real time (access tokens are checked against real time).
const START = new Date(Math.floor(Date.now() / 60_000) * 60_000);

/** The ISO time `seconds` after START. */
function at(seconds: number): string {
  return new Date(START.getTime() + seconds * 1000).toISOString();
}

bankTest("GET /simulations/clock starts at real time with no offset", async () => {
  const clock = manualClock(START);
  const { app } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  const reply = await call(app, "GET", "/simulations/clock", { token: customer.token });
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, { now: at(0), offset_seconds: 0 });
});

bankTest("POST /simulations/clock/advance moves only that user's clock forward", async () => {
  const clock = manualClock(START);
  const { app } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  const neighbour = await signUp(app);
  const first = await advanceClock(app, customer, 3600);
  const second = await advanceClock(app, customer, 86_400);
  assert.deepEqual(first.body, { now: at(3600), offset_seconds: 3600 });
  assert.deepEqual(second.body, { now: at(90_000), offset_seconds: 90_000 });
  const theirs = await call(app, "GET", "/simulations/clock", { token: neighbour.token });
  assert.equal(theirs.body.offset_seconds, 0);
});

bankTest("the clock cannot go backwards or jump more than a year at once", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  for (const seconds of [0, -1, 1.5, 31_536_001, "60", null]) {
    const reply = await call(app, "POST", "/simulations/clock/advance", {
      token: customer.token,
      body: { seconds },
    });
    assert.equal(reply.status, 400, String(seconds));
  }
  const clock = await call(app, "GET", "/simulations/clock", { token: customer.token });
  assert.equal(clock.body.offset_seconds, 0);
});

bankTest("the clock endpoints need a bearer token", async () => {
  const { app } = await testApp();
  const read = await call(app, "GET", "/simulations/clock");
  const advance = await call(app, "POST", "/simulations/clock/advance", { body: { seconds: 1 } });
  assert.deepEqual([read.status, advance.status], [401, 401]);
});

bankTest("objects created after an advance record the advanced time", async () => {
  const clock = manualClock(START);
  const { app } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100");
  await advanceClock(app, customer, 86_400);
  const sent = await sendPayment(app, customer, { from_account_id: account.id, amount: "1" });
  assert.equal(sent.body.created_at, at(86_400));
  assert.equal(sent.body.settles_at, at(86_460));
  const hold = await placeHold(app, customer, account.id, { amount: "1", expires_in_seconds: 60 });
  assert.equal(hold.body.created_at, at(86_400));
});

bankTest("the velocity window slides with the sandbox clock", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  for (let i = 0; i < 5; i++) {
    const sent = await sendPayment(app, customer, { from_account_id: account.id, amount: "1" });
    assert.equal(sent.status, 201);
  }
  const sixth = await sendPayment(app, customer, { from_account_id: account.id, amount: "1" });
  assert.equal(sixth.status, 422);
  assert.equal(sixth.body.reason, "velocity_limit");
  await advanceClock(app, customer, 61);
  const later = await sendPayment(app, customer, { from_account_id: account.id, amount: "1" });
  assert.equal(later.status, 201);
});

bankTest("an advance processes what fell due in time order, each at its due time", async () => {
  const clock = manualClock(START);
  const { app, sql } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const hold = await placeHold(app, customer, account.id, { amount: "5", expires_in_seconds: 90 });
  const payment = await sendPayment(app, customer, {
    from_account_id: account.id,
    amount: "10",
    counterpartyNumber: "9999000004",
  });
  await advanceClock(app, customer, 3600);
  const returned = await getPayment(app, customer, payment.body.id);
  assert.equal(returned.returned_at, at(60));
  const events = await sql<{ type: string; createdAt: Date }[]>`
    SELECT type, created_at FROM events
    WHERE user_id = ${customer.id} AND type IN ('payment.returned', 'hold.expired')
    ORDER BY seq`;
  assert.deepEqual(events.map((event) => [event.type, event.createdAt.toISOString()]), [
    ["payment.returned", at(60)],
    ["hold.expired", at(90)],
  ]);
  const read = await call(app, "GET", `/holds/${hold.body.id}`, { token: customer.token });
  assert.equal(read.body.status, "expired");
});

bankTest("the clock cannot run more than 100 years ahead of real time", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  for (let i = 0; i < 100; i++) {
    const reply = await advanceClock(app, customer, 31_536_000);
    assert.equal(reply.status, 200);
  }
  const beyond = await advanceClock(app, customer, 1);
  assert.equal(beyond.status, 400);
  const clock = await call(app, "GET", "/simulations/clock", { token: customer.token });
  assert.equal(clock.body.offset_seconds, 3_153_600_000);
});
