/** Account lifecycle over HTTP: freeze, unfreeze, close, what each status lets move, and balances in time. */
import assert from "node:assert/strict";
import { auditDatabase } from "../../db/audit.ts";
import { bankTest, testApp } from "../support/app.ts";
import { testDatabase } from "../support/database.ts";
import {
  balanceOf,
  call,
  type Customer,
  deposit,
  fundedAccount,
  openAccount,
  type Requestable,
  signUp,
  transfer,
} from "../support/client.ts";
import {
  advanceClock,
  counterparty,
  getPayment,
  placeHold,
  sendPayment,
} from "../support/payments.ts";

interface AccountReply {
  id: string;
  status: string;
  status_reason: string | null;
  balance: string;
  code?: string;
  transaction_id?: string;
}

function statusChange(
  app: Requestable,
  customer: Customer,
  accountId: string,
  action: "freeze" | "unfreeze" | "close",
  body?: Record<string, unknown>,
) {
  return call<AccountReply>(app, "POST", `/accounts/${accountId}/${action}`, {
    token: customer.token,
    body,
  });
}

async function eventTypes(app: Requestable, customer: Customer): Promise<string[]> {
  const reply = await call<{ data: { type: string }[] }>(app, "GET", "/events?limit=100", {
    token: customer.token,
  });
  return reply.body.data.map((event) => event.type);
}

// The ledger row a refusal answered with, as GET /transactions/{id} shows it.
async function recorded(app: Requestable, customer: Customer, id: string | undefined) {
  assert.ok(id, "the refusal names its transaction_id");
  const reply = await call<{ status: string; reason: string; type: string }>(
    app,
    "GET",
    `/transactions/${id}`,
    { token: customer.token },
  );
  assert.equal(reply.status, 200);
  return reply.body;
}

bankTest("every Account answer carries status: a new account is active", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const one = await call<AccountReply>(app, "GET", `/accounts/${account.id}`, {
    token: customer.token,
  });
  assert.equal(one.body.status, "active");
  assert.equal(one.body.status_reason, null);
  const list = await call<{ data: AccountReply[] }>(app, "GET", "/accounts", {
    token: customer.token,
  });
  assert.deepEqual(list.body.data.map((a) => a.status), ["active"]);
});

bankTest(
  "POST /accounts/{id}/freeze answers 200 frozen with its reason and writes account.frozen",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "100");
    const reply = await statusChange(app, customer, account.id, "freeze", {
      reason: "Card reported stolen",
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.status, "frozen");
    assert.equal(reply.body.status_reason, "Card reported stolen");
    assert.equal(reply.body.balance, "100.00");
    assert.ok((await eventTypes(app, customer)).includes("account.frozen"));
  },
);

bankTest(
  "freezing a frozen account (or unfreezing an active one) is 200 and writes no event",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await openAccount(app, customer);
    const noop = await statusChange(app, customer, account.id, "unfreeze");
    assert.equal(noop.status, 200);
    assert.equal(noop.body.status, "active");
    await statusChange(app, customer, account.id, "freeze");
    const again = await statusChange(app, customer, account.id, "freeze", { reason: "later" });
    assert.equal(again.status, 200);
    assert.equal(again.body.status, "frozen");
    assert.equal(again.body.status_reason, null, "the first freeze's (absent) reason stands");
    const types = await eventTypes(app, customer);
    assert.equal(types.filter((type) => type === "account.frozen").length, 1);
    assert.equal(types.filter((type) => type === "account.unfrozen").length, 0);
  },
);

