/**
 * The planners and the group decision loop, with no database: facts in, plans out. Each test names
 * the rule it guards; breaking that rule in domain/ fails it.
 */
import assert from "node:assert/strict";
import { ConflictError, NotFoundError } from "../../domain/errors.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";
import {
  type Command,
  type CommandFacts,
  type DecidedPlan,
  type Decision,
  type HoldState,
  type LockedAccount,
  type PaymentState,
  planGroup,
} from "../../domain/pipeline.ts";
import { PLANNERS } from "../../domain/planners/mod.ts";

const NOW = new Date("2026-06-01T10:00:00Z");
const ALICE = "00000000-0000-4000-8000-00000000000a";
const BOB = "00000000-0000-4000-8000-00000000000b";
const rules = createFraudRules({ maxTransferAmount: "150000", maxTransfers: 5, windowSeconds: 60 });

function account(id: string, balance: bigint, extra: Partial<LockedAccount> = {}): LockedAccount {
  return { id, userId: ALICE, currency: "ZAR", balance, clockOffsetSeconds: 0n, ...extra };
}

const quiet: CommandFacts = { now: NOW, recentCount: 0n, outflow24h: 0n, held: 0n };

function decide(
  commands: Command[],
  facts: {
    accounts: LockedAccount[];
    holds?: HoldState[];
    payments?: PaymentState[];
    perCommand?: CommandFacts[];
  },
) {
  let next = 0;
  return planGroup(
    commands,
    {
      accounts: facts.accounts,
      holds: facts.holds ?? [],
      payments: facts.payments ?? [],
      perCommand: facts.perCommand ?? commands.map(() => quiet),
    },
    PLANNERS,
    { rules, newId: () => `id-${++next}` },
  );
}

function planOf(decision: Decision): DecidedPlan {
  if ("error" in decision) throw decision.error;
  return decision.plan;
}

const base = { userId: ALICE, description: null, realNow: NOW };

Deno.test("a withdrawal above the amount limit is refused by the fraud rules (amount_limit)", () => {
  const { decisions } = decide(
    [{ kind: "withdraw", ...base, accountId: "a", amount: "200000.00" }],
    { accounts: [account("a", 300_000_00n)] },
  );
  const plan = planOf(decisions[0]);
  assert.equal(plan.verdict.approved, false);
  assert.equal(plan.ledger[0].reason, "amount_limit");
  assert.equal(plan.written[0].fromBalanceAfter, null, "nothing moves");
});

Deno.test("a refused hold is a rejected `hold` ledger row with its reason", () => {
  const { decisions } = decide(
    [{ kind: "hold_place", ...base, accountId: "a", amount: "50", expiresInSeconds: 60 }],
    { accounts: [account("a", 10_00n)] },
  );
  const plan = planOf(decisions[0]);
  assert.deepEqual(
    plan.ledger.map((row) => [row.type, row.status, row.reason]),
    [["hold", "rejected", "insufficient_funds"]],
  );
  assert.deepEqual(plan.holds, []);
  assert.equal(plan.events[0].type, "transaction.rejected");
});

Deno.test("a hold above the amount limit is refused like any outflow", () => {
  const { decisions } = decide(
    [{ kind: "hold_place", ...base, accountId: "a", amount: "160000", expiresInSeconds: 60 }],
    { accounts: [account("a", 200_000_00n)] },
  );
  assert.equal(planOf(decisions[0]).ledger[0].reason, "amount_limit");
});

Deno.test("a transfer between owners whose clocks differ is refused clock_mismatch", () => {
  const { decisions } = decide(
    [{ kind: "transfer", ...base, fromAccountId: "a", toAccountId: "b", amount: "25" }],
    {
      accounts: [
        account("a", 100_00n, { clockOffsetSeconds: 31_536_000n }),
        account("b", 0n, { userId: BOB }),
      ],
    },
  );
  const plan = planOf(decisions[0]);
  assert.equal(plan.ledger[0].reason, "clock_mismatch");
  assert.equal(plan.written[0].toBalanceAfter, null, "the receiver's ledger gains nothing");
  assert.deepEqual(plan.events.map((event) => event.userId), [ALICE]);
});

