/** The sandbox clock, shared clocks, and everything that reads them. */
import assert from "node:assert/strict";
import { deliverDueWebhooks } from "../../db/webhook_worker.ts";
import { createMemoryLogger } from "../../routes/logger.ts";
import { bankTest, manualClock, testApp } from "../support/app.ts";
import { call, type Customer, fundedAccount, openAccount, signUp } from "../support/client.ts";
import { advanceClock, getPayment, placeHold, sendPayment } from "../support/payments.ts";
import { startReceiver } from "../support/receiver.ts";
import { createEndpoint, deliveriesOf } from "../support/webhooks.ts";

// A whole minute near real time (access tokens are checked against real time).
const START = new Date(Math.floor(Date.now() / 60_000) * 60_000);

/** The ISO time `seconds` after START. */
function at(seconds: number): string {
  return new Date(START.getTime() + seconds * 1000).toISOString();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The customer's clock as GET /simulations/clock answers it. */
async function clockOf(app: Parameters<typeof call>[0], customer: Customer) {
  const reply = await call<{ id: string; now: string; offset_seconds: number; members: number }>(
    app,
    "GET",
    "/simulations/clock",
    { token: customer.token },
  );
  assert.equal(reply.status, 200);
  return reply.body;
}

/** POSTs to a clock endpoint as the customer. */
async function clockCall(
  app: Parameters<typeof call>[0],
  customer: Customer,
  action: "advance" | "join" | "leave",
  body?: Record<string, unknown>,
) {
  return await call(app, "POST", `/simulations/clock/${action}`, { token: customer.token, body });
}

bankTest("GET /simulations/clock starts at real time on a clock of your own", async () => {
  const clock = manualClock(START);
  const { app } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  const other = await signUp(app);
  const reply = await call(app, "GET", "/simulations/clock", { token: customer.token });
  assert.equal(reply.status, 200);
  const { id, ...rest } = reply.body;
  assert.match(String(id), UUID);
  assert.deepEqual(rest, { now: at(0), offset_seconds: 0, members: 1 });
  assert.notEqual((await clockOf(app, other)).id, id, "every user starts on a clock of their own");
});

bankTest("POST /simulations/clock/advance moves only that user's clock forward", async () => {
  const clock = manualClock(START);
  const { app } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  const neighbour = await signUp(app);
  const { id } = await clockOf(app, customer);
  const first = await advanceClock(app, customer, 3600);
  const second = await advanceClock(app, customer, 86_400);
  assert.deepEqual(first.body, { id, now: at(3600), offset_seconds: 3600, members: 1 });
  assert.deepEqual(second.body, { id, now: at(90_000), offset_seconds: 90_000, members: 1 });
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

bankTest("POST /simulations/clock/advance moves to an RFC 3339 instant", async () => {
  const clock = manualClock(START);
  const { app } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  const reply = await clockCall(app, customer, "advance", { to: at(7200) });
  assert.equal(reply.status, 200);
  assert.equal(reply.body.now, at(7200));
  assert.equal(reply.body.offset_seconds, 7200);
  const offset = new Date(START.getTime() + 3_600_500).toISOString().replace("Z", "+00:00");
  const again = await clockCall(app, customer, "advance", { to: offset });
  assert.equal(again.status, 400, "an instant before the clock's reading is in its past");
});

bankTest("POST /simulations/clock/advance takes exactly one of seconds and to", async () => {
  const clock = manualClock(START);
  const { app } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  await advanceClock(app, customer, 60);
  const bodies = [
    { seconds: 60, to: at(7200) },
    {},
    { to: at(59) },
    { to: "tomorrow" },
    { to: "2030-01-01" },
    { seconds: 60, bogus: 1 },
  ];
  for (const body of bodies) {
    const reply = await clockCall(app, customer, "advance", body);
    assert.equal(reply.status, 400, JSON.stringify(body));
    assert.equal(reply.body.code, "validation_error");
  }
  assert.equal((await clockOf(app, customer)).offset_seconds, 60, "nothing moved the clock");
});

bankTest("POST /simulations/clock/join puts you on another user's clock, at its time", async () => {
  const clock = manualClock(START);
  const { app } = await testApp({ clock: clock.now });
  const alice = await signUp(app);
  const bob = await signUp(app);
  await advanceClock(app, alice, 3600);
  const shared = await clockOf(app, alice);
  const joined = await clockCall(app, bob, "join", { clock_id: shared.id });
  assert.equal(joined.status, 200);
  assert.deepEqual(joined.body, { id: shared.id, now: at(3600), offset_seconds: 3600, members: 2 });
  assert.equal((await clockOf(app, alice)).members, 2);
});

bankTest(
  "advancing one member moves every member's clock and processes what fell due for each",
  async () => {
    const clock = manualClock(START);
    const { app } = await testApp({ clock: clock.now });
    const alice = await signUp(app);
    const bob = await signUp(app);
    await clockCall(app, bob, "join", { clock_id: (await clockOf(app, alice)).id });
    const aliceAccount = await fundedAccount(app, alice, "100");
    const bobAccount = await fundedAccount(app, bob, "100");
    const payment = await sendPayment(app, alice, {
      from_account_id: aliceAccount.id,
      amount: "10",
    });
    const hold = await placeHold(app, bob, bobAccount.id, { amount: "5", expires_in_seconds: 90 });
    const advanced = await advanceClock(app, alice, 3600);
    assert.equal(advanced.status, 200);
    assert.equal((await clockOf(app, bob)).now, at(3600));
    assert.equal((await getPayment(app, alice, payment.body.id)).status, "settled");
    const bobsHold = await call(app, "GET", `/holds/${hold.body.id}`, { token: bob.token });
    assert.equal(
      bobsHold.body.status,
      "expired",
      "the other member's due items were processed too",
    );
  },
);

bankTest(
  "POST /simulations/clock/join answers 409 clock_behind for a clock earlier than yours",
  async () => {
    const clock = manualClock(START);
    const { app } = await testApp({ clock: clock.now });
    const alice = await signUp(app);
    const bob = await signUp(app);
    await advanceClock(app, bob, 90_000);
    const behind = await clockOf(app, alice);
    const reply = await clockCall(app, bob, "join", { clock_id: behind.id });
    assert.equal(reply.status, 409);
    assert.equal(reply.body.code, "clock_behind");
    assert.match(String(reply.body.detail), /1 day 1 hour earlier/);
    const after = await clockOf(app, bob);
    assert.notEqual(after.id, behind.id);
    assert.equal(after.offset_seconds, 90_000);
    assert.equal((await clockOf(app, alice)).members, 1);
  },
);

bankTest(
  "POST /simulations/clock/join answers 404 for an unknown clock and 400 for a bad id",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const unknown = await clockCall(app, customer, "join", { clock_id: crypto.randomUUID() });
    assert.equal(unknown.status, 404);
    for (const body of [{ clock_id: "not-a-uuid" }, {}, { clock_id: crypto.randomUUID(), x: 1 }]) {
      const reply = await clockCall(app, customer, "join", body);
      assert.equal(reply.status, 400, JSON.stringify(body));
    }
  },
);

bankTest("joining your own clock changes nothing", async () => {
  const clock = manualClock(START);
  const { app } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  await advanceClock(app, customer, 60);
  const own = await clockOf(app, customer);
  const reply = await clockCall(app, customer, "join", { clock_id: own.id });
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, own);
});

bankTest("joining a clock ahead of yours processes what fell due for you", async () => {
  const clock = manualClock(START);
  const { app } = await testApp({ clock: clock.now });
  const alice = await signUp(app);
  const bob = await signUp(app);
  const account = await fundedAccount(app, bob, "100");
  const hold = await placeHold(app, bob, account.id, { amount: "5", expires_in_seconds: 90 });
  await advanceClock(app, alice, 3600);
  await clockCall(app, bob, "join", { clock_id: (await clockOf(app, alice)).id });
  const read = await call(app, "GET", `/holds/${hold.body.id}`, { token: bob.token });
  assert.equal(read.body.status, "expired");
});

bankTest(
  "POST /simulations/clock/leave gives you a clock of your own at the same time",
  async () => {
    const clock = manualClock(START);
    const { app } = await testApp({ clock: clock.now });
    const alice = await signUp(app);
    const bob = await signUp(app);
    const shared = await clockOf(app, alice);
    await clockCall(app, bob, "join", { clock_id: shared.id });
    await advanceClock(app, alice, 600);
    const left = await clockCall(app, bob, "leave");
    assert.equal(left.status, 200);
    assert.notEqual(left.body.id, shared.id);
    assert.deepEqual({ ...left.body, id: "" }, {
      id: "",
      now: at(600),
      offset_seconds: 600,
      members: 1,
    });
    assert.equal((await clockOf(app, alice)).members, 1);
    await advanceClock(app, alice, 60);
    assert.equal(
      (await clockOf(app, bob)).offset_seconds,
      600,
      "the clock left behind moves alone",
    );
  },
);

bankTest("the join and leave endpoints need a bearer token", async () => {
  const { app } = await testApp();
  const join = await call(app, "POST", "/simulations/clock/join", {
    body: { clock_id: crypto.randomUUID() },
  });
  const leave = await call(app, "POST", "/simulations/clock/leave");
  assert.deepEqual([join.status, leave.status], [401, 401]);
});

bankTest("a webhook retry falls due when its owner's clock is advanced", async () => {
  const clock = manualClock(START);
  const { app, sql, config } = await testApp({ clock: clock.now });
  const receiver = startReceiver([500, 200]);
  try {
    const customer = await signUp(app);
    const endpoint = await createEndpoint(app, customer, { url: receiver.url });
    await openAccount(app, customer);
    // The worker on the same frozen real time as the app: only the sandbox clock moves. Passes
    // until the queue has nothing due (other tests' deliveries share it), bounded in number.
    const worker = { sql, config, log: createMemoryLogger(), clock: clock.now };
    const drain = async () => {
      for (let pass = 0; pass < 50 && await deliverDueWebhooks(worker) > 0; pass++);
    };
    await drain();
    const [failed] = await deliveriesOf(app, customer, endpoint.id);
    assert.equal(failed.attempt, 1);
    assert.equal(failed.next_attempt_at, at(5), "the 5 s retry is on the owner's clock");
    await drain();
    assert.equal(receiver.received.length, 1, "not due yet");
    await advanceClock(app, customer, 5);
    await drain();
    assert.equal(receiver.received.length, 2);
    const [delivered] = await deliveriesOf(app, customer, endpoint.id);
    assert.equal(delivered.status, "succeeded");
    assert.equal(delivered.attempt, 2);
  } finally {
    await receiver.close();
  }
});