bankTest("a frozen account takes money in and lets none out, each refusal recorded", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "500");
  const other = await openAccount(app, customer);
  const hold = await placeHold(app, customer, account.id, { amount: "50" });
  assert.equal(hold.status, 201);
  await statusChange(app, customer, account.id, "freeze");

  const attempts = {
    withdraw: await call<AccountReply>(app, "POST", `/accounts/${account.id}/withdraw`, {
      token: customer.token,
      body: { amount: "10" },
    }),
    transfer: await transfer(app, customer, {
      from_account_id: account.id,
      to_account_id: other.id,
      amount: "10",
    }),
    payment_out: await sendPayment(app, customer, { from_account_id: account.id, amount: "10" }),
    hold: await placeHold(app, customer, account.id, { amount: "10" }),
    hold_capture: await call<AccountReply>(app, "POST", `/holds/${hold.body.id}/capture`, {
      token: customer.token,
      body: {},
    }),
  };
  for (const [type, reply] of Object.entries(attempts)) {
    assert.equal(reply.status, 422, type);
    assert.equal(reply.body.code, "account_frozen", type);
    const row = await recorded(app, customer, reply.body.transaction_id as string);
    assert.deepEqual(
      { status: row.status, reason: row.reason, type: row.type },
      { status: "rejected", reason: "account_frozen", type },
    );
  }
  const payment = await getPayment(app, customer, attempts.payment_out.body.payment_id as string);
  assert.equal(payment.status, "rejected");
  const held = await call<{ status: string }>(app, "GET", `/holds/${hold.body.id}`, {
    token: customer.token,
  });
  assert.equal(held.body.status, "active", "a refused capture leaves the hold to capture later");

  // Money still comes in.
  assert.equal((await deposit(app, customer, account.id, "5")).status, 201);
  const inbound = await transfer(app, customer, {
    from_account_id: other.id,
    to_account_id: account.id,
    amount: "1",
  });
  assert.equal(inbound.status, 422, "other is empty: insufficient_funds, not a status refusal");
  assert.equal(await balanceOf(app, customer, account.id), "505.00");

  // Unfrozen, the hold captures.
  const unfrozen = await statusChange(app, customer, account.id, "unfreeze");
  assert.equal(unfrozen.body.status, "active");
  assert.ok((await eventTypes(app, customer)).includes("account.unfrozen"));
  const capture = await call(app, "POST", `/holds/${hold.body.id}/capture`, {
    token: customer.token,
    body: {},
  });
  assert.equal(capture.status, 200);
});

bankTest("a transfer into a frozen account of someone else is approved", async () => {
  const { app } = await testApp();
  const payer = await signUp(app);
  const payee = await signUp(app);
  const from = await fundedAccount(app, payer, "100");
  const to = await openAccount(app, payee);
  await statusChange(app, payee, to.id, "freeze");
  const reply = await transfer(app, payer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "40",
  });
  assert.equal(reply.status, 201);
  assert.equal(await balanceOf(app, payee, to.id), "40.00");
});

bankTest("close answers 409 holds_active, then balance_not_zero, then closes", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100");
  const other = await openAccount(app, customer);
  const hold = await placeHold(app, customer, account.id, { amount: "30" });
  const withHold = await statusChange(app, customer, account.id, "close");
  assert.equal(withHold.status, 409);
  assert.equal(withHold.body.code, "holds_active");
  await call(app, "POST", `/holds/${hold.body.id}/void`, { token: customer.token });
  const withMoney = await statusChange(app, customer, account.id, "close");
  assert.equal(withMoney.status, 409);
  assert.equal(withMoney.body.code, "balance_not_zero");
  await transfer(app, customer, {
    from_account_id: account.id,
    to_account_id: other.id,
    amount: "100",
  });
  const closed = await statusChange(app, customer, account.id, "close");
  assert.equal(closed.status, 200);
  assert.equal(closed.body.status, "closed");
  assert.ok((await eventTypes(app, customer)).includes("account.closed"));
  const again = await statusChange(app, customer, account.id, "close");
  assert.equal(again.status, 200, "closing a closed account changes nothing");
  for (const action of ["freeze", "unfreeze"] as const) {
    const reply = await statusChange(app, customer, account.id, action);
    assert.equal(reply.status, 409, action);
    assert.equal(reply.body.code, "account_already_closed", action);
  }
});

