/** The route of the fraud rules. */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import { jsonResponse, problems } from "../schemas.ts";
import { FraudRulesSchema } from "./schemas.ts";

export const list = createRoute({
  method: "get",
  path: "/fraud/rules",
  tags: ["Fraud"],
  summary: "The active fraud rules: the outflows each screens and its figure in each currency",
  description: "Every outflow (withdrawal, transfer, payment, hold, card authorization, batch " +
    "item) is screened by the rules listing its kind. An amount rule is set in ZAR and holds in " +
    "every other currency at its equivalent at the sandbox's mid rates (`amount_limits`), unless " +
    "configured for that currency (`FRAUD_MAX_TRANSFER_AMOUNT_USD` and the like).",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(FraudRulesSchema, "Active rules"),
    401: problems[401],
  },
});
export type ListRoute = typeof list;
