/** The route of confirmation of payee. */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import { jsonBody, jsonResponse, problems } from "../schemas.ts";
import { VerificationSchema, VerifyPayeeSchema } from "./schemas.ts";

export const verify = createRoute({
  method: "post",
  path: "/account_verifications",
  tags: ["Payments"],
  summary: "Confirmation of payee: does the name fit the account?",
  description: "Compares the name with the holder of this bank's account with the number. At " +
    "most 30 checks a minute per user (429 with Retry-After after that). Moves no money and " +
    "records nothing in the ledger.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(VerifyPayeeSchema) },
  responses: {
    200: jsonResponse(VerificationSchema, "The check's result"),
    400: problems[400],
    401: problems[401],
    429: problems[429],
  },
});
export type VerifyRoute = typeof verify;
