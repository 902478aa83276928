/** The route of account statements. */
import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../auth/require_user.ts";
import { IdParams, problems } from "../schemas.ts";
import { StatementQuery, StatementSchema } from "./schemas.ts";

export const statement = createRoute({
  method: "get",
  path: "/accounts/{id}/statement",
  tags: ["Accounts"],
  summary: "A statement of your account for a period",
  description: "Approved movements only, oldest first, with opening and closing balances from " +
    "the ledger. The days are calendar days in `time_zone` (default the bank's). Send " +
    "`Accept: text/csv` for the entries as CSV with a header row.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams, query: StatementQuery },
  responses: {
    200: {
      description: "The statement",
      content: {
        "application/json": { schema: StatementSchema },
        "text/csv": {
          schema: z.string().openapi({
            example:
              "transaction_id,created_at,type,description,counterparty,amount,balance_after\r\n",
          }),
        },
      },
    },
    400: problems[400],
    401: problems[401],
    404: problems[404],
  },
});
export type StatementRoute = typeof statement;
