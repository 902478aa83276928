/**
 * The account lifecycle with no database: the status rule every movement asks, the decisions of
 * freezing, unfreezing and closing, and each planner's refusal on a frozen or closed account.
 */
import assert from "node:assert/strict";
import {
  type AccountStatus,
  checkAccountStatus,
  decideStatusChange,
} from "../../domain/account_status.ts";
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
const base = { userId: ALICE, description: null, realNow: NOW };
const quiet: CommandFacts = { now: NOW, recentCount: 0n, outflow24h: 0n, held: 0n };

function account(id: string, balance: bigint, extra: Partial<LockedAccount> = {}): LockedAccount {
  return {
    id,
    userId: ALICE,
    accountNumber: "4001234569",
    currency: "ZAR",
    balance,
    status: "active",
    statusReason: null,
    clockOffsetSeconds: 0n,
    createdAt: NOW,
    updatedAt: NOW,
    ...extra,
  };
}

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
      cards: [],
      authorizations: [],
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

function errorOf(decision: Decision): unknown {
  assert.ok("error" in decision, "the command was expected to fail");
  return decision.error;
}

const hold: HoldState = {
  id: "h",
  userId: ALICE,
  accountId: "a",
  amount: 10_00n,
  capturedAmount: 0n,
  currency: "ZAR",
  status: "active",
  source: "api",
  description: "Fuel",
  captureTransactionId: null,
  expiresAt: new Date(NOW.getTime() + 60_000),
  createdAt: NOW,
  closedAt: null,
};

const inbound: PaymentState = {
  id: "p",
  userId: ALICE,
  accountId: "a",
  direction: "inbound",
  amount: 7_00n,
  currency: "ZAR",
  counterparty: { name: "Employer", bank_code: "250655", account_number: "62001234567" },
  description: "Salary",
  status: "pending",
  scheduledOutcome: "settle",
  scheduledReturnReason: null,
  returnReason: null,
  transactionId: null,
  returnTransactionId: null,
  createdAt: NOW,
  settlesAt: new Date(NOW.getTime() - 1000),
  settledAt: null,
  returnedAt: null,
  rail: "instant",
  returnCode: null,
  returnsAt: null,
};

const counterparty = { name: "Acme", bank_code: "250655", account_number: "62001234567" };

// Every kind that moves money out of account "a", as a command.
const OUTFLOWS: Record<string, Command> = {
  withdraw: { kind: "withdraw", ...base, accountId: "a", amount: "1" },
  transfer: { kind: "transfer", ...base, fromAccountId: "a", toAccountId: "b", amount: "1" },
  payment_out: {
    kind: "payment_out",
    ...base,
    accountId: "a",
    amount: "1",
    counterparty,
    rail: "instant",
    clearing: {
      settlementSeconds: 60,
      calendar: {
        country: "ZA",
        timeZone: "Africa/Johannesburg",
        eftCutoff: { hours: 15, minutes: 0 },
        eftSettlement: { hours: 6, minutes: 0 },
      },
    },
  },
  hold: { kind: "hold_place", ...base, accountId: "a", amount: "1", expiresInSeconds: 60 },
  hold_capture: { kind: "hold_capture", userId: ALICE, realNow: NOW, holdId: "h" },
};

Deno.test("checkAccountStatus: active lets money both ways, frozen only in, closed neither", () => {
  const verdicts = (status: AccountStatus) =>
    (["in", "out"] as const).map((direction) => {
      const verdict = checkAccountStatus({ status }, direction, "move");
      return verdict.approved ? "ok" : verdict.reason;
    });
  assert.deepEqual(verdicts("active"), ["ok", "ok"]);
  assert.deepEqual(verdicts("frozen"), ["ok", "account_frozen"]);
  assert.deepEqual(verdicts("closed"), ["account_closed", "account_closed"]);
});

