/** Foreign exchange on the wire: the mid-rate table and quotes. */
import { z } from "@hono/zod-openapi";
import { CURRENCIES } from "../../domain/money.ts";
import { AmountSchema, text } from "../schemas.ts";

const CurrencyCode = text().max(8).openapi({ example: "USD" });
const RateText = z.string().openapi({ example: "0.0571" });

/** The mid rates in force for you: units of each currency per 1 unit of `base`. */
export const RatesSchema = z.object({
  base: z.string().openapi({ example: "ZAR" }),
  rates: z.record(z.string(), RateText).openapi({
    example: { ZAR: "1", USD: "0.0571", EUR: "0.0493", JPY: "8.47" },
  }),
  as_of: z.string().openapi({ example: "2026-11-24T10:00:00.000Z" }),
}).openapi("FxRates");

/**
 * Your own sandbox's mid rates, per 1 ZAR; currencies left out keep the shipped rate. One field
 * per supported currency, so an unknown code is a 400 naming it.
 */
export const SetRatesSchema = z.strictObject({
  rates: z.strictObject(Object.fromEntries(
    CURRENCIES.map((currency) => [currency.code, text().max(40).optional()]),
  )).openapi({ example: { USD: "0.0600" } }),
}).openapi("SetFxRatesRequest");

/** A quote request: the pair, and exactly one of the amount sold or bought. */
export const QuoteRequestSchema = z.strictObject({
  from_currency: CurrencyCode,
  to_currency: CurrencyCode.openapi({ example: "ZAR" }),
  sell_amount: AmountSchema.optional(),
  buy_amount: AmountSchema.optional(),
}).refine(
  (body) => (body.sell_amount === undefined) !== (body.buy_amount === undefined),
  { message: "give exactly one of sell_amount and buy_amount", path: ["sell_amount"] },
).openapi("QuoteRequest", {
  example: { from_currency: "ZAR", to_currency: "USD", sell_amount: "1000.00" },
});

/** A quote: a locked rate and both amounts, usable once by a transfer before `expires_at`. */
export const QuoteSchema = z.object({
  id: z.uuid(),
  from_currency: z.string().openapi({ example: "ZAR" }),
  to_currency: z.string().openapi({ example: "USD" }),
  rate: RateText.openapi({ example: "0.0568145" }),
  sell_amount: z.string().openapi({ example: "1000.00" }),
  buy_amount: z.string().openapi({ example: "56.81" }),
  expires_at: z.string().openapi({ example: "2026-11-24T10:01:00.000Z" }),
}).openapi("Quote");