Deno.test("in a group of mixed kinds each command sees what the earlier ones left", () => {
  const { decisions, balances } = decide(
    [
      { kind: "deposit", ...base, accountId: "a", amount: "10" },
      { kind: "hold_place", ...base, accountId: "a", amount: "15", expiresInSeconds: 60 },
      // R20 balance, R15 held: R5 available.
      { kind: "withdraw", ...base, accountId: "a", amount: "6" },
      { kind: "transfer", ...base, fromAccountId: "a", toAccountId: "b", amount: "5" },
    ],
    { accounts: [account("a", 10_00n), account("b", 0n)] },
  );
  const plans = decisions.map(planOf);
  assert.deepEqual(plans.map((plan) => plan.verdict.approved), [true, true, false, true]);
  assert.equal(plans[2].ledger[0].reason, "insufficient_funds");
  assert.deepEqual(plans[3].written[0], {
    ...plans[3].written[0],
    fromBalanceAfter: 15_00n,
    toBalanceAfter: 5_00n,
  });
  assert.equal(balances.get("a")?.balance, 15_00n);
});

Deno.test("earlier outflows of the group count toward the velocity limit", () => {
  const transfer = { kind: "transfer" as const, ...base, fromAccountId: "a", toAccountId: "b" };
  const { decisions } = decide(
    [
      { ...transfer, amount: "1" },
      { kind: "withdraw", ...base, accountId: "a", amount: "1" },
      { ...transfer, amount: "1" },
    ],
    {
      accounts: [account("a", 100_00n), account("b", 0n)],
      perCommand: [1, 2, 3].map(() => ({ ...quiet, recentCount: 3n })),
    },
  );
  assert.deepEqual(
    decisions.map((decision) => planOf(decision).ledger[0].reason),
    [null, null, "velocity_limit"],
  );
});

Deno.test("a command that fails on its own leaves the others' plans intact", () => {
  const { decisions, balances } = decide(
    [
      { kind: "deposit", ...base, accountId: "a", amount: "1.001" },
      { kind: "deposit", ...base, userId: BOB, accountId: "a", amount: "1" },
      { kind: "deposit", ...base, accountId: "a", amount: "2" },
    ],
    { accounts: [account("a", 0n)] },
  );
  assert.ok("error" in decisions[0]);
  assert.ok("error" in decisions[1] && decisions[1].error instanceof NotFoundError);
  assert.equal(planOf(decisions[2]).written[0].toBalanceAfter, 2_00n);
  assert.equal(balances.get("a")?.balance, 2_00n);
});

function hold(extra: Partial<HoldState> = {}): HoldState {
  return {
    id: "h",
    userId: ALICE,
    accountId: "a",
    amount: 10_00n,
    capturedAmount: 0n,
    currency: "ZAR",
    status: "active",
    description: "Fuel",
    captureTransactionId: null,
    expiresAt: new Date(NOW.getTime() + 60_000),
    createdAt: NOW,
    closedAt: null,
    ...extra,
  };
}

Deno.test("capturing more than the hold is a recorded refusal (capture_exceeds_hold)", () => {
  const { decisions } = decide(
    [{ kind: "hold_capture", userId: ALICE, realNow: NOW, holdId: "h", amount: "11" }],
    { accounts: [account("a", 10_00n)], holds: [hold()] },
  );
  const plan = planOf(decisions[0]);
  assert.deepEqual(
    plan.ledger.map((row) => [row.type, row.status, row.reason]),
    [["hold_capture", "rejected", "capture_exceeds_hold"]],
  );
  assert.deepEqual(plan.holds, [], "the hold stays active");
});

Deno.test("a partial capture debits the account and releases the rest for the next command", () => {
  const { decisions } = decide(
    [
      { kind: "hold_capture", userId: ALICE, realNow: NOW, holdId: "h", amount: "4" },
      { kind: "withdraw", ...base, accountId: "a", amount: "6" },
    ],
    {
      accounts: [account("a", 10_00n)],
      holds: [hold()],
      perCommand: [quiet, { ...quiet, held: 10_00n }],
    },
  );
  const [capture, withdrawal] = decisions.map(planOf);
  assert.equal(capture.holds[0].status, "captured");
  assert.equal(capture.written[0].fromBalanceAfter, 6_00n);
  assert.equal(withdrawal.written[0].fromBalanceAfter, 0n, "the released R6 is spendable at once");
});

Deno.test("a capture of a hold past its expiry records the expiry and answers 409", () => {
  const { decisions } = decide(
    [{ kind: "hold_capture", userId: ALICE, realNow: NOW, holdId: "h" }],
    { accounts: [account("a", 10_00n)], holds: [hold({ expiresAt: NOW })] },
  );
  const plan = planOf(decisions[0]);
  assert.equal(plan.holds[0].status, "expired");
  assert.equal(plan.events[0].type, "hold.expired");
  const result: unknown = plan.result;
  assert.ok(typeof result === "object" && result !== null && "conflict" in result);
  assert.ok(result.conflict instanceof ConflictError);
});

