/** amount_limit: one outflow above a fixed amount is refused (exactly the limit passes). */
import { APPROVED, refuse } from "../ledger.ts";
import { formatAmount, thresholdInMinorUnits } from "../money.ts";
import type { FraudRule } from "./rule.ts";

/** Refuses a transfer above `maxAmount` (decimal text in the transfer's own currency). */
export function amountLimitRule(maxAmount: string): FraudRule {
  return {
    reason: "amount_limit",
    description: "A single transfer or payment above the limit is refused.",
    thresholds: { max_amount: maxAmount },
    needs: {},
    check(attempt) {
      const limit = thresholdInMinorUnits(maxAmount, attempt.currency);
      if (attempt.amount <= limit) return APPROVED;
      const code = attempt.currency.code;
      return refuse(
        "amount_limit",
        `Transfer of ${formatAmount(attempt.amount, attempt.currency)} ${code} exceeds the ` +
          `limit of ${formatAmount(limit, attempt.currency)} ${code} per transfer`,
        "fraud_rejected",
      );
    },
  };
}
