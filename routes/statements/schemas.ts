/** Statements on the wire. */
import { z } from "@hono/zod-openapi";

const date = z.iso.date().openapi({ example: "2026-11-01" });

/** The period: calendar days in `time_zone`, both included. */
export const StatementQuery = z.strictObject({
  from: date.optional().openapi({
    param: { name: "from", in: "query" },
    description: "First day, included. Default: the first of the month of `to`.",
  }),
  to: date.optional().openapi({
    param: { name: "to", in: "query" },
    description: "Last day, included. Default: today on your sandbox clock, in `time_zone`.",
  }),
  time_zone: z.string().min(1).max(64).optional().openapi({
    param: { name: "time_zone", in: "query" },
    example: "Africa/Johannesburg",
    description: "IANA time zone whose midnights bound the days. Default: the bank's " +
      "(`BANK_TIME_ZONE`, Africa/Johannesburg). An unknown zone is a 400.",
  }),
});

/** One approved movement on the account. */
export const StatementEntrySchema = z.object({
  transaction_id: z.uuid(),
  created_at: z.string(),
  type: z.string().openapi({ example: "payment_out" }),
  description: z.string().nullable(),
  counterparty: z.string().nullable().openapi({
    example: "Acme Supplies, 250655 62001234567",
    description: "A payment's counterparty (name, bank code and account number) or a " +
      "transfer's other account number; null for deposits, withdrawals and hold captures.",
  }),
  amount: z.string().openapi({ example: "-250.00", description: "Signed: credits positive." }),
  balance_after: z.string().openapi({ example: "750.00" }),
}).openapi("StatementEntry");

/** A statement, computed from the ledger. */
export const StatementSchema = z.object({
  account_id: z.uuid(),
  currency: z.string(),
  from: z.string().openapi({ example: "2026-11-01" }),
  to: z.string().openapi({ example: "2026-11-30" }),
  time_zone: z.string().openapi({ example: "Africa/Johannesburg" }),
  opening_balance: z.string(),
  closing_balance: z.string(),
  total_in: z.string(),
  total_out: z.string(),
  entries: z.array(StatementEntrySchema),
}).openapi("Statement");