Deno.test("another user's hold is not found", () => {
  const { decisions } = decide(
    [{ kind: "hold_void", userId: BOB, realNow: NOW, holdId: "h" }],
    { accounts: [account("a", 10_00n)], holds: [hold()] },
  );
  assert.ok("error" in decisions[0] && decisions[0].error instanceof NotFoundError);
});

function payment(extra: Partial<PaymentState> = {}): PaymentState {
  return {
    id: "p",
    userId: ALICE,
    accountId: "a",
    direction: "outbound",
    rail: "instant",
    amount: 7_00n,
    currency: "ZAR",
    counterparty: { name: "City Power", bank_code: "250655", account_number: "9999000001" },
    description: "Electricity",
    status: "pending",
    scheduledOutcome: "return",
    scheduledReturnReason: "account_closed",
    returnReason: null,
    returnCode: null,
    returnsAt: null,
    transactionId: "debit",
    returnTransactionId: null,
    createdAt: NOW,
    settlesAt: new Date(NOW.getTime() - 1000),
    settledAt: null,
    returnedAt: null,
    ...extra,
  };
}

Deno.test("a scheduled return credits an outbound payment back at its due time", () => {
  const { decisions } = decide(
    [{ kind: "payment_outcome", userId: ALICE, realNow: NOW, paymentId: "p" }],
    { accounts: [account("a", 0n)], payments: [payment()] },
  );
  const plan = planOf(decisions[0]);
  const ended = plan.payments[0];
  assert.equal(ended.status, "returned");
  assert.equal(ended.returnReason, "account_closed");
  assert.equal(ended.returnTransactionId, plan.ledger[0].id);
  assert.equal(plan.ledger[0].type, "payment_return");
  assert.equal(plan.ledger[0].createdAt.getTime(), NOW.getTime() - 1000);
  assert.equal(plan.written[0].toBalanceAfter, 7_00n);
});

Deno.test("an inbound settlement credits the account; one not yet due is a conflict", () => {
  const inbound = payment({
    direction: "inbound",
    scheduledOutcome: "settle",
    scheduledReturnReason: null,
    transactionId: null,
  });
  const settle = { kind: "payment_outcome" as const, userId: ALICE, realNow: NOW, paymentId: "p" };
  const due = decide([settle], { accounts: [account("a", 0n)], payments: [inbound] });
  const plan = planOf(due.decisions[0]);
  assert.equal(plan.payments[0].status, "settled");
  assert.equal(plan.ledger[0].type, "payment_in");
  const later = { ...inbound, settlesAt: new Date(NOW.getTime() + 1000) };
  const early = decide([settle], { accounts: [account("a", 0n)], payments: [later] });
  assert.ok("error" in early.decisions[0] && early.decisions[0].error instanceof ConflictError);
});

// Payment rails: returns after settlement, the network's later return, and ISO 20022 codes.
const SETTLED_AT = new Date(NOW.getTime() - 60 * 86_400_000);
const forcedReturn = {
  kind: "payment_outcome" as const,
  userId: ALICE,
  realNow: NOW,
  paymentId: "p",
  outcome: { kind: "return" as const, reason: "refund_requested" },
  returnWindowDays: 60,
};

Deno.test("a settled outbound payment returned on the window's last moment is credited back", () => {
  const settled = payment({ status: "settled", scheduledOutcome: "settle", settledAt: SETTLED_AT });
  const { decisions } = decide([forcedReturn], {
    accounts: [account("a", 0n)],
    payments: [{ ...settled, scheduledReturnReason: null }],
  });
  const plan = planOf(decisions[0]);
  assert.equal(plan.payments[0].status, "returned");
  assert.equal(plan.payments[0].settledAt, SETTLED_AT, "its settlement stays on record");
  assert.equal(plan.payments[0].returnCode, "MD06");
  assert.equal(plan.ledger[0].type, "payment_return");
  assert.equal(plan.written[0].toBalanceAfter, 7_00n);
});

Deno.test("a settled payment is not returned a millisecond after its window closed", () => {
  const settled = payment({
    status: "settled",
    scheduledOutcome: "settle",
    scheduledReturnReason: null,
    settledAt: new Date(SETTLED_AT.getTime() - 1),
  });
  const { decisions } = decide([forcedReturn], {
    accounts: [account("a", 0n)],
    payments: [settled],
  });
  const error = "error" in decisions[0] ? decisions[0].error : undefined;
  assert.ok(error instanceof ConflictError);
  assert.equal(error.code, "return_window_closed");
});

