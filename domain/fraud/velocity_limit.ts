/** velocity_limit: more than N approved outflows from one account within a sliding window. */
import { APPROVED, refuse } from "../ledger.ts";
import type { FraudRule } from "./rule.ts";

/** Refuses the (maxTransfers + 1)th approved outflow within any `windowSeconds`. */
export function velocityLimitRule(maxTransfers: number, windowSeconds: number): FraudRule {
  return {
    reason: "velocity_limit",
    description: "Too many approved transfers out of one account within the sliding window.",
    thresholds: { max_transfers: maxTransfers, window_seconds: windowSeconds },
    needs: { recentOutflowCount: { atLeast: maxTransfers } },
    check(_attempt, facts) {
      if (facts.recentOutflowCount < maxTransfers) return APPROVED;
      const nth = facts.recentOutflowCount + 1;
      return refuse(
        "velocity_limit",
        `${ordinal(nth)} transfer within ${windowSeconds} s; limit ${maxTransfers}`,
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
