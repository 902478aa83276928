/**
 * The FX transfer planner with no database: a group's facts in, plans out. Each test names the
 * rule it guards; breaking that rule in domain/planners/fx_transfer.ts fails it.
 */
import assert from "node:assert/strict";
import { ConflictError, NotFoundError } from "../../domain/errors.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";
import { FX_DESK_USER_ID, fxPositionAccountId } from "../../domain/fx_positions.ts";
import type { FxQuoteState } from "../../domain/fx_quotes.ts";
import {
  type Command,
  type DecidedPlan,
  type Decision,
  type LockedAccount,
  planGroup,
  type TransferCommand,
} from "../../domain/pipeline.ts";
import { PLANNERS } from "../../domain/planners/mod.ts";

const NOW = new Date("2026-06-01T10:00:00Z");
const ALICE = "00000000-0000-4000-8000-00000000000a";
const BOB = "00000000-0000-4000-8000-00000000000b";
const rules = createFraudRules({ maxTransferAmount: "150000", maxTransfers: 5, windowSeconds: 60 });
const quiet = { now: NOW, recentCount: 0n, outflow24h: 0n, held: 0n };

function account(id: string, currency: string, balance: bigint, userId = ALICE): LockedAccount {
  return {
    id,
    userId,
    accountNumber: "4001234569",
    currency,
    balance,
    status: "active",
    statusReason: null,
    clockOffsetSeconds: 0n,
    createdAt: NOW,
    updatedAt: NOW,
  };
}

function position(currency: string, balance = 0n): LockedAccount {
  return {
    ...account(fxPositionAccountId(currency), currency, balance, FX_DESK_USER_ID),
    kind: "fx_position",
  };
}

function quote(extra: Partial<FxQuoteState> = {}): FxQuoteState {
  return {
    id: "q-1",
    userId: ALICE,
    fromCurrency: "ZAR",
    toCurrency: "USD",
    rate: "0.0568145",
    sellMinor: 100_00n,
    buyMinor: 5_68n,
    createdAt: new Date(NOW.getTime() - 10_000),
    expiresAt: new Date(NOW.getTime() + 50_000),
    usedAt: null,
    transactionId: null,
    fromAccountId: null,
    toAccountId: null,
    ...extra,
  };
}

const fxTransfer = (extra: Partial<TransferCommand> = {}): TransferCommand => ({
  kind: "transfer",
  userId: ALICE,
  description: null,
  realNow: NOW,
  fromAccountId: "zar",
  toAccountId: "usd",
  amount: "100.00",
  fxQuoteId: "q-1",
  ...extra,
});

