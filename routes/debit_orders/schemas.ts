/** Debit orders on the wire. */
import { z } from "@hono/zod-openapi";
import { DEBIT_ORDER_STATUSES, debitOrderJson } from "../../domain/debit_orders.ts";
import { DateSchema } from "../payment_schedules/schemas.ts";
import { AmountSchema, pageOf, text } from "../schemas.ts";

/** Who collects, and under which mandate reference. */
export const CreditorSchema = z.object({
  name: z.string().openapi({ example: "Gym Co" }),
  reference: z.string().openapi({ example: "MEMBER-0042" }),
}).openapi("Creditor");

/** A debit order: a creditor's collection from your account on a date. */
export const DebitOrderSchema = z.object({
  id: z.uuid(),
  account_id: z.uuid(),
  amount: z.string().openapi({ example: "399.00" }),
  currency: z.string().openapi({ example: "ZAR" }),
  creditor: CreditorSchema,
  collect_on: z.string().openapi({ example: "2026-02-02" }),
  status: z.enum(DEBIT_ORDER_STATUSES),
  reason: z.string().nullable().openapi({ example: null, description: "Why it failed." }),
  transaction_id: z.uuid().nullable().openapi({
    description: "The debit_order transaction (rejected when the collection failed).",
  }),
  reversal_transaction_id: z.uuid().nullable().openapi({
    description: "The debit_order_reversal transaction, once disputed.",
  }),
  created_at: z.string(),
}).openapi("DebitOrder");

/** A page of debit orders, newest first. */
export const DebitOrderPageSchema = pageOf(DebitOrderSchema, "DebitOrderPage");

/** Simulating a debit order on your own account. */
export const CreateDebitOrderSchema = z.strictObject({
  account_number: z.string().max(32).openapi({ example: "4001234569" }),
  amount: AmountSchema,
  creditor: z.strictObject({
    name: text().trim().min(1).max(140).openapi({ example: "Gym Co" }),
    reference: text().trim().min(1).max(64).openapi({ example: "MEMBER-0042" }),
  }).openapi("CreditorInput"),
  collect_on: DateSchema.optional().openapi({
    description: "Today or later on your sandbox clock; default the next business day. " +
      "Collected in that day's clearing run (EFT_SETTLEMENT_TIME, bank time zone).",
  }),
}).openapi("CreateDebitOrder");

/** A debit order as JSON. */
export const toDebitOrderJson = debitOrderJson;