Deno.test("a settled inbound payment cannot be returned (payment_not_pending)", () => {
  const inbound = payment({
    direction: "inbound",
    status: "settled",
    scheduledOutcome: "settle",
    scheduledReturnReason: null,
    settledAt: NOW,
  });
  const { decisions } = decide([forcedReturn], {
    accounts: [account("a", 0n)],
    payments: [inbound],
  });
  const error = "error" in decisions[0] ? decisions[0].error : undefined;
  assert.ok(error instanceof ConflictError);
  assert.equal(error.code, "payment_not_pending");
});

Deno.test("a forced return keeps the code it names; without one, the reason's code", () => {
  const named = { ...forcedReturn, outcome: { ...forcedReturn.outcome, code: "MS03" as const } };
  const pending = payment({ scheduledOutcome: "manual", scheduledReturnReason: null });
  const withCode = decide([named], { accounts: [account("a", 0n)], payments: [pending] });
  assert.equal(planOf(withCode.decisions[0]).payments[0].returnCode, "MS03");
  const scheduled = decide(
    [{ kind: "payment_outcome", userId: ALICE, realNow: NOW, paymentId: "p" }],
    { accounts: [account("a", 0n)], payments: [payment()] },
  );
  assert.equal(planOf(scheduled.decisions[0]).payments[0].returnCode, "AC04");
});

Deno.test("the network's return after settlement falls due at returnsAt, not before", () => {
  const refund = payment({
    status: "settled",
    scheduledOutcome: "settle_then_return",
    scheduledReturnReason: "refund_requested",
    settledAt: new Date(NOW.getTime() - 86_400_000),
    returnsAt: new Date(NOW.getTime() - 1000),
  });
  const scheduled = {
    kind: "payment_outcome" as const,
    userId: ALICE,
    realNow: NOW,
    paymentId: "p",
  };
  const due = planOf(
    decide([scheduled], { accounts: [account("a", 0n)], payments: [refund] })
      .decisions[0],
  );
  assert.equal(due.payments[0].status, "returned");
  assert.equal(due.payments[0].returnCode, "MD06");
  assert.equal(due.payments[0].returnedAt?.getTime(), NOW.getTime() - 1000);
  assert.equal(due.ledger[0].type, "payment_return");
  const later = { ...refund, returnsAt: new Date(NOW.getTime() + 1000) };
  const early = decide([scheduled], { accounts: [account("a", 0n)], payments: [later] });
  assert.ok("error" in early.decisions[0] && early.decisions[0].error instanceof ConflictError);
});

Deno.test("settling a settle_then_return payment moves nothing and keeps its return time", () => {
  const refund = payment({
    scheduledOutcome: "settle_then_return",
    scheduledReturnReason: "refund_requested",
    returnsAt: new Date(NOW.getTime() + 2 * 86_400_000),
  });
  const { decisions } = decide(
    [{ kind: "payment_outcome", userId: ALICE, realNow: NOW, paymentId: "p" }],
    { accounts: [account("a", 0n)], payments: [refund] },
  );
  const plan = planOf(decisions[0]);
  assert.equal(plan.payments[0].status, "settled");
  assert.equal(plan.ledger.length, 0);
  assert.equal(plan.payments[0].returnsAt, refund.returnsAt);
});

Deno.test("an eft payment to 9999000006 settles in a clearing run and returns two business days on", () => {
  // Monday 14 December 2026, 10:00 SAST: settles Tuesday 06:00, returns Friday 06:00 (the 16th
  // is a holiday: Thursday is one business day after Tuesday, Friday two).
  const monday = new Date("2026-12-14T08:00:00Z");
  const { decisions } = decide([{
    kind: "payment_out",
    ...base,
    realNow: monday,
    accountId: "a",
    amount: "5",
    counterparty: { name: "Refunder", bank_code: "250655", account_number: "9999000006" },
    rail: "eft",
    clearing: {
      settlementSeconds: 60,
      calendar: {
        country: "ZA",
        timeZone: "Africa/Johannesburg",
        eftCutoff: { hours: 15, minutes: 0 },
        eftSettlement: { hours: 6, minutes: 0 },
      },
    },
  }], { accounts: [account("a", 10_00n)], perCommand: [{ ...quiet, now: monday }] });
  const created = planOf(decisions[0]).payments[0];
  assert.equal(created.rail, "eft");
  assert.equal(created.scheduledOutcome, "settle_then_return");
  assert.equal(created.settlesAt.toISOString(), "2026-12-15T04:00:00.000Z");
  assert.equal(created.returnsAt?.toISOString(), "2026-12-18T04:00:00.000Z");
});
