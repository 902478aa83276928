/** Ledger entries on the wire. */
import { z } from "@hono/zod-openapi";
import { TRANSACTION_STATUSES, TRANSACTION_TYPES } from "../../domain/ledger.ts";
import { transactionJson } from "../../domain/representations.ts";
import { BATCH_ITEMS_MAX, BATCH_ITEMS_MIN } from "../../domain/batches.ts";
import {
  AmountSchema,
  DescriptionSchema,
  pageOf,
  PageQuery,
  ProblemSchema,
  text,
  uuid,
} from "../schemas.ts";

/** A cross-currency transfer's conversion, at its quote's rate. */
export const FxSchema = z.object({
  quote_id: z.uuid(),
  rate: z.string().openapi({ example: "0.0568145" }),
  source_amount: z.string().openapi({ example: "1000.00" }),
  source_currency: z.string().openapi({ example: "ZAR" }),
  destination_amount: z.string().openapi({ example: "56.81" }),
  destination_currency: z.string().openapi({ example: "USD" }),
}).openapi("FxConversion");

/** A ledger entry: every money movement, approved or rejected. */
export const TransactionSchema = z.object({
  id: z.uuid(),
  type: z.enum(TRANSACTION_TYPES).openapi({ example: "transfer" }),
  from_account_id: z.uuid().nullable(),
  to_account_id: z.uuid().nullable(),
  amount: z.string().openapi({ example: "100.00" }),
  currency: z.string().openapi({ example: "ZAR" }),
  status: z.enum(TRANSACTION_STATUSES).openapi({ example: "approved" }),
  reason: z.string().nullable().openapi({ example: null }),
  description: z.string().nullable().openapi({ example: "Rent" }),
  created_at: z.string().openapi({ example: "2026-11-24T10:00:00.000Z" }),
  fx: FxSchema.optional(),
}).openapi("Transaction");

/** A page of ledger entries, newest first. */
export const TransactionPageSchema = pageOf(TransactionSchema, "TransactionPage");

/** A transfer: to an account by id or by account number (exactly one of them). */
export const TransferSchema = z.strictObject({
  from_account_id: uuid(),
  to_account_id: uuid().optional(),
  to_account_number: text().max(32).optional().openapi({ example: "4001234569" }),
  amount: AmountSchema,
  description: DescriptionSchema,
  fx_quote_id: uuid().optional().openapi({
    description: "Between accounts of two currencies: your FX quote (`POST /fx/quotes`), used once",
  }),
}).refine(
  (body) => (body.to_account_id === undefined) !== (body.to_account_number === undefined),
  { message: "give exactly one of to_account_id and to_account_number", path: ["to_account_id"] },
).openapi("TransferRequest", {
  example: {
    from_account_id: "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b",
    to_account_number: "4001234569",
    amount: "100.00",
    description: "Rent",
  },
});

// Checked as decimal text here; read in the account's currency (its decimals) by the handler.
const searchAmount = z.string().regex(/^\d{1,20}(\.\d{1,20})?$/, {
  message: 'must be a decimal amount such as "100.00"',
}).optional();
const searchTime = z.iso.datetime({ offset: true }).optional();

/** Filters of the ledger list. */
export const TransactionQuery = PageQuery.extend({
  account_id: uuid().optional(),
  type: z.enum(TRANSACTION_TYPES).optional(),
  status: z.enum(TRANSACTION_STATUSES).optional(),
  q: z.string().trim().min(1).max(100).optional().openapi({
    description: "Text in the description (any case), or the counterparty: a payment's party " +
      "name (contains) or account number (exactly), a transfer's other account number (exactly)",
    example: "Rent",
  }),
  amount_min: searchAmount.openapi({
    description: "Entries of at least this amount, a decimal string in the account's currency " +
      "(without `account_id`, your accounts must share one currency)",
    example: "100.00",
  }),
  amount_max: searchAmount.openapi({
    description: "Entries of at most this amount (inclusive), as `amount_min`",
    example: "500.00",
  }),
  created_after: searchTime.openapi({
    description: "Entries created at or after this instant (RFC 3339 with an offset)",
    example: "2026-11-01T00:00:00Z",
  }),
  created_before: searchTime.openapi({
    description: "Entries created strictly before this instant (RFC 3339 with an offset)",
    example: "2026-12-01T00:00:00Z",
  }),
}).refine(
  (query) =>
    !query.created_after || !query.created_before ||
    Date.parse(query.created_after) <= Date.parse(query.created_before),
  { message: "must not be after created_before", path: ["created_after"] },
);

/** A ledger entry as JSON. */
export const toTransactionJson = transactionJson;

/** How a batch item ended: posted, refused (recorded, with its problem), or failed (a 404). */
export const BatchItemStatusSchema = z.enum(["approved", "rejected", "failed"]).openapi({
  description: "approved: posted (the item's object is given); rejected: refused and recorded " +
    "(its problem carries transaction_id and reason); failed: not recorded (its problem, a 404).",
  example: "approved",
});

/** The items of a batch: 1 to BATCH_ITEMS_MAX. */
export function batchItems<T extends z.ZodType>(item: T) {
  return z.array(item).min(BATCH_ITEMS_MIN).max(BATCH_ITEMS_MAX);
}

/** POST /transactions/batch: transfers, each as POST /transactions/transfer takes it. */
export const TransferBatchSchema = z.strictObject({
  items: batchItems(TransferSchema),
  atomic: z.boolean().openapi({
    description: "true: every item posts or none does (422 batch_rejected); false: each item " +
      "stands alone.",
  }),
}).openapi("TransferBatchRequest");

/** One transfer item's result. */
export const TransferBatchItemSchema = z.object({
  index: z.number().int(),
  status: BatchItemStatusSchema,
  transaction: TransactionSchema.optional(),
  problem: ProblemSchema.optional(),
}).openapi("TransferBatchItem");

/** A transfer batch's answer. */
export const TransferBatchResultSchema = z.object({
  id: z.uuid(),
  atomic: z.boolean(),
  results: z.array(TransferBatchItemSchema),
}).openapi("TransferBatch");
