/**
 * The card planners with no database: a card, an authorization and its hold in, plans out. Each
 * test names the rule it guards; breaking that rule in domain/ fails it.
 */
import assert from "node:assert/strict";
import type { AuthorizationState } from "../../domain/card_authorizations.ts";
import { cardNumberFrom, luhnValid, nextCardStatus } from "../../domain/cards.ts";
import { ConflictError, NotFoundError } from "../../domain/errors.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";
import {
  type CardAuthorizeCommand,
  type CardState,
  type Command,
  type CommandFacts,
  type DecidedPlan,
  type Decision,
  type HoldState,
  type LockedAccount,
  planGroup,
} from "../../domain/pipeline.ts";
import { PLANNERS } from "../../domain/planners/mod.ts";

const NOW = new Date("2026-06-01T10:00:00Z");
const LATER = new Date(NOW.getTime() + 3_600_000);
const ALICE = "00000000-0000-4000-8000-00000000000a";
const BOB = "00000000-0000-4000-8000-00000000000b";
const rules = createFraudRules({ maxTransferAmount: "150000", maxTransfers: 5, windowSeconds: 60 });
const WEEK_SECONDS = 7 * 86_400;

function account(balance: bigint): LockedAccount {
  return {
    id: "a",
    userId: ALICE,
    accountNumber: "4001234569",
    currency: "ZAR",
    balance,
    status: "active",
    statusReason: null,
    clockOffsetSeconds: 0n,
    createdAt: NOW,
    updatedAt: NOW,
  };
}

function card(status: CardState["status"] = "active"): CardState {
  return { id: "c", userId: ALICE, accountId: "a", status };
}

function hold(extra: Partial<HoldState> = {}): HoldState {
  return {
    id: "h",
    userId: ALICE,
    accountId: "a",
    amount: 50_00n,
    capturedAmount: 0n,
    currency: "ZAR",
    status: "active",
    source: "card",
    description: "Card authorization: Cafe",
    captureTransactionId: null,
    expiresAt: new Date(NOW.getTime() + WEEK_SECONDS * 1000),
    createdAt: NOW,
    closedAt: null,
    ...extra,
  };
}

function authorization(extra: Partial<AuthorizationState> = {}): AuthorizationState {
  return {
    id: "z",
    userId: ALICE,
    cardId: "c",
    accountId: "a",
    holdId: "h",
    amount: 50_00n,
    capturedAmount: 0n,
    refundedAmount: 0n,
    currency: "ZAR",
    merchant: { name: "Cafe", mcc: "5411", country: null },
    status: "pending",
    declineReason: null,
    transactionId: null,
    createdAt: NOW,
    expiresAt: new Date(NOW.getTime() + WEEK_SECONDS * 1000),
    ...extra,
  };
}

/** Decides commands over one account of `balance` (of which the pending hold reserves its part). */
function decide(
  commands: Command[],
  facts: {
    balance: bigint;
    cards?: CardState[];
    holds?: HoldState[];
    authorizations?: AuthorizationState[];
    at?: Date;
    status?: LockedAccount["status"];
  },
) {
  let next = 0;
  const holds = facts.holds ?? [];
  const held = holds.reduce((sum, h) => sum + h.amount - h.capturedAmount, 0n);
  const perCommand: CommandFacts[] = commands.map(() => ({
    now: facts.at ?? NOW,
    recentCount: 0n,
    outflow24h: 0n,
    held,
  }));
  return planGroup(
    commands,
    {
      accounts: [{ ...account(facts.balance), status: facts.status ?? "active" }],
      holds,
      payments: [],
      cards: facts.cards ?? [card()],
      authorizations: facts.authorizations ?? [],
      perCommand,
    },
    PLANNERS,
    { rules, newId: () => `id-${++next}` },
  );
}

function planOf(decision: Decision): DecidedPlan {
  if ("error" in decision) throw decision.error;
  return decision.plan;
}

const step = { userId: ALICE, realNow: NOW, authorizationId: "z" };

