/**
 * Debit orders over HTTP: simulated on your own account, collected on their date by the sandbox
 * clock (debit_order), failing when funds are short (a rejected row), disputed back
 * (debit_order_reversal) within DEBIT_ORDER_DISPUTE_DAYS and refused after; another's is a 404.
 */
import assert from "node:assert/strict";
import { businessDayAfter, localDate, zonedInstant } from "../../domain/business_days.ts";
import { addDays } from "../../domain/public_holidays.ts";
import { auditDatabase } from "../../db/audit.ts";
import { bankTest, testApp, testConfig } from "../support/app.ts";
import {
  type AccountJson,
  balanceOf,
  call,
  type Customer,
  fundedAccount,
  signUp,
} from "../support/client.ts";
import type { Requestable } from "../support/client.ts";

const CALENDAR = testConfig().clearingCalendar;
const DAY_SECONDS = 86_400;
type Json = Record<string, unknown>;

function today(): string {
  return localDate(new Date(), CALENDAR.timeZone);
}

async function simulate(app: Requestable, customer: Customer, account: AccountJson, body: Json) {
  return await call<Json>(app, "POST", "/simulations/debit_orders", {
    token: customer.token,
    body: {
      account_number: account.account_number,
      amount: "150",
      creditor: { name: "Gym Co", reference: "MEMBER-42" },
      ...body,
    },
  });
}

async function advanceDays(app: Requestable, customer: Customer, days: number) {
  const reply = await call(app, "POST", "/simulations/clock/advance", {
    token: customer.token,
    body: { seconds: days * DAY_SECONDS },
  });
  assert.equal(reply.status, 200);
}

async function getOrder(app: Requestable, customer: Customer, id: unknown) {
  const reply = await call<Json>(app, "GET", `/debit_orders/${id}`, { token: customer.token });
  assert.equal(reply.status, 200);
  return reply.body;
}

async function transaction(app: Requestable, customer: Customer, id: unknown) {
  const reply = await call<Json>(app, "GET", `/transactions/${id}`, { token: customer.token });
  assert.equal(reply.status, 200);
  return reply.body;
}

async function dispute(app: Requestable, customer: Customer, id: unknown) {
  return await call<Json>(app, "POST", `/debit_orders/${id}/dispute`, { token: customer.token });
}

bankTest(
  "POST /simulations/debit_orders is 201 scheduled for the next business day by default",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const created = await simulate(app, customer, account, {});
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, "scheduled");
    assert.equal(created.body.collect_on, businessDayAfter(CALENDAR, today()));
    assert.equal(created.body.amount, "150.00");
    assert.equal(created.body.transaction_id, null);
    const list = await call<{ data: Json[] }>(app, "GET", "/debit_orders", {
      token: customer.token,
    });
    assert.deepEqual(list.body.data.map((order) => order.id), [created.body.id]);
    assert.deepEqual(await getOrder(app, customer, created.body.id), created.body);
  },
);

bankTest("a debit order is collected on its date as a debit_order transaction", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const collectOn = addDays(today(), 3);
  const created = await simulate(app, customer, account, { collect_on: collectOn });
  await advanceDays(app, customer, 2);
  assert.equal((await getOrder(app, customer, created.body.id)).status, "scheduled");
  await advanceDays(app, customer, 2);
  const order = await getOrder(app, customer, created.body.id);
  assert.equal(order.status, "collected");
  const entry = await transaction(app, customer, order.transaction_id);
  assert.equal(entry.type, "debit_order");
  assert.equal(entry.status, "approved");
  assert.equal(entry.from_account_id, account.id);
  const due = zonedInstant(collectOn, CALENDAR.eftSettlement, CALENDAR.timeZone);
  assert.equal(entry.created_at, due.toISOString());
  assert.equal(await balanceOf(app, customer, account.id), "850.00");
  const statement = await call<{ entries: Json[] }>(
    app,
    "GET",
    `/accounts/${account.id}/statement?from=${today()}&to=${addDays(collectOn, 1)}`,
    { token: customer.token },
  );
  assert.equal(statement.status, 200);
  const line = statement.body.entries.find((e) => e.transaction_id === order.transaction_id);
  assert.deepEqual([line?.type, line?.amount], ["debit_order", "-150.00"]);
});

