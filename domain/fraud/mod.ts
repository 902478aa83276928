/** The fraud rules engine: every active rule in one list, screened in order. */
import { APPROVED, type Verdict } from "../ledger.ts";
import { amountLimitRule } from "./amount_limit.ts";
import { dailyOutflowLimitRule } from "./daily_outflow_limit.ts";
import type { FactNeeds, FraudFacts, FraudRule, OutflowAttempt } from "./rule.ts";
import { velocityLimitRule } from "./velocity_limit.ts";

export type { FactNeeds, FraudFacts, FraudRule, OutflowAttempt } from "./rule.ts";

/** Thresholds for the rules; an unset optional threshold leaves its rule off. */
export interface FraudSettings {
  maxTransferAmount: string;
  maxTransfers: number;
  windowSeconds: number;
  dailyOutflowLimit?: string;
}

/** The active rules for these settings. Adding a rule: one file beside this and one line here. */
export function createFraudRules(settings: FraudSettings): FraudRule[] {
  const rules = [
    amountLimitRule(settings.maxTransferAmount),
    velocityLimitRule(settings.maxTransfers, settings.windowSeconds),
    settings.dailyOutflowLimit ? dailyOutflowLimitRule(settings.dailyOutflowLimit) : undefined,
  ];
  return rules.filter((rule): rule is FraudRule => rule !== undefined);
}

/** The facts any of `rules` reads, merged: the database reads only these. */
export function factsNeeded(rules: readonly FraudRule[]): FactNeeds {
  const needs: FactNeeds = {};
  for (const rule of rules) {
    const count = rule.needs.recentOutflowCount;
    if (count) {
      const atLeast = Math.max(count.atLeast, needs.recentOutflowCount?.atLeast ?? 0);
      needs.recentOutflowCount = { atLeast };
    }
    if (rule.needs.outflowLast24hMinor) needs.outflowLast24hMinor = true;
  }
  return needs;
}

/** Screens an outflow against every rule; the first refusal wins. */
export function screenTransfer(
  rules: readonly FraudRule[],
  attempt: OutflowAttempt,
  facts: FraudFacts,
): Verdict {
  for (const rule of rules) {
    const verdict = rule.check(attempt, facts);
    if (!verdict.approved) return verdict;
  }
  return APPROVED;
}

/** An approved outflow decided earlier in the same database transaction, not yet in what it read. */
export interface EarlierOutflow {
  at: Date;
  amount: bigint;
}

/**
 * The facts for an outflow at `now` once `earlier` outflows from the same account, approved ahead
 * of it in the same transaction, are counted as the ledger would count them after commit: the
 * velocity count within `windowSeconds` (still capped where the rules stop reading), and the
 * 24-hour sum.
 */
export function withEarlierOutflows(
  facts: FraudFacts,
  earlier: readonly EarlierOutflow[],
  now: Date,
  windowSeconds: number,
  needs: FactNeeds,
): FraudFacts {
  const windowStart = now.getTime() - windowSeconds * 1000;
  const dayStart = now.getTime() - 24 * 60 * 60 * 1000;
  let recent = facts.recentOutflowCount;
  let daily = facts.outflowLast24hMinor;
  for (const outflow of earlier) {
    if (outflow.at.getTime() > windowStart) recent++;
    if (outflow.at.getTime() > dayStart) daily += outflow.amount;
  }
  const cap = needs.recentOutflowCount?.atLeast;
  return {
    recentOutflowCount: cap === undefined ? facts.recentOutflowCount : Math.min(recent, cap),
    outflowLast24hMinor: needs.outflowLast24hMinor ? daily : facts.outflowLast24hMinor,
  };
}