function authorizeCommand(
  amount: string,
  extra: Partial<CardAuthorizeCommand> = {},
): CardAuthorizeCommand {
  return {
    kind: "card_authorize",
    userId: ALICE,
    realNow: NOW,
    description: null,
    cardId: "c",
    amount,
    merchant: { name: "Cafe", mcc: "5812", country: "ZA" },
    simulateDecline: null,
    expiresInSeconds: WEEK_SECONDS,
    ...extra,
  };
}

/** The pending authorization of 50.00 with its hold, on an account of `balance`. */
function pending(balance: bigint, extra: Partial<AuthorizationState> = {}) {
  const row = authorization(extra);
  return { balance, holds: [hold({ amount: row.amount })], authorizations: [row] };
}

Deno.test("an approved authorization places a card hold for its amount and moves no money", () => {
  const plan = planOf(decide([authorizeCommand("40")], { balance: 100_00n }).decisions[0]);
  assert.deepEqual(plan.ledger, []);
  assert.deepEqual(plan.held, [{ accountId: "a", delta: 40_00n }]);
  assert.equal(plan.holds[0].source, "card");
  const [row] = plan.authorizations ?? [];
  assert.equal(row.status, "pending");
  assert.equal(row.holdId, plan.holds[0].id);
  assert.equal(row.expiresAt?.getTime(), NOW.getTime() + WEEK_SECONDS * 1000);
  assert.deepEqual(plan.events.map((e) => e.type), ["hold.created", "card_authorization.created"]);
});

Deno.test("declines: simulated, card inactive, fraud, funds, each a rejected row and no hold", () => {
  const cases: [Command, CardState, string, string][] = [
    [authorizeCommand("1", { simulateDecline: "account_frozen" }), card(), "account_frozen", ""],
    [authorizeCommand("1"), card("frozen"), "card_inactive", ""],
    [authorizeCommand("150000.01"), card(), "fraud_rejected", "amount_limit"],
    [authorizeCommand("100.01"), card(), "insufficient_funds", ""],
  ];
  for (const [command, state, code, reason] of cases) {
    const plan = planOf(decide([command], { balance: 100_00n, cards: [state] }).decisions[0]);
    const [row] = plan.authorizations ?? [];
    assert.equal(row.status, "declined", code);
    assert.equal(row.declineReason, code);
    assert.equal(plan.ledger[0].type, "card_authorization");
    assert.equal(plan.ledger[0].status, "rejected");
    assert.equal(plan.ledger[0].reason, reason || code);
    assert.equal(row.transactionId, plan.ledger[0].id);
    assert.deepEqual([plan.holds, plan.held], [[], []]);
  }
});

Deno.test("another user's card or authorization is a 404", () => {
  const stranger: Command = { ...authorizeCommand("1"), userId: BOB };
  const capture: Command = {
    kind: "card_capture",
    ...step,
    userId: BOB,
    amount: "1",
    final: false,
  };
  const { decisions } = decide([stranger, capture], pending(100_00n));
  for (const decision of decisions) {
    assert.ok("error" in decision && decision.error instanceof NotFoundError);
  }
});

Deno.test("a partial capture is a card_capture row and releases only what it took", () => {
  const command: Command = { kind: "card_capture", ...step, amount: "20", final: false };
  const plan = planOf(decide([command], pending(100_00n)).decisions[0]);
  assert.equal(plan.ledger[0].type, "card_capture");
  assert.equal(plan.ledger[0].amount, 20_00n);
  assert.deepEqual(plan.held, [{ accountId: "a", delta: -20_00n }]);
  assert.equal(plan.authorizations?.[0].status, "pending");
  assert.equal(plan.holds[0].status, "active");
  assert.equal(plan.written[0].fromBalanceAfter, 80_00n);
});

Deno.test("a final capture closes the authorization and releases the rest", () => {
  const command: Command = { kind: "card_capture", ...step, amount: "20", final: true };
  const plan = planOf(decide([command], pending(100_00n, { capturedAmount: 0n })).decisions[0]);
  assert.deepEqual(plan.held, [{ accountId: "a", delta: -50_00n }]);
  assert.equal(plan.authorizations?.[0].status, "closed");
  assert.equal(plan.holds[0].status, "captured");
});

