/** daily_outflow_limit: the total sent out of one account in any 24 hours stays under a cap. */
import { APPROVED, refuse } from "../ledger.ts";
import { formatAmount } from "../money.ts";
import { DAILY_OUTFLOW_WINDOW_SECONDS, type FraudRule, limitIn, OUTFLOW_KINDS } from "./rule.ts";
import { amountsByCurrency, type CurrencyOverrides } from "./thresholds.ts";

/**
 * Refuses an outflow that would take the account's last-24-hours outflow above `limit` (decimal
 * text in ZAR) or its equivalent in the account's currency (`perCurrency` overrides it).
 */
export function dailyOutflowLimitRule(
  limit: string,
  perCurrency: CurrencyOverrides = {},
): FraudRule {
  const caps = amountsByCurrency(limit, perCurrency);
  return {
    reason: "daily_outflow_limit",
    description: "The total sent out of one account within any 24 hours is capped; the cap is " +
      "set in ZAR and holds in every currency at its equivalent.",
    kinds: OUTFLOW_KINDS,
    thresholds: { max_amount_24h: limit },
    windowSeconds: DAILY_OUTFLOW_WINDOW_SECONDS,
    amountLimits: caps,
    needs: { outflowLast24hMinor: true },
    check(attempt, facts) {
      const cap = limitIn(caps, attempt.currency);
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
