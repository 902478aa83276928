/** Fraud rules on the wire. */
import { z } from "@hono/zod-openapi";
import { type FraudRule, OUTFLOW_KINDS } from "../../domain/fraud/mod.ts";
import { CURRENCIES, formatAmount } from "../../domain/money.ts";

/** One active rule: what it screens, over which window, and its figure in every currency. */
export const FraudRuleSchema = z.object({
  reason: z.string().openapi({
    description: "The ledger `reason` a refusal by this rule records.",
    example: "amount_limit",
  }),
  description: z.string(),
  kinds: z.array(z.enum(OUTFLOW_KINDS)).openapi({
    description: "The kinds of outflow it screens (`withdraw`, `transfer`, `payment_out`, " +
      "`hold`, `card_authorization`, `batch_item`).",
    example: [...OUTFLOW_KINDS],
  }),
  thresholds: z.record(z.string(), z.union([z.string(), z.number()])).openapi({
    description: "The thresholds as configured (amounts in ZAR): `max_amount`, " +
      "`max_transfers` and `window_seconds`, or `max_amount_24h`.",
    example: { max_amount: "150000" },
  }),
  window_seconds: z.number().int().optional().openapi({
    description:
      "The sliding window it counts or sums over, in seconds (velocity and daily rules).",
    example: 60,
  }),
  max_count: z.number().int().optional().openapi({
    description: "Approved outflows its window allows; the next is refused (velocity rule).",
    example: 5,
  }),
  amount_limits: z.record(z.string(), z.string()).optional().openapi({
    description: "Its amount in every supported currency, decimal text by currency code: the " +
      "configured figure for that currency, else the ZAR figure at the sandbox's mid rate, " +
      "rounded down to the currency's minor unit (amount rules).",
    example: {
      ZAR: "150000.00",
      USD: "8565.00",
      EUR: "7395.00",
      GBP: "6390.00",
      CHF: "6915.00",
      JPY: "1270500",
      KWD: "2628.000",
    },
  }),
}).openapi("FraudRule");

/** The active rules. */
export const FraudRulesSchema = z.object({ data: z.array(FraudRuleSchema) }).openapi("FraudRules");

/** A rule as GET /fraud/rules shows it. */
export function toFraudRuleJson(rule: FraudRule): z.infer<typeof FraudRuleSchema> {
  const limits = rule.amountLimits;
  return {
    reason: rule.reason,
    description: rule.description,
    kinds: [...rule.kinds],
    thresholds: rule.thresholds,
    ...(rule.windowSeconds === undefined ? {} : { window_seconds: rule.windowSeconds }),
    ...(rule.maxCount === undefined ? {} : { max_count: rule.maxCount }),
    ...(limits === undefined ? {} : {
      // In the order GET /currencies lists them.
      amount_limits: Object.fromEntries(
        CURRENCIES.flatMap((currency) => {
          const minor = limits.get(currency.code);
          return minor === undefined ? [] : [[currency.code, formatAmount(minor, currency)]];
        }),
      ),
    }),
  };
}