bankTest("close answers 409 payments_pending while an outbound payment may come back", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100");
  // 9999000009 stays pending until a simulation settles it.
  const payment = await sendPayment(app, customer, {
    from_account_id: account.id,
    amount: "100",
    counterpartyNumber: "9999000009",
  });
  assert.equal(payment.status, 201);
  const reply = await statusChange(app, customer, account.id, "close");
  assert.equal(reply.status, 409);
  assert.equal(reply.body.code, "payments_pending");
  await call(app, "POST", `/simulations/payments/${payment.body.id}/settle`, {
    token: customer.token,
  });
  assert.equal((await statusChange(app, customer, account.id, "close")).status, 200);
});

bankTest("a closed account lets nothing in or out, each refusal recorded", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const stranger = await signUp(app);
  const account = await openAccount(app, customer);
  const funded = await fundedAccount(app, stranger, "100");
  await statusChange(app, customer, account.id, "close");
  const attempts = {
    deposit: await deposit(app, customer, account.id, "10"),
    withdraw: await call<AccountReply>(app, "POST", `/accounts/${account.id}/withdraw`, {
      token: customer.token,
      body: { amount: "10" },
    }),
    hold: await placeHold(app, customer, account.id, { amount: "10" }),
    payment_out: await sendPayment(app, customer, { from_account_id: account.id, amount: "10" }),
  };
  for (const [type, reply] of Object.entries(attempts)) {
    assert.equal(reply.status, 422, type);
    assert.equal(reply.body.code, "account_closed", type);
    const row = await recorded(app, customer, reply.body.transaction_id as string);
    assert.deepEqual([row.status, row.reason, row.type], ["rejected", "account_closed", type]);
  }
  const into = await transfer(app, stranger, {
    from_account_id: funded.id,
    to_account_id: account.id,
    amount: "10",
  });
  assert.equal(into.status, 422);
  assert.equal(into.body.code, "account_closed");
  const row = await recorded(app, stranger, into.body.transaction_id as string);
  assert.deepEqual([row.status, row.reason], ["rejected", "account_closed"]);
  assert.equal(await balanceOf(app, stranger, funded.id), "100.00");
  assert.equal(await balanceOf(app, customer, account.id), "0.00");
});

bankTest("an inbound payment to a closed account is returned account_closed", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const announce = () =>
    call<{ id: string; status: string; return_reason: string | null }>(
      app,
      "POST",
      "/simulations/inbound_payments",
      {
        token: customer.token,
        body: {
          account_number: account.account_number,
          amount: "25",
          counterparty: counterparty(),
        },
      },
    );
  // Announced while open, settling after the close: returned at settlement.
  const early = await announce();
  assert.equal(early.body.status, "pending");
  await statusChange(app, customer, account.id, "close");
  await advanceClock(app, customer, 120);
  const settled = await getPayment(app, customer, early.body.id);
  assert.equal(settled.status, "returned");
  assert.equal(settled.return_reason, "account_closed");
  // Announced to the closed account: returned at once.
  const late = await announce();
  assert.equal(late.status, 201);
  assert.equal(late.body.status, "returned");
  assert.equal(late.body.return_reason, "account_closed");
  assert.equal(await balanceOf(app, customer, account.id), "0.00");
  // The refused credits are recorded, and the audit knows that shape of a returned payment.
  const { findings } = await auditDatabase((await testDatabase()).sql, { realNow: new Date() });
  const mine = findings.filter((finding) =>
    [early.body.id, late.body.id].some((id) => finding.subject.includes(id))
  );
  assert.deepEqual(mine, []);
});

