/** The bank's rules for deposits, withdrawals and transfers: pure functions from facts to verdicts. */
import { type AccountStatus, checkAccountStatus } from "./account_status.ts";
import { APPROVED, refuse, type Verdict } from "./ledger.ts";
import { BALANCE_MAX_MINOR, currencyOf, formatAmount } from "./money.ts";
import type { AccountKind } from "./fx_positions.ts";
import { type FraudFacts, type FraudRule, screenOutflow } from "./fraud/mod.ts";

/** An account as locked for a movement: the facts its rules need. */
export interface AccountFacts {
  id: string;
  userId: string;
  currency: string;
  /** Ledger balance in minor units. */
  balance: bigint;
  /** Balance less active holds, in minor units; what a debit may spend. */
  available: bigint;
  /** Active, frozen or closed: which way money may move (domain/account_status.ts). */
  status: AccountStatus;
  /** How far the owner's sandbox clock runs ahead of real time. */
  clockOffsetSeconds: bigint;
  /** Absent: a customer's account; `fx_position`: one of the bank's FX positions. */
  kind?: AccountKind;
}

/** Decides a deposit: refused on a closed account, or past BALANCE_MAX_MINOR. */
export function decideDeposit(account: AccountFacts, amount: bigint, verb = "deposit"): Verdict {
  const status = checkAccountStatus(account, "in", verb);
  return status.approved ? checkBalanceLimit(account, amount, verb) : status;
}

/** Refuses a credit that would push a balance past BALANCE_MAX_MINOR. */
export function checkBalanceLimit(account: AccountFacts, amount: bigint, verb: string): Verdict {
  if (account.balance + amount <= BALANCE_MAX_MINOR) return APPROVED;
  const currency = currencyOf(account.currency);
  return refuse(
    "balance_limit",
    `Cannot ${verb}: the receiving balance would exceed ` +
      `${formatAmount(BALANCE_MAX_MINOR, currency)} ${currency.code}`,
  );
}

/** Decides a withdrawal: it never overdraws the available balance. */
export function decideWithdrawal(account: AccountFacts, amount: bigint): Verdict {
  return checkFunds(account, amount, "withdraw");
}

/** The facts a transfer is decided on. */
export interface TransferFacts {
  from: AccountFacts;
  to: AccountFacts;
  amount: bigint;
  now: Date;
  fraud: FraudFacts;
  rules: readonly FraudRule[];
}

/**
 * Decides a transfer: the accounts differ and share a currency, the fraud rules pass, and the
 * source can afford it. Fraud is screened before funds so a risky attempt is named as such.
 */
export function decideTransfer(facts: TransferFacts): Verdict {
  const { from, to, amount } = facts;
  if (from.id === to.id) {
    return refuse(
      "same_account",
      "Cannot transfer: the source and destination are the same account",
    );
  }
  const status = checkTransferStatus(from, to);
  if (!status.approved) return status;
  if (from.currency !== to.currency) {
    return refuse(
      "currency_mismatch",
      `Cannot transfer: the source holds ${from.currency} and the destination ${to.currency}`,
    );
  }
  const fraud = screenOutflow(facts.rules, {
    kind: "transfer",
    amount,
    currency: currencyOf(from.currency),
    now: facts.now,
  }, facts.fraud);
  if (!fraud.approved) return fraud;
  const funds = checkFunds(from, amount, "transfer");
  if (!funds.approved) return funds;
  return checkBalanceLimit(to, amount, "transfer");
}

// The source must let money out and the destination let it in.
export function checkTransferStatus(from: AccountFacts, to: AccountFacts): Verdict {
  const out = checkAccountStatus(from, "out", "transfer");
  if (!out.approved) return out;
  return checkAccountStatus(to, "in", "transfer to that account");
}

/** Approves a debit only if the available balance covers it. */
export function checkFunds(account: AccountFacts, amount: bigint, verb: string): Verdict {
  if (account.available >= amount) return APPROVED;
  const currency = currencyOf(account.currency);
  return refuse(
    "insufficient_funds",
    `Cannot ${verb} ${formatAmount(amount, currency)} ${currency.code}: ` +
      `the available balance is ${formatAmount(account.available, currency)} ${currency.code}`,
  );
}
