/** daily_outflow_limit: the total sent out of one account in any 24 hours stays under a cap. */
import { APPROVED, refuse } from "../ledger.ts";
import { formatAmount, thresholdInMinorUnits } from "../money.ts";
import type { FraudRule } from "./rule.ts";

/** Refuses an outflow that would take the account's last-24-hours outflow above `limit`. */
export function dailyOutflowLimitRule(limit: string): FraudRule {
  return {
    reason: "daily_outflow_limit",
    description: "The total sent out of one account within any 24 hours is capped.",
    thresholds: { max_amount_24h: limit },
    needs: { outflowLast24hMinor: true },
    check(attempt, facts) {
      const cap = thresholdInMinorUnits(limit, attempt.currency);
      const total = facts.outflowLast24hMinor + attempt.amount;
      if (total <= cap) return APPROVED;
      const code = attempt.currency.code;
      return refuse(
        "daily_outflow_limit",
        `Sending ${formatAmount(attempt.amount, attempt.currency)} ${code} would bring the last ` +
          `24 hours' outflow to ${formatAmount(total, attempt.currency)} ${code}; ` +
          `limit ${formatAmount(cap, attempt.currency)} ${code}`,
        "fraud_rejected",
      );
    },
  };
}
