/**
 * Payment rails over HTTP: `eft` settling in business-day clearing runs on the sandbox clock,
 * ISO 20022 return codes, returns after settlement and their window, the magic numbers 9999000005
 * and 9999000006, the clearing calendar, and confirmation of payee.
 */
import assert from "node:assert/strict";
import { isBusinessDay } from "../../domain/business_days.ts";
import { addDays, weekday } from "../../domain/public_holidays.ts";
import { bankTest, testApp, testConfig } from "../support/app.ts";
import {
  balanceOf,
  call,
  type Customer,
  fundedAccount,
  openAccount,
  signUp,
} from "../support/client.ts";
import type { Requestable } from "../support/client.ts";
import { advanceClock, counterparty, getPayment, sendPayment } from "../support/payments.ts";

const CALENDAR = testConfig().clearingCalendar;

/**
 * The first date at least two days from now whose next `days` days are business days in the
 * bank's calendar, starting on `weekdayWanted` (1 Monday … 5 Friday) if given.
 */
function plainRunOfDays(days: number, weekdayWanted?: number): string {
  let date = addDays(new Date().toISOString().slice(0, 10), 2);
  for (;;) {
    const run = Array.from({ length: days }, (_, i) => addDays(date, i));
    const fits = weekdayWanted === undefined || weekday(date) === weekdayWanted;
    if (fits && run.every((day) => isBusinessDay(CALENDAR, day))) return date;
    date = addDays(date, 1);
  }
}

/** Moves the customer's sandbox clock to `to` (RFC 3339). */
async function clockTo(app: Requestable, customer: Customer, to: string) {
  const reply = await call(app, "POST", "/simulations/clock/advance", {
    token: customer.token,
    body: { to },
  });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
}

async function sendEft(app: Requestable, customer: Customer, accountId: string, number?: string) {
  return await call<Record<string, unknown>>(app, "POST", "/payments", {
    token: customer.token,
    body: {
      from_account_id: accountId,
      amount: "100",
      counterparty: counterparty(number),
      rail: "eft",
    },
  });
}

bankTest("a payment without a rail is instant, as before, with no return code", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const sent = await sendPayment(app, customer, { from_account_id: account.id, amount: "10" });
  assert.equal(sent.status, 201);
  assert.equal(sent.body.rail, "instant");
  assert.equal(sent.body.return_code, null);
  const created = Date.parse(String(sent.body.created_at));
  assert.equal(Date.parse(sent.body.settles_at) - created, 60_000);
});

bankTest("an eft before the cut-off settles in the next business day's 06:00 run", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const day = plainRunOfDays(2);
  await clockTo(app, customer, `${day}T12:59:59Z`); // 14:59:59 SAST
  const sent = await sendEft(app, customer, account.id);
  assert.equal(sent.status, 201);
  assert.equal(sent.body.rail, "eft");
  const settlesAt = `${addDays(day, 1)}T04:00:00.000Z`;
  assert.equal(sent.body.settles_at, settlesAt);
  await clockTo(app, customer, new Date(Date.parse(settlesAt) - 1000).toISOString());
  assert.equal((await getPayment(app, customer, String(sent.body.id))).status, "pending");
  await advanceClock(app, customer, 1);
  const settled = await getPayment(app, customer, String(sent.body.id));
  assert.equal(settled.status, "settled");
  assert.equal(settled.settled_at, settlesAt);
});

bankTest(
  "an eft at 15:00:00 exactly misses the cut-off and settles a business day later",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const day = plainRunOfDays(3);
    await clockTo(app, customer, `${day}T13:00:00Z`); // 15:00:00 SAST
    const sent = await sendEft(app, customer, account.id);
    assert.equal(sent.body.settles_at, `${addDays(day, 2)}T04:00:00.000Z`);
  },
);

bankTest("an eft sent on a Saturday settles on the second business day after it", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const monday = plainRunOfDays(2, 1);
  await clockTo(app, customer, `${addDays(monday, -2)}T08:00:00Z`);
  const sent = await sendEft(app, customer, account.id);
  assert.equal(sent.body.settles_at, `${addDays(monday, 1)}T04:00:00.000Z`);
});

for (
  const [number, reason, code] of [
    ["9999000001", "account_closed", "AC04"],
    ["9999000002", "no_account", "AC01"],
    ["9999000003", "insufficient_funds", "AM04"],
    ["9999000004", "authorization_revoked", "MD01"],
    ["9999000005", "blocked_account", "AC06"],
  ]
) {
  bankTest(`a payment to ${number} is returned ${reason} with code ${code}`, async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const sent = await sendPayment(app, customer, {
      from_account_id: account.id,
      amount: "300",
      counterpartyNumber: number,
    });
    await advanceClock(app, customer, 60);
    const returned = await getPayment(app, customer, sent.body.id);
    assert.equal(returned.status, "returned");
    assert.equal(returned.return_reason, reason);
    assert.equal((returned as unknown as { return_code: string }).return_code, code);
    assert.equal(await balanceOf(app, customer, account.id), "1000.00");
  });
}