bankTest(
  "a debit order the funds do not cover fails insufficient_funds, recorded as a rejected row",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "100");
    const created = await simulate(app, customer, account, { collect_on: addDays(today(), 1) });
    await advanceDays(app, customer, 2);
    const order = await getOrder(app, customer, created.body.id);
    assert.equal(order.status, "failed");
    assert.equal(order.reason, "insufficient_funds");
    const entry = await transaction(app, customer, order.transaction_id);
    assert.deepEqual([entry.type, entry.status, entry.reason], [
      "debit_order",
      "rejected",
      "insufficient_funds",
    ]);
    assert.equal(await balanceOf(app, customer, account.id), "100.00");
    const again = await dispute(app, customer, created.body.id);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, "debit_order_not_collected");
  },
);

bankTest(
  "POST /debit_orders/{id}/dispute reverses a collection with a debit_order_reversal credit",
  async () => {
    const { app, sql } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const created = await simulate(app, customer, account, { collect_on: addDays(today(), 1) });
    const early = await dispute(app, customer, created.body.id);
    assert.equal(early.status, 409, "nothing to dispute before collection");
    await advanceDays(app, customer, 10);
    const disputed = await dispute(app, customer, created.body.id);
    assert.equal(disputed.status, 200, JSON.stringify(disputed.body));
    assert.equal(disputed.body.status, "reversed");
    const credit = await transaction(app, customer, disputed.body.reversal_transaction_id);
    assert.deepEqual([credit.type, credit.status, credit.to_account_id], [
      "debit_order_reversal",
      "approved",
      account.id,
    ]);
    assert.equal(await balanceOf(app, customer, account.id), "1000.00");
    const events = await call<{ data: { type: string }[] }>(app, "GET", "/events?limit=50", {
      token: customer.token,
    });
    assert.deepEqual(
      events.body.data.map((e) => e.type).filter((t) => t.startsWith("debit_order.")).toReversed(),
      ["debit_order.created", "debit_order.collected", "debit_order.reversed"],
    );
    const twice = await dispute(app, customer, created.body.id);
    assert.equal(twice.status, 409);
    // The audit finds each order's ledger rows as its status says, and their shapes right.
    const report = await auditDatabase(sql, { realNow: new Date() });
    const checks = ["debit_order_has_its_entries", "entry_shape_matches_type"];
    assert.deepEqual(report.findings.filter((f) => checks.includes(f.check)), []);
  },
);

bankTest("a dispute after DEBIT_ORDER_DISPUTE_DAYS is 409 dispute_window_closed", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const created = await simulate(app, customer, account, { collect_on: addDays(today(), 1) });
  // Collected on day 1 at the clearing run; day 42 is past its 40 days.
  await advanceDays(app, customer, 42);
  const late = await dispute(app, customer, created.body.id);
  assert.equal(late.status, 409);
  assert.equal(late.body.code, "dispute_window_closed");
  assert.equal((await getOrder(app, customer, created.body.id)).status, "collected");
  assert.equal(await balanceOf(app, customer, account.id), "850.00");
});

bankTest(
  "another user's debit order is a 404, and so is a debit order on their account",
  async () => {
    const { app } = await testApp();
    const owner = await signUp(app);
    const account = await fundedAccount(app, owner, "1000");
    const created = await simulate(app, owner, account, {});
    const stranger = await signUp(app);
    const read = await call(app, "GET", `/debit_orders/${created.body.id}`, {
      token: stranger.token,
    });
    assert.equal(read.status, 404);
    assert.equal((await dispute(app, stranger, created.body.id)).status, 404);
    assert.equal((await simulate(app, stranger, account, {})).status, 404);
  },
);
