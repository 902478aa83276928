/** The routes of foreign exchange: the rate table, your own rates, and quotes. */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import { jsonBody, jsonResponse, problems } from "../schemas.ts";
import { QuoteRequestSchema, QuoteSchema, RatesSchema, SetRatesSchema } from "./schemas.ts";

export const getRates = createRoute({
  method: "get",
  path: "/fx/rates",
  tags: ["Foreign exchange"],
  summary: "The mid rates in force for you",
  description: "The table that ships with the sandbox (the one the fraud limits use), with the " +
    "rates you set by `POST /simulations/fx_rates` over it. Units per 1 `base` (ZAR).",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(RatesSchema, "The mid rates"),
    400: problems[400],
    401: problems[401],
  },
});
export type GetRatesRoute = typeof getRates;

export const setRates = createRoute({
  method: "post",
  path: "/simulations/fx_rates",
  tags: ["Simulations"],
  summary: "Set your own sandbox's mid rates",
  description: "Replaces your own mid rates (per 1 ZAR; `{}` returns to the shipped table). " +
    "Quotes priced from now on use them; quotes already given keep their rate. An unknown " +
    "currency, a rate that is not a positive decimal, or ZAR at anything but 1 is a 400.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(SetRatesSchema) },
  responses: {
    200: jsonResponse(RatesSchema, "The mid rates now in force for you"),
    400: problems[400],
    401: problems[401],
  },
});
export type SetRatesRoute = typeof setRates;

export const createQuote = createRoute({
  method: "post",
  path: "/fx/quotes",
  tags: ["Foreign exchange"],
  summary: "Quote a conversion",
  description: "The mid rate less `FX_SPREAD_BPS`, locked for `FX_QUOTE_SECONDS` on your sandbox " +
    "clock and usable once, by a transfer carrying `fx_quote_id`. Give exactly one of " +
    "`sell_amount` (in `from_currency`) and `buy_amount` (in `to_currency`); the other is " +
    "rounded half-to-even to its currency's exponent. An unknown currency, both or neither " +
    "amount, or more decimals than the currency has is a 400; the same currency twice is a 422 " +
    "`unsupported_currency_pair`; an amount so small that rounding would pay more than the mid " +
    "rate is a 422 `amount_too_small`.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(QuoteRequestSchema) },
  responses: {
    201: jsonResponse(QuoteSchema, "The quote"),
    400: problems[400],
    401: problems[401],
    422: problems[422],
  },
});
export type CreateQuoteRoute = typeof createQuote;