bankTest(
  "a payment to 9999000006 settles, then is returned refund_requested two business days later",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const day = plainRunOfDays(3);
    await clockTo(app, customer, `${day}T08:00:00Z`); // 10:00 SAST
    const sent = await sendPayment(app, customer, {
      from_account_id: account.id,
      amount: "300",
      counterpartyNumber: "9999000006",
    });
    await advanceClock(app, customer, 60);
    assert.equal((await getPayment(app, customer, sent.body.id)).status, "settled");
    assert.equal(await balanceOf(app, customer, account.id), "700.00");
    const returnsAt = `${addDays(day, 2)}T04:00:00.000Z`;
    await clockTo(app, customer, new Date(Date.parse(returnsAt) - 1000).toISOString());
    assert.equal((await getPayment(app, customer, sent.body.id)).status, "settled");
    await advanceClock(app, customer, 1);
    const returned = await getPayment(app, customer, sent.body.id);
    assert.equal(returned.status, "returned");
    assert.equal(returned.return_reason, "refund_requested");
    assert.equal((returned as unknown as { return_code: string }).return_code, "MD06");
    assert.equal(returned.returned_at, returnsAt);
    assert.equal(returned.settled_at, sent.body.settles_at);
    assert.equal(await balanceOf(app, customer, account.id), "1000.00");
    const credit = await call(app, "GET", `/transactions/${returned.return_transaction_id}`, {
      token: customer.token,
    });
    assert.equal(credit.body.type, "payment_return");
  },
);

bankTest(
  "one clock advance past both settles 9999000006 and then returns it, in that order",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const sent = await sendPayment(app, customer, {
      from_account_id: account.id,
      amount: "300",
      counterpartyNumber: "9999000006",
    });
    await advanceClock(app, customer, 10 * 86_400);
    const returned = await getPayment(app, customer, sent.body.id);
    assert.equal(returned.status, "returned");
    assert.ok(returned.settled_at && returned.returned_at);
    assert.ok(Date.parse(returned.returned_at) > Date.parse(returned.settled_at));
    assert.equal(await balanceOf(app, customer, account.id), "1000.00");
  },
);

bankTest("a settled outbound payment is returned within the window and credited back", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const sent = await sendPayment(app, customer, { from_account_id: account.id, amount: "250" });
  await advanceClock(app, customer, 60);
  assert.equal((await getPayment(app, customer, sent.body.id)).status, "settled");
  // Five seconds before the window closes (its exact edge is the unit tests': real time runs on
  // under the sandbox clock while the request is in flight).
  const lastSeconds = Date.parse(sent.body.settles_at) + 60 * 86_400_000 - 5_000;
  await clockTo(app, customer, new Date(lastSeconds).toISOString());
  const reply = await call<Record<string, unknown>>(
    app,
    "POST",
    `/simulations/payments/${sent.body.id}/return`,
    { token: customer.token, body: { reason: "refund_requested", code: "MS03" } },
  );
  assert.equal(reply.status, 200);
  assert.equal(reply.body.status, "returned");
  assert.equal(reply.body.return_code, "MS03");
  assert.equal(reply.body.settled_at, sent.body.settles_at);
  assert.equal(await balanceOf(app, customer, account.id), "1000.00");
  const credit = await call(app, "GET", `/transactions/${reply.body.return_transaction_id}`, {
    token: customer.token,
  });
  assert.equal(credit.body.type, "payment_return");
  assert.equal(credit.body.amount, "250.00");
});

bankTest(
  "after the return window a settled payment's return is 409 return_window_closed",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const sent = await sendPayment(app, customer, { from_account_id: account.id, amount: "250" });
    await advanceClock(app, customer, 60);
    await advanceClock(app, customer, 60 * 86_400 + 1);
    const reply = await call(app, "POST", `/simulations/payments/${sent.body.id}/return`, {
      token: customer.token,
      body: { reason: "refund_requested" },
    });
    assert.equal(reply.status, 409);
    assert.equal(reply.body.code, "return_window_closed");
    assert.equal((await getPayment(app, customer, sent.body.id)).status, "settled");
    assert.equal(await balanceOf(app, customer, account.id), "750.00");
  },
);

bankTest("PAYMENT_RETURN_WINDOW_DAYS sets the window", async () => {
  const { app } = await testApp({ env: { PAYMENT_RETURN_WINDOW_DAYS: "1" } });
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const sent = await sendPayment(app, customer, { from_account_id: account.id, amount: "250" });
  await advanceClock(app, customer, 60 + 86_401);
  const reply = await call(app, "POST", `/simulations/payments/${sent.body.id}/return`, {
    token: customer.token,
    body: { reason: "refund_requested" },
  });
  assert.equal(reply.status, 409);
  assert.equal(reply.body.code, "return_window_closed");
});

bankTest("a return with an unknown code or an unknown rail is a 400", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const badRail = await call(app, "POST", "/payments", {
    token: customer.token,
    body: { from_account_id: account.id, amount: "1", counterparty: counterparty(), rail: "swift" },
  });
  assert.equal(badRail.status, 400);
  const sent = await sendPayment(app, customer, { from_account_id: account.id, amount: "1" });
  const badCode = await call(app, "POST", `/simulations/payments/${sent.body.id}/return`, {
    token: customer.token,
    body: { reason: "no_account", code: "XX99" },
  });
  assert.equal(badCode.status, 400);
  assert.equal(await balanceOf(app, customer, account.id), "999.00");
});

bankTest("an inbound eft credits the account in the clearing run", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const day = plainRunOfDays(2);
  await clockTo(app, customer, `${day}T08:00:00Z`);
  const inbound = await call<Record<string, unknown>>(
    app,
    "POST",
    "/simulations/inbound_payments",
    {
      token: customer.token,
      body: { account_number: account.account_number, amount: "40", rail: "eft" },
    },
  );
  assert.equal(inbound.status, 201);
  assert.equal(inbound.body.rail, "eft");
  assert.equal(inbound.body.settles_at, `${addDays(day, 1)}T04:00:00.000Z`);
  await clockTo(app, customer, `${addDays(day, 1)}T04:00:00Z`);
  assert.equal(await balanceOf(app, customer, account.id), "40.00");
});
