/** Handlers for foreign exchange. */
import type { AppRouteHandler } from "../app_env.ts";
import { createQuote as create, quoteJson, readRates, setRates as set } from "../operations/fx.ts";
import type { CreateQuoteRoute, GetRatesRoute, SetRatesRoute } from "./routes.ts";

export const getRates: AppRouteHandler<GetRatesRoute> = async (c) => {
  return c.json(await readRates(c.var.deps, c.var.userId), 200);
};

export const setRates: AppRouteHandler<SetRatesRoute> = async (c) => {
  return c.json(await set(c.var.deps, c.var.userId, c.req.valid("json")), 200);
};

export const createQuote: AppRouteHandler<CreateQuoteRoute> = async (c) => {
  const quote = await create(c.var.deps, c.var.userId, c.req.valid("json"));
  return c.json(quoteJson(quote), 201);
};
