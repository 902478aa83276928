/**
 * The standing-order and debit-order planners with no database: facts in, plans out. Each test
 * names the rule it guards.
 */
import assert from "node:assert/strict";
import type { DebitOrderState } from "../../domain/debit_orders.ts";
import { ConflictError, NotFoundError } from "../../domain/errors.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";
import {
  type Command,
  type CommandFacts,
  type DecidedPlan,
  type Decision,
  type LockedAccount,
  planGroup,
} from "../../domain/pipeline.ts";
import { PLANNERS } from "../../domain/planners/mod.ts";
import type { ScheduleState } from "../../domain/schedules.ts";
import { testConfig } from "../support/app.ts";

const NOW = new Date("2027-03-10T10:00:00Z");
const ALICE = "00000000-0000-4000-8000-00000000000a";
const BOB = "00000000-0000-4000-8000-00000000000b";
const rules = createFraudRules({ maxTransferAmount: "150000", maxTransfers: 5, windowSeconds: 60 });
const CALENDAR = testConfig().clearingCalendar;
const clearing = { settlementSeconds: 60, calendar: CALENDAR };
const quiet: CommandFacts = { now: NOW, recentCount: 0n, outflow24h: 0n, held: 0n };

const account = (balance: bigint, status: LockedAccount["status"] = "active"): LockedAccount => ({
  id: "a",
  userId: ALICE,
  accountNumber: "4001234569",
  currency: "ZAR",
  balance,
  status,
  statusReason: null,
  clockOffsetSeconds: 0n,
  createdAt: NOW,
  updatedAt: NOW,
});

const schedule: ScheduleState = {
  id: "s",
  userId: ALICE,
  accountId: "a",
  amount: 100_00n,
  currency: "ZAR",
  counterparty: { name: "Acme", bank_code: "250655", account_number: "62001234567" },
  description: "Rent",
  interval: "monthly",
  startDate: "2027-01-31",
  nextRunOn: "2027-02-28",
  nextRunAt: new Date("2027-02-28T04:00:00Z"),
  runsMade: 1,
  count: 3,
  endDate: null,
  status: "active",
  createdAt: new Date("2027-01-01T00:00:00Z"),
  endedAt: null,
};

const order: DebitOrderState = {
  id: "d",
  userId: ALICE,
  accountId: "a",
  amount: 50_00n,
  currency: "ZAR",
  creditor: { name: "Gym Co", reference: "M-1" },
  collectOn: "2027-03-09",
  collectAt: new Date("2027-03-09T04:00:00Z"),
  status: "scheduled",
  reason: null,
  transactionId: null,
  reversalTransactionId: null,
  createdAt: new Date("2027-03-01T00:00:00Z"),
  collectedAt: null,
  reversedAt: null,
};

function decide(
  commands: Command[],
  facts: {
    balance: bigint;
    status?: LockedAccount["status"];
    schedules?: ScheduleState[];
    debitOrders?: DebitOrderState[];
  },
) {
  let next = 0;
  return planGroup(
    commands,
    {
      accounts: [account(facts.balance, facts.status)],
      holds: [],
      payments: [],
      cards: [],
      authorizations: [],
      schedules: facts.schedules ?? [],
      debitOrders: facts.debitOrders ?? [],
      perCommand: commands.map(() => quiet),
    },
    PLANNERS,
    { rules, newId: () => `id-${++next}` },
  );
}

function planOf(decision: Decision): DecidedPlan {
  if ("error" in decision) throw decision.error;
  return decision.plan;
}

const run = (userId = ALICE): Command => ({
  kind: "schedule_run",
  userId,
  realNow: NOW,
  scheduleId: "s",
  accountId: "a",
  clearing,
});

Deno.test("a schedule run is an eft payment_out dated at its due time, and moves the schedule on", () => {
  const plan = planOf(decide([run()], { balance: 1000_00n, schedules: [schedule] }).decisions[0]);
  assert.deepEqual(plan.ledger.map((row) => [row.type, row.status, row.createdAt]), [
    ["payment_out", "approved", schedule.nextRunAt],
  ]);
  assert.equal(plan.payments[0].rail, "eft");
  assert.deepEqual(plan.scheduleRuns?.map((r) => [r.runNumber, r.runOn]), [[2, "2027-02-28"]]);
  const after = plan.schedules?.[0];
  assert.deepEqual([after?.runsMade, after?.nextRunOn, after?.status], [2, "2027-03-31", "active"]);
  assert.ok(plan.events.some((event) => event.type === "payment_schedule.run"));
});

Deno.test("a run refused by the fraud rules is a rejected payment and a run_failed event", () => {
  const big = { ...schedule, amount: 200_000_00n };
  const plan = planOf(decide([run()], { balance: 300_000_00n, schedules: [big] }).decisions[0]);
  assert.equal(plan.ledger[0].reason, "amount_limit");
  assert.equal(plan.payments[0].status, "rejected");
  assert.equal(plan.written[0].fromBalanceAfter, null, "nothing moves");
  assert.ok(plan.events.some((event) => event.type === "payment_schedule.run_failed"));
  assert.ok(!plan.events.some((event) => event.type === "payment_schedule.run"));
});