Deno.test("captures past the amount: 20 % for MCC 5812, 5814, 4121 only", () => {
  for (const mcc of ["5812", "5814", "4121"]) {
    const facts = pending(100_00n, { merchant: { name: "Taxi", mcc, country: null } });
    const tip: Command = { kind: "card_capture", ...step, amount: "60", final: false };
    assert.equal(planOf(decide([tip], facts).decisions[0]).verdict.approved, true, mcc);
    const over: Command = { kind: "card_capture", ...step, amount: "60.01", final: false };
    const refused = planOf(decide([over], facts).decisions[0]);
    assert.equal(refused.ledger[0].reason, "capture_exceeds_authorization", mcc);
  }
  const shop: Command = { kind: "card_capture", ...step, amount: "50.01", final: false };
  const plan = planOf(decide([shop], pending(100_00n)).decisions[0]);
  assert.equal(plan.ledger[0].status, "rejected");
  assert.equal(plan.ledger[0].reason, "capture_exceeds_authorization");
  assert.deepEqual(plan.held, []);
});

Deno.test("a tip past the hold is paid from the available balance, or refused", () => {
  const facts = pending(55_00n, { merchant: { name: "Cafe", mcc: "5812", country: null } });
  const tip: Command = { kind: "card_capture", ...step, amount: "60", final: false };
  const plan = planOf(decide([tip], facts).decisions[0]);
  assert.equal(plan.ledger[0].reason, "insufficient_funds");
  const fits: Command = { kind: "card_capture", ...step, amount: "55", final: false };
  assert.equal(planOf(decide([fits], facts).decisions[0]).written[0].fromBalanceAfter, 0n);
});

Deno.test("a capture of an authorization no longer pending is a 409", () => {
  const command: Command = { kind: "card_capture", ...step, amount: "1", final: false };
  const { decisions } = decide([command], pending(100_00n, { status: "closed" }));
  assert.ok("error" in decisions[0] && decisions[0].error instanceof ConflictError);
  assert.equal((decisions[0].error as ConflictError).code, "authorization_not_pending");
});

Deno.test("a capture past the expiry expires the authorization and its hold, and answers 409", () => {
  const command: Command = { kind: "card_capture", ...step, amount: "1", final: false };
  const at = new Date(NOW.getTime() + (WEEK_SECONDS + 1) * 1000);
  const plan = planOf(decide([command], { ...pending(100_00n), at }).decisions[0]);
  assert.equal(plan.authorizations?.[0].status, "expired");
  assert.equal(plan.holds[0].status, "expired");
  assert.deepEqual(plan.ledger, []);
  assert.equal(
    plan.result && (plan.result as { conflict?: ConflictError }).conflict?.code,
    "authorization_not_pending",
  );
});

Deno.test("an increment grows the authorization and its hold, screened like a new one", () => {
  const more: Command = { kind: "card_increment", ...step, amount: "30" };
  const plan = planOf(decide([more], pending(100_00n)).decisions[0]);
  assert.equal(plan.authorizations?.[0].amount, 80_00n);
  assert.equal(plan.holds[0].amount, 80_00n);
  assert.deepEqual(plan.held, [{ accountId: "a", delta: 30_00n }]);
  const tooMuch: Command = { kind: "card_increment", ...step, amount: "50.01" };
  const refused = planOf(decide([tooMuch], pending(100_00n)).decisions[0]);
  assert.equal(refused.ledger[0].type, "card_authorization");
  assert.equal(refused.ledger[0].reason, "insufficient_funds");
  assert.equal(refused.authorizations, undefined);
});

