/** amount_limit: one outflow above a fixed amount is refused (exactly the limit passes). */
import { APPROVED, refuse } from "../ledger.ts";
import { formatAmount } from "../money.ts";
import { type FraudRule, limitIn, OUTFLOW_KINDS, OUTFLOW_NOUNS } from "./rule.ts";
import { amountsByCurrency, type CurrencyOverrides } from "./thresholds.ts";

/**
 * Refuses an outflow above `maxAmount` (decimal text in ZAR) or its equivalent in the outflow's
 * currency (`perCurrency` overrides the equivalent).
 */
export function amountLimitRule(maxAmount: string, perCurrency: CurrencyOverrides = {}): FraudRule {
  const limits = amountsByCurrency(maxAmount, perCurrency);
  return {
    reason: "amount_limit",
    description: "A single transfer or payment above the limit is refused, and so is any other " +
      "outflow above it: a withdrawal, hold, card authorization or batch item. The limit is " +
      "set in ZAR and holds in every currency at its equivalent.",
    kinds: OUTFLOW_KINDS,
    thresholds: { max_amount: maxAmount },
    amountLimits: limits,
    needs: {},
    check(attempt) {
      const limit = limitIn(limits, attempt.currency);
      if (attempt.amount <= limit) return APPROVED;
      const code = attempt.currency.code;
      const noun = OUTFLOW_NOUNS[attempt.kind];
      return refuse(
        "amount_limit",
        `${capitalized(noun)} of ${formatAmount(attempt.amount, attempt.currency)} ${code} ` +
          `exceeds the limit of ${formatAmount(limit, attempt.currency)} ${code} per ${noun}`,
        "fraud_rejected",
      );
    },
  };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