bankTest("another user's account is a 404 for freeze, unfreeze, close and balance", async () => {
  const { app } = await testApp();
  const owner = await signUp(app);
  const intruder = await signUp(app);
  const account = await fundedAccount(app, owner, "10");
  for (const action of ["freeze", "unfreeze", "close"] as const) {
    const reply = await statusChange(app, intruder, account.id, action);
    assert.equal(reply.status, 404, action);
  }
  const balance = await call(app, "GET", `/accounts/${account.id}/balance`, {
    token: intruder.token,
  });
  assert.equal(balance.status, 404);
  const mine = await call<AccountReply>(app, "GET", `/accounts/${account.id}`, {
    token: owner.token,
  });
  assert.equal(mine.body.status, "active", "nothing changed");
});

bankTest("a freeze holds an unknown field or an empty reason to a 400", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const empty = await statusChange(app, customer, account.id, "freeze", { reason: "" });
  assert.equal(empty.status, 400);
  const unknown = await statusChange(app, customer, account.id, "close", { force: true });
  assert.equal(unknown.status, 400);
});

bankTest(
  "GET /accounts/{id}/balance?at= sums the ledger at that moment on the owner's clock",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "100");
    const first = await call<{ at: string }>(app, "GET", `/accounts/${account.id}/balance`, {
      token: customer.token,
    });
    assert.equal(first.status, 200);
    const before = first.body.at;
    await advanceClock(app, customer, 3600);
    const second = await deposit(app, customer, account.id, "50");
    const at = (when: string) =>
      call<{ balance: string; last_transaction_id: string | null; at: string; currency: string }>(
        app,
        "GET",
        `/accounts/${account.id}/balance?at=${encodeURIComponent(when)}`,
        { token: customer.token },
      );
    const then = await at(before);
    assert.equal(then.status, 200);
    assert.equal(then.body.balance, "100.00");
    assert.equal(then.body.currency, "ZAR");
    const now = await call<{ balance: string; last_transaction_id: string }>(
      app,
      "GET",
      `/accounts/${account.id}/balance`,
      { token: customer.token },
    );
    assert.equal(now.body.balance, "150.00");
    assert.equal(now.body.last_transaction_id, second.body.id);
    const ancient = await at("2000-01-01T00:00:00Z");
    assert.deepEqual([ancient.body.balance, ancient.body.last_transaction_id], ["0.00", null]);
    // An hour ahead of real time is not in the future on this clock; two hours is.
    const ahead = new Date(Date.now() + 1800_000).toISOString();
    assert.equal((await at(ahead)).status, 200);
    const future = await at(new Date(Date.now() + 7200_000).toISOString());
    assert.equal(future.status, 400);
    const bad = await call(app, "GET", `/accounts/${account.id}/balance?at=yesterday`, {
      token: customer.token,
    });
    assert.equal(bad.status, 400);
    const unknown = await call(app, "GET", `/accounts/${account.id}/balance?when=now`, {
      token: customer.token,
    });
    assert.equal(unknown.status, 400);
  },
);

bankTest("status events reach webhook endpoints that ask for them, with the Account", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const endpoint = await call<{ id: string }>(app, "POST", "/webhook_endpoints", {
    token: customer.token,
    body: {
      url: "http://localhost:8500/hooks",
      event_types: ["account.frozen", "account.unfrozen", "account.closed"],
    },
  });
  assert.equal(endpoint.status, 201);
  await statusChange(app, customer, account.id, "freeze", { reason: "Travelling" });
  await statusChange(app, customer, account.id, "unfreeze");
  await statusChange(app, customer, account.id, "close");
  const deliveries = await call<{ data: { event_type: string }[] }>(
    app,
    "GET",
    `/webhook_endpoints/${endpoint.body.id}/deliveries`,
    { token: customer.token },
  );
  assert.deepEqual(
    deliveries.body.data.map((delivery) => delivery.event_type).sort(),
    ["account.closed", "account.frozen", "account.unfrozen"],
  );
  const events = await call<{ data: { type: string; data: { object: AccountReply } }[] }>(
    app,
    "GET",
    "/events?type=account.frozen",
    { token: customer.token },
  );
  assert.equal(events.body.data[0].data.object.status, "frozen");
  assert.equal(events.body.data[0].data.object.status_reason, "Travelling");
});