function decide(
  commands: Command[],
  facts: { accounts?: LockedAccount[]; quotes?: FxQuoteState[] } = {},
) {
  let next = 0;
  return planGroup(
    commands,
    {
      accounts: facts.accounts ??
        [
          account("zar", "ZAR", 500_00n),
          account("usd", "USD", 0n),
          position("ZAR"),
          position("USD"),
        ],
      holds: [],
      payments: [],
      cards: [],
      authorizations: [],
      fxQuotes: facts.quotes ?? [quote()],
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

Deno.test("an FX transfer is two legs through the bank's positions, each in one currency", () => {
  const { decisions, balances } = decide([fxTransfer()]);
  const plan = planOf(decisions[0]);
  assert.deepEqual(
    plan.ledger.map((row) => [row.fromAccountId, row.toAccountId, row.amount, row.currency]),
    [
      ["zar", fxPositionAccountId("ZAR"), 100_00n, "ZAR"],
      [fxPositionAccountId("USD"), "usd", 5_68n, "USD"],
    ],
  );
  assert.deepEqual(plan.ledger.map((row) => row.fx?.leg), ["source", "destination"]);
  assert.equal(balances.get("zar")?.balance, 400_00n);
  assert.equal(balances.get("usd")?.balance, 5_68n);
  assert.equal(balances.get(fxPositionAccountId("ZAR"))?.balance, 100_00n);
  assert.equal(balances.get(fxPositionAccountId("USD"))?.balance, -5_68n, "the bank goes short");
  // Conserved per currency: every leg's debit is its credit.
  for (const currency of ["ZAR", "USD"]) {
    const moved = [...balances].filter(([id]) =>
      id === fxPositionAccountId(currency) || id === currency.toLowerCase()
    ).reduce((sum, [id, after]) => sum + after.balance - (id === "zar" ? 500_00n : 0n), 0n);
    assert.equal(moved, 0n, currency);
  }
});

Deno.test("an FX transfer marks its quote used, by the source leg, naming both accounts", () => {
  const plan = planOf(decide([fxTransfer()]).decisions[0]);
  const [used, ...more] = plan.fxQuotes ?? [];
  assert.deepEqual(more, []);
  assert.equal(used?.usedAt?.getTime(), NOW.getTime());
  assert.equal(used.transactionId, plan.ledger[0].id);
  assert.deepEqual([used.fromAccountId, used.toAccountId], ["zar", "usd"]);
  assert.equal(plan.ledger[0].fx?.destinationAmount, 5_68n);
  assert.equal(plan.ledger[1].fx?.quoteId, "q-1");
});

Deno.test("the same quote twice in one group: the second is a 409, nothing more moves", () => {
  const { decisions, balances } = decide([fxTransfer(), fxTransfer()]);
  planOf(decisions[0]);
  assert.ok("error" in decisions[1] && decisions[1].error instanceof ConflictError);
  assert.equal(balances.get("zar")?.balance, 400_00n);
});

Deno.test("a used quote is a 409 and an unknown or another user's quote a 404", () => {
  const used = decide([fxTransfer()], {
    quotes: [quote({ usedAt: NOW, transactionId: "t", fromAccountId: "zar", toAccountId: "usd" })],
  });
  assert.ok("error" in used.decisions[0] && used.decisions[0].error instanceof ConflictError);
  const missing = decide([fxTransfer()], { quotes: [] });
  assert.ok("error" in missing.decisions[0] && missing.decisions[0].error instanceof NotFoundError);
  const theirs = decide([fxTransfer()], { quotes: [quote({ userId: BOB })] });
  assert.ok("error" in theirs.decisions[0] && theirs.decisions[0].error instanceof NotFoundError);
});

Deno.test("a quote at or past its expiry is a recorded refusal, fx_quote_expired", () => {
  const plan = planOf(decide([fxTransfer()], { quotes: [quote({ expiresAt: NOW })] }).decisions[0]);
  assert.deepEqual(plan.ledger.map((row) => [row.status, row.reason]), [
    ["rejected", "fx_quote_expired"],
  ]);
  assert.deepEqual(plan.written[0].fromBalanceAfter, null, "nothing moves");
  assert.equal(plan.fxQuotes, undefined, "the quote is not used");
});

Deno.test("a quote for other currencies than the accounts' is refused, fx_quote_mismatch", () => {
  const plan = planOf(
    decide([fxTransfer()], { quotes: [quote({ toCurrency: "EUR" })] }).decisions[0],
  );
  assert.equal(plan.ledger[0].reason, "fx_quote_mismatch");
});

Deno.test("an amount other than the quote's is refused; short funds are insufficient_funds", () => {
  const wrong = planOf(decide([fxTransfer({ amount: "99.99" })]).decisions[0]);
  assert.equal(wrong.ledger[0].reason, "fx_amount_mismatch");
  const poor = planOf(
    decide([fxTransfer()], {
      accounts: [
        account("zar", "ZAR", 50_00n),
        account("usd", "USD", 0n),
        position("ZAR"),
        position("USD"),
      ],
    }).decisions[0],
  );
  assert.equal(poor.ledger[0].reason, "insufficient_funds");
  assert.equal(poor.ledger.length, 1);
});

Deno.test("an FX transfer above the amount limit is refused by the fraud rules", () => {
  const big = quote({ sellMinor: 200_000_00n, buyMinor: 11_362_90n });
  const plan = planOf(
    decide([fxTransfer({ amount: "200000.00" })], {
      accounts: [
        account("zar", "ZAR", 300_000_00n),
        account("usd", "USD", 0n),
        position("ZAR"),
        position("USD"),
      ],
      quotes: [big],
    }).decisions[0],
  );
  assert.equal(plan.ledger[0].reason, "amount_limit");
});

Deno.test("a transfer may not name a bank position account as its destination", () => {
  const { decisions } = decide([{
    kind: "transfer",
    userId: ALICE,
    description: null,
    realNow: NOW,
    fromAccountId: "zar",
    toAccountId: fxPositionAccountId("ZAR"),
    amount: "1.00",
  }]);
  assert.ok("error" in decisions[0] && decisions[0].error instanceof NotFoundError);
});

Deno.test("an FX transfer to another customer tells each side of its own leg", () => {
  const plan = planOf(
    decide([fxTransfer()], {
      accounts: [
        account("zar", "ZAR", 500_00n),
        account("usd", "USD", 0n, BOB),
        position("ZAR"),
        position("USD"),
      ],
    }).decisions[0],
  );
  assert.deepEqual(
    plan.events.map((event) => [event.userId, (event.object as { amount: string }).amount]),
    [[ALICE, "100.00"], [BOB, "5.68"]],
  );
});

Deno.test("an FX transfer out of a frozen account is refused account_frozen, nothing converts", () => {
  const accounts = [
    { ...account("zar", "ZAR", 500_00n), status: "frozen" as const },
    account("usd", "USD", 0n),
    position("ZAR"),
    position("USD"),
  ];
  const plan = planOf(decide([fxTransfer()], { accounts }).decisions[0]);
  assert.deepEqual(plan.ledger.map((row) => [row.status, row.reason]), [
    ["rejected", "account_frozen"],
  ]);
  assert.equal(plan.fxQuotes, undefined, "the quote is not used");
});