Deno.test("the last counted run completes the schedule", () => {
  const last = { ...schedule, runsMade: 2, nextRunOn: "2027-03-31" };
  const due = { ...last, nextRunAt: new Date("2027-03-10T04:00:00Z") };
  const plan = planOf(decide([run()], { balance: 1000_00n, schedules: [due] }).decisions[0]);
  assert.equal(plan.schedules?.[0].status, "completed");
  assert.ok(plan.events.some((event) => event.type === "payment_schedule.completed"));
});

Deno.test("a run not yet due, or of an ended schedule, is a 409; twice in one group runs once", () => {
  const later = { ...schedule, nextRunAt: new Date("2027-03-11T04:00:00Z") };
  const early = decide([run()], { balance: 1000_00n, schedules: [later] }).decisions[0];
  assert.ok("error" in early && early.error instanceof ConflictError);
  const cancelled = { ...schedule, status: "cancelled" as const };
  const ended = decide([run()], { balance: 1000_00n, schedules: [cancelled] }).decisions[0];
  assert.ok("error" in ended && ended.error instanceof ConflictError);
  // The first run moves next_run_at past now (Mar 31): the second finds nothing due.
  const twice = decide([run(), run()], { balance: 1000_00n, schedules: [schedule] }).decisions;
  assert.ok("plan" in twice[0]);
  assert.ok("error" in twice[1] && twice[1].error instanceof ConflictError);
});

Deno.test("another user's schedule is not found", () => {
  const decision = decide([run(BOB)], { balance: 1000_00n, schedules: [schedule] }).decisions[0];
  assert.ok("error" in decision && decision.error instanceof NotFoundError);
});

const collect: Command = {
  kind: "debit_order_collect",
  userId: ALICE,
  realNow: NOW,
  debitOrderId: "d",
  accountId: "a",
};

Deno.test("a due debit order is collected as a debit_order row at its due time", () => {
  const plan = planOf(decide([collect], { balance: 100_00n, debitOrders: [order] }).decisions[0]);
  assert.deepEqual(plan.ledger.map((row) => [row.type, row.status, row.createdAt]), [
    ["debit_order", "approved", order.collectAt],
  ]);
  assert.equal(plan.written[0].fromBalanceAfter, 50_00n);
  assert.equal(plan.debitOrders?.[0].status, "collected");
});

Deno.test("a debit order the available balance does not cover fails insufficient_funds, recorded", () => {
  const plan = planOf(decide([collect], { balance: 10_00n, debitOrders: [order] }).decisions[0]);
  assert.deepEqual(plan.ledger.map((row) => [row.status, row.reason]), [
    ["rejected", "insufficient_funds"],
  ]);
  assert.deepEqual([plan.debitOrders?.[0].status, plan.debitOrders?.[0].reason], [
    "failed",
    "insufficient_funds",
  ]);
});

Deno.test("a debit order on a frozen account fails account_frozen, recorded, whatever the funds", () => {
  const plan = planOf(
    decide([collect], { balance: 100_00n, status: "frozen", debitOrders: [order] }).decisions[0],
  );
  assert.deepEqual(plan.ledger.map((row) => [row.status, row.reason]), [
    ["rejected", "account_frozen"],
  ]);
  assert.equal(plan.debitOrders?.[0].status, "failed");
});

const dispute = (days: number): Command => ({
  kind: "debit_order_dispute",
  userId: ALICE,
  realNow: NOW,
  debitOrderId: "d",
  disputeWindowDays: days,
});
const collected: DebitOrderState = {
  ...order,
  status: "collected",
  transactionId: "t",
  collectedAt: new Date("2027-02-01T04:00:00Z"),
};

Deno.test("a dispute within the window reverses the collection with a debit_order_reversal credit", () => {
  const plan = planOf(
    decide([dispute(40)], { balance: 0n, debitOrders: [collected] }).decisions[0],
  );
  assert.deepEqual(plan.ledger.map((row) => [row.type, row.toAccountId, row.amount]), [
    ["debit_order_reversal", "a", 50_00n],
  ]);
  assert.equal(plan.debitOrders?.[0].status, "reversed");
});

Deno.test("a dispute after the window, or of an order not collected, is a 409", () => {
  const late = decide([dispute(30)], { balance: 0n, debitOrders: [collected] }).decisions[0];
  assert.ok("error" in late && late.error instanceof ConflictError);
  assert.equal((late.error as ConflictError).code, "dispute_window_closed");
  const early = decide([dispute(40)], { balance: 0n, debitOrders: [order] }).decisions[0];
  assert.ok("error" in early && early.error instanceof ConflictError);
});
