/** velocity_limit: more than N approved outflows from one account within a sliding window. */
import { APPROVED, refuse } from "../ledger.ts";
import { type FraudRule, OUTFLOW_KINDS, OUTFLOW_NOUNS } from "./rule.ts";

/**
 * Refuses the (maxTransfers + 1)th approved outflow within any `windowSeconds`. The window is
 * this rule's alone: the facts it needs carry it to the database (factsNeeded).
 */
export function velocityLimitRule(maxTransfers: number, windowSeconds: number): FraudRule {
  return {
    reason: "velocity_limit",
    description: "Too many approved transfers out of one account within the sliding window: " +
      "every outflow (withdrawal, transfer, payment, hold capture) counts, and every kind of " +
      "outflow is screened.",
    kinds: OUTFLOW_KINDS,
    thresholds: { max_transfers: maxTransfers, window_seconds: windowSeconds },
    windowSeconds,
    maxCount: maxTransfers,
    needs: { recentOutflowCount: { atLeast: maxTransfers, windowSeconds } },
    check(attempt, facts) {
      if (facts.recentOutflowCount < maxTransfers) return APPROVED;
      const nth = facts.recentOutflowCount + 1;
      return refuse(
        "velocity_limit",
        `${ordinal(nth)} ${OUTFLOW_NOUNS[attempt.kind]} within ${windowSeconds} s; ` +
          `limit ${maxTransfers}`,
        "fraud_rejected",
      );
    },
  };
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10];
  return `${n}${suffix ?? "th"}`;
}