Deno.test("decideStatusChange: a repeat is null (no change); closed is final", () => {
  const facts = (status: AccountStatus) => ({
    status,
    currency: "ZAR",
    balance: 0n,
    held: 0n,
    pendingOutboundPayments: 0,
  });
  assert.equal(decideStatusChange("freeze", facts("active")), "frozen");
  assert.equal(decideStatusChange("freeze", facts("frozen")), null);
  assert.equal(decideStatusChange("unfreeze", facts("frozen")), "active");
  assert.equal(decideStatusChange("unfreeze", facts("active")), null);
  assert.equal(decideStatusChange("close", facts("frozen")), "closed");
  assert.equal(decideStatusChange("close", facts("closed")), null);
  for (const action of ["freeze", "unfreeze"] as const) {
    assert.throws(
      () => decideStatusChange(action, facts("closed")),
      (error) => error instanceof ConflictError && error.code === "account_already_closed",
    );
  }
});

Deno.test("decideStatusChange: a close needs no holds, no money, no pending payment", () => {
  const close = (extra: { balance?: bigint; held?: bigint; pending?: number }) => {
    try {
      decideStatusChange("close", {
        status: "active",
        currency: "ZAR",
        balance: extra.balance ?? 0n,
        held: extra.held ?? 0n,
        pendingOutboundPayments: extra.pending ?? 0,
      });
      return "closed";
    } catch (error) {
      assert.ok(error instanceof ConflictError);
      return error.code;
    }
  };
  assert.equal(close({}), "closed");
  assert.equal(close({ balance: 5_00n, held: 5_00n }), "holds_active");
  assert.equal(close({ balance: 1n }), "balance_not_zero");
  assert.equal(close({ pending: 1 }), "payments_pending");
});

for (const [type, command] of Object.entries(OUTFLOWS)) {
  for (const status of ["frozen", "closed"] as const) {
    Deno.test(`a ${type} out of a ${status} account is a recorded refusal (account_${status})`, () => {
      const { decisions, balances } = decide([command], {
        accounts: [account("a", 100_00n, { status }), account("b", 0n)],
        holds: [hold],
        perCommand: [{ ...quiet, held: 10_00n }],
      });
      const plan = planOf(decisions[0]);
      assert.deepEqual(
        plan.ledger.map((row) => [row.type, row.status, row.reason]),
        [[type, "rejected", `account_${status}`]],
      );
      assert.equal(plan.verdict.approved ? null : plan.verdict.code, `account_${status}`);
      assert.deepEqual(plan.holds, [], "no hold placed or captured");
      assert.equal(balances.size, 0, "nothing moved");
    });
  }
}

Deno.test("a frozen account still takes a deposit, a transfer in and an inbound payment", () => {
  const { decisions, balances } = decide(
    [
      { kind: "deposit", ...base, accountId: "a", amount: "5" },
      { kind: "transfer", ...base, fromAccountId: "b", toAccountId: "a", amount: "5" },
      { kind: "payment_outcome", userId: ALICE, realNow: NOW, paymentId: "p" },
    ],
    {
      accounts: [account("a", 0n, { status: "frozen" }), account("b", 10_00n)],
      payments: [inbound],
    },
  );
  assert.deepEqual(decisions.map((d) => planOf(d).verdict.approved), [true, true, true]);
  assert.equal(balances.get("a")?.balance, 17_00n);
});

Deno.test("a closed account refuses a deposit and a transfer in, recorded", () => {
  const { decisions, balances } = decide(
    [
      { kind: "deposit", ...base, accountId: "a", amount: "5" },
      { kind: "transfer", ...base, fromAccountId: "b", toAccountId: "a", amount: "5" },
    ],
    { accounts: [account("a", 0n, { status: "closed" }), account("b", 10_00n)] },
  );
  assert.deepEqual(
    decisions.map((d) => planOf(d).ledger.map((row) => [row.type, row.status, row.reason])),
    [[["deposit", "rejected", "account_closed"]], [["transfer", "rejected", "account_closed"]]],
  );
  assert.equal(balances.size, 0);
});

