/** The fraud rules engine: every active rule in one list, each screening the kinds it declares. */
import { APPROVED, type Verdict } from "../ledger.ts";
import { amountLimitRule } from "./amount_limit.ts";
import { dailyOutflowLimitRule } from "./daily_outflow_limit.ts";
import {
  DAILY_OUTFLOW_WINDOW_SECONDS,
  type FactNeeds,
  type FraudFacts,
  type FraudRule,
  type OutflowAttempt,
} from "./rule.ts";
import type { CurrencyOverrides } from "./thresholds.ts";
import { velocityLimitRule } from "./velocity_limit.ts";

export {
  DAILY_OUTFLOW_WINDOW_SECONDS,
  type FactNeeds,
  type FraudFacts,
  type FraudRule,
  OUTFLOW_KINDS,
  type OutflowAttempt,
  type OutflowKind,
} from "./rule.ts";
export {
  amountsByCurrency,
  type CurrencyOverrides,
  THRESHOLD_BASE_CURRENCY,
} from "./thresholds.ts";

/**
 * Thresholds for the rules; amounts are decimal text in ZAR, with optional figures per other
 * currency (by code). An unset optional threshold leaves its rule off.
 */
export interface FraudSettings {
  maxTransferAmount: string;
  maxTransferAmountByCurrency?: CurrencyOverrides;
  maxTransfers: number;
  windowSeconds: number;
  /** False leaves the velocity rule off (it is on unless said otherwise). */
  velocityRule?: boolean;
  dailyOutflowLimit?: string;
  dailyOutflowLimitByCurrency?: CurrencyOverrides;
}

/** The active rules for these settings. Adding a rule: one file beside this and one line here. */
export function createFraudRules(settings: FraudSettings): FraudRule[] {
  const rules = [
    amountLimitRule(settings.maxTransferAmount, settings.maxTransferAmountByCurrency),
    settings.velocityRule === false
      ? undefined
      : velocityLimitRule(settings.maxTransfers, settings.windowSeconds),
    settings.dailyOutflowLimit
      ? dailyOutflowLimitRule(settings.dailyOutflowLimit, settings.dailyOutflowLimitByCurrency)
      : undefined,
  ];
  return rules.filter((rule): rule is FraudRule => rule !== undefined);
}

/**
 * The facts any of `rules` reads, merged, windows included: the database reads only these, over
 * exactly these windows. Two rules counting over different windows would need two counts, which
 * FraudFacts does not have: that is refused here rather than one window silently winning.
 */
export function factsNeeded(rules: readonly FraudRule[]): FactNeeds {
  const needs: FactNeeds = {};
  for (const rule of rules) {
    const count = rule.needs.recentOutflowCount;
    if (count) {
      const known = needs.recentOutflowCount;
      if (known && known.windowSeconds !== count.windowSeconds) {
        throw new Error(
          `Fraud rules count outflows over two windows (${known.windowSeconds} s and ` +
            `${count.windowSeconds} s); FraudFacts holds one count`,
        );
      }
      const atLeast = Math.max(count.atLeast, known?.atLeast ?? 0);
      needs.recentOutflowCount = { atLeast, windowSeconds: count.windowSeconds };
    }
    if (rule.needs.outflowLast24hMinor) needs.outflowLast24hMinor = true;
  }
  return needs;
}

/**
 * Screens an outflow of any kind against the rules that screen that kind, each with its figure
 * in the outflow's currency; the first refusal wins.
 */
export function screenOutflow(
  rules: readonly FraudRule[],
  attempt: OutflowAttempt,
  facts: FraudFacts,
): Verdict {
  for (const rule of rules) {
    if (!rule.kinds.includes(attempt.kind)) continue;
    const verdict = rule.check(attempt, facts);
    if (!verdict.approved) return verdict;
  }
  return APPROVED;
}

/** Screens a transfer: screenOutflow with kind `transfer`, for callers not yet naming their kind. */
export function screenTransfer(
  rules: readonly FraudRule[],
  move: Omit<OutflowAttempt, "kind">,
  facts: FraudFacts,
): Verdict {
  return screenOutflow(rules, { ...move, kind: "transfer" }, facts);
}

/** An approved outflow decided earlier in the same database transaction, not yet in what it read. */
export interface EarlierOutflow {
  at: Date;
  amount: bigint;
}

/**
 * The facts for an outflow at `now` once `earlier` outflows from the same account, approved ahead
 * of it in the same transaction, are counted as the ledger would count them after commit: the
 * velocity count within the rules' window (still capped where the rules stop reading), and the
 * 24-hour sum. The window comes from `needs` (factsNeeded), the rules' one source.
 */
export function addEarlierOutflows(
  facts: FraudFacts,
  earlier: readonly EarlierOutflow[],
  context: { now: Date; needs: FactNeeds },
): FraudFacts {
  const { now, needs } = context;
  const count = needs.recentOutflowCount;
  const windowStart = now.getTime() - (count?.windowSeconds ?? 0) * 1000;
  const dayStart = now.getTime() - DAILY_OUTFLOW_WINDOW_SECONDS * 1000;
  let recent = facts.recentOutflowCount;
  let daily = facts.outflowLast24hMinor;
  for (const outflow of earlier) {
    if (outflow.at.getTime() > windowStart) recent++;
    if (outflow.at.getTime() > dayStart) daily += outflow.amount;
  }
  return {
    recentOutflowCount: count === undefined
      ? facts.recentOutflowCount
      : Math.min(recent, count.atLeast),
    outflowLast24hMinor: needs.outflowLast24hMinor ? daily : facts.outflowLast24hMinor,
  };
}