Deno.test("a reversal gives back part, or all (reversed; closed once captured)", () => {
  const part: Command = { kind: "card_reverse", ...step, amount: "20" };
  const partly = planOf(decide([part], pending(100_00n)).decisions[0]);
  assert.equal(partly.authorizations?.[0].amount, 30_00n);
  assert.equal(partly.holds[0].amount, 30_00n);
  assert.deepEqual(partly.held, [{ accountId: "a", delta: -20_00n }]);
  const all: Command = { kind: "card_reverse", ...step };
  const whole = planOf(decide([all], pending(100_00n)).decisions[0]);
  assert.equal(whole.authorizations?.[0].status, "reversed");
  assert.equal(whole.holds[0].status, "voided");
  const afterCapture = pending(100_00n, { capturedAmount: 10_00n });
  afterCapture.holds[0].capturedAmount = 10_00n;
  const closed = planOf(decide([all], afterCapture).decisions[0]);
  assert.equal(closed.authorizations?.[0].status, "closed");
  assert.deepEqual(closed.held, [{ accountId: "a", delta: -40_00n }]);
  const over: Command = { kind: "card_reverse", ...step, amount: "50.01" };
  const { decisions } = decide([over], pending(100_00n));
  assert.ok("error" in decisions[0] && decisions[0].error instanceof ConflictError);
});

Deno.test("a refund credits card_refund up to the captured amount less refunds", () => {
  const facts = pending(100_00n, {
    status: "closed",
    capturedAmount: 50_00n,
    refundedAmount: 20_00n,
  });
  const ok: Command = { kind: "card_refund", ...step, amount: "30" };
  const plan = planOf(decide([ok], facts).decisions[0]);
  assert.equal(plan.ledger[0].type, "card_refund");
  assert.equal(plan.ledger[0].toAccountId, "a");
  assert.equal(plan.authorizations?.[0].refundedAmount, 50_00n);
  const over: Command = { kind: "card_refund", ...step, amount: "30.01" };
  const refused = planOf(decide([over], facts).decisions[0]);
  assert.equal(refused.ledger[0].reason, "refund_exceeds_capture");
  assert.equal(refused.written[0].toBalanceAfter, null);
});

Deno.test("expiry only once due: what the hold still reserves is released", () => {
  const expire: Command = { kind: "card_expire", ...step };
  const early = decide([expire], { ...pending(100_00n), at: LATER }).decisions[0];
  assert.ok("error" in early && (early.error as ConflictError).code === "authorization_not_due");
  const at = new Date(NOW.getTime() + WEEK_SECONDS * 1000);
  const facts = pending(100_00n, { capturedAmount: 10_00n });
  facts.holds[0].capturedAmount = 10_00n;
  const plan = planOf(decide([expire], { ...facts, at }).decisions[0]);
  assert.equal(plan.authorizations?.[0].status, "expired");
  assert.deepEqual(plan.held, [{ accountId: "a", delta: -40_00n }]);
  assert.ok(plan.events.some((e) => e.type === "card_authorization.expired"));
});

Deno.test("card numbers: the test BIN, Luhn-valid; a cancelled card stays cancelled", () => {
  assert.ok(luhnValid("4242424242424242"));
  assert.ok(!luhnValid("4242424242424241"));
  for (const random of ["000000000", "123456789", "987654321"]) {
    const number = cardNumberFrom(random);
    assert.match(number, /^400000[0-9]{10}$/);
    assert.ok(luhnValid(number), number);
  }
  assert.equal(nextCardStatus("frozen", "unfreeze"), "active");
  assert.throws(() => nextCardStatus("cancelled", "freeze"), ConflictError);
});

Deno.test("a frozen account captures nothing but takes a refund; a closed one takes neither", () => {
  const capture: Command = { kind: "card_capture", ...step, amount: "20", final: false };
  const frozen = planOf(
    decide([capture], { ...pending(100_00n), status: "frozen" }).decisions[0],
  );
  assert.equal(frozen.ledger[0].status, "rejected");
  assert.equal(frozen.ledger[0].reason, "account_frozen");
  assert.deepEqual([frozen.holds, frozen.held], [[], []]);

  const captured = authorization({ capturedAmount: 30_00n, status: "closed" });
  const refund: Command = { kind: "card_refund", ...step, amount: "10" };
  const refundTo = (status: LockedAccount["status"]) =>
    planOf(decide([refund], { balance: 70_00n, authorizations: [captured], status }).decisions[0]);
  assert.equal(refundTo("frozen").verdict.approved, true);
  const closed = refundTo("closed");
  assert.equal(closed.ledger[0].status, "rejected");
  assert.equal(closed.ledger[0].reason, "account_closed");
});