Deno.test("an inbound payment settling into a closed account is returned account_closed", () => {
  const { decisions } = decide(
    [{ kind: "payment_outcome", userId: ALICE, realNow: NOW, paymentId: "p" }],
    { accounts: [account("a", 0n, { status: "closed" })], payments: [inbound] },
  );
  const plan = planOf(decisions[0]);
  assert.equal(plan.payments[0].status, "returned");
  assert.equal(plan.payments[0].returnReason, "account_closed");
  assert.equal(plan.payments[0].returnCode, "AC04");
  assert.deepEqual(plan.ledger.map((row) => [row.type, row.status]), [["payment_in", "rejected"]]);
});

Deno.test("an inbound payment announced to a closed account is returned at once", () => {
  const { decisions } = decide(
    [{
      kind: "payment_inbound",
      ...base,
      accountId: "a",
      amount: "3",
      counterparty,
      rail: "instant",
      clearing: {
        settlementSeconds: 60,
        calendar: {
          country: "ZA",
          timeZone: "Africa/Johannesburg",
          eftCutoff: { hours: 15, minutes: 0 },
          eftSettlement: { hours: 6, minutes: 0 },
        },
      },
    }],
    { accounts: [account("a", 0n, { status: "closed" })] },
  );
  const plan = planOf(decisions[0]);
  assert.deepEqual(
    [
      plan.payments[0].status,
      plan.payments[0].returnReason,
      plan.payments[0].returnCode,
      plan.payments[0].transactionId,
    ],
    ["returned", "account_closed", "AC04", plan.ledger[0].id],
  );
  assert.deepEqual(plan.events.map((e) => e.type), [
    "payment.created",
    "transaction.rejected",
    "payment.returned",
  ]);
});

Deno.test("a freeze changes the status and the commands after it in the group see it", () => {
  const { decisions } = decide(
    [
      {
        kind: "account_status",
        userId: ALICE,
        realNow: NOW,
        accountId: "a",
        action: "freeze",
        reason: "Lost card",
      },
      { kind: "withdraw", ...base, accountId: "a", amount: "1" },
    ],
    { accounts: [account("a", 10_00n)] },
  );
  const [freeze, withdraw] = decisions.map(planOf);
  assert.deepEqual(freeze.statuses, [
    { accountId: "a", status: "frozen", statusReason: "Lost card", at: NOW },
  ]);
  assert.deepEqual(freeze.events.map((e) => e.type), ["account.frozen"]);
  assert.equal(withdraw.ledger[0].reason, "account_frozen");
});

Deno.test("a repeated freeze writes nothing; another user's account is a 404", () => {
  const freeze = {
    kind: "account_status" as const,
    userId: ALICE,
    realNow: NOW,
    accountId: "a",
    action: "freeze" as const,
    reason: null,
  };
  const { decisions } = decide(
    [freeze, { ...freeze, userId: BOB }],
    { accounts: [account("a", 0n, { status: "frozen" })] },
  );
  const plan = planOf(decisions[0]);
  assert.deepEqual([plan.statuses ?? [], plan.events], [[], []]);
  assert.ok(errorOf(decisions[1]) instanceof NotFoundError);
});

Deno.test("a close sees the holds, money and payments the group left before it", () => {
  const close = {
    kind: "account_status" as const,
    userId: ALICE,
    realNow: NOW,
    accountId: "a",
    action: "close" as const,
    reason: null,
  };
  const { decisions } = decide(
    [
      {
        kind: "payment_out",
        ...base,
        accountId: "a",
        amount: "10",
        counterparty,
        rail: "instant",
        clearing: {
          settlementSeconds: 60,
          calendar: {
            country: "ZA",
            timeZone: "Africa/Johannesburg",
            eftCutoff: { hours: 15, minutes: 0 },
            eftSettlement: { hours: 6, minutes: 0 },
          },
        },
      },
      close,
    ],
    { accounts: [account("a", 10_00n)] },
  );
  assert.equal(planOf(decisions[0]).verdict.approved, true);
  const error = errorOf(decisions[1]);
  assert.ok(error instanceof ConflictError && error.code === "payments_pending");
  const held = decide([close], {
    accounts: [account("a", 10_00n)],
    perCommand: [{ ...quiet, held: 10_00n }],
  });
  const holds = errorOf(held.decisions[0]);
  assert.ok(holds instanceof ConflictError && holds.code === "holds_active");
});
