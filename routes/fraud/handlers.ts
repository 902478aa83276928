/** Handler for the fraud rules. */
import type { AppRouteHandler } from "../app_env.ts";
import type { ListRoute } from "./routes.ts";
import { toFraudRuleJson } from "./schemas.ts";

export const list: AppRouteHandler<ListRoute> = (c) =>
  c.json({ data: c.var.deps.fraudRules.map(toFraudRuleJson) }, 200);
