/** Handler for confirmation of payee. */
import type { AppRouteHandler } from "../app_env.ts";
import { verifyPayee } from "../operations/account_verifications.ts";
import type { VerifyRoute } from "./routes.ts";

export const verify: AppRouteHandler<VerifyRoute> = async (c) => {
  const answer = await verifyPayee(c.var.deps, c.var.userId, c.req.valid("json"));
  return c.json(answer, 200);
};
