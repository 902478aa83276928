/** Payments on the wire. */
import { z } from "@hono/zod-openapi";
import {
  PAYMENT_DIRECTIONS,
  PAYMENT_RAILS,
  PAYMENT_STATUSES,
  RETURN_CODES,
  RETURN_REASONS,
} from "../../domain/payments.ts";
import { paymentJson } from "../../domain/payments.ts";
import {
  AmountSchema,
  DescriptionSchema,
  pageOf,
  PageQuery,
  ProblemSchema,
  text,
} from "../schemas.ts";
import { batchItems, BatchItemStatusSchema } from "../transactions/schemas.ts";

/** The other bank's customer. */
export const CounterpartySchema = z.object({
  name: text().trim().min(1).max(140).openapi({ example: "Acme Supplies" }),
  bank_code: z.string().regex(/^[A-Za-z0-9]{1,11}$/, "must be 1 to 11 letters or digits")
    .openapi({ example: "250655" }),
  account_number: z.string().regex(/^[0-9]{4,34}$/, "must be 4 to 34 digits").openapi({
    example: "62001234567",
    description: "9999000001..5 make the payment return (account_closed AC04, no_account " +
      "AC01, insufficient_funds AM04, authorization_revoked MD01, blocked_account AC06); " +
      "9999000006 settles it, then returns it refund_requested (MD06) two business days " +
      "later; 9999000009 keeps it pending until a simulation settles or returns it.",
  }),
}).openapi("Counterparty");

/**
 * The counterparty as a request names it: strict, where the answer's Counterparty stays open so
 * that a field added to answers later breaks no client.
 */
export const CounterpartyInputSchema = z.strictObject(CounterpartySchema.shape)
  .openapi("CounterpartyInput");

/** The rail a payment travels on. */
export const RailSchema = z.enum(PAYMENT_RAILS).openapi({
  description: "instant settles PAYMENT_SETTLEMENT_SECONDS after creation, every day; eft " +
    "settles in the clearing run (EFT_SETTLEMENT_TIME) of the next business day, one business " +
    "day later when created at or after EFT_CUTOFF_TIME or on a day that is not a business day " +
    "(GET /clearing/calendar).",
  example: "instant",
});

/** A payment through the simulated clearing network. */
export const PaymentSchema = z.object({
  id: z.uuid(),
  direction: z.enum(PAYMENT_DIRECTIONS),
  rail: RailSchema,
  account_id: z.uuid(),
  amount: z.string().openapi({ example: "250.00" }),
  currency: z.string().openapi({ example: "ZAR" }),
  counterparty: CounterpartySchema,
  description: z.string().nullable(),
  status: z.enum(PAYMENT_STATUSES),
  return_reason: z.string().nullable().openapi({ example: null }),
  return_code: z.enum(RETURN_CODES).nullable().openapi({
    example: null,
    description: "ISO 20022 return reason: AC01 no or incorrect account, AC04 closed, AC06 " +
      "blocked, AM04 insufficient funds, MD01 no mandate / authorisation revoked, MD06 refund " +
      "requested by the customer, MS03 other.",
  }),
  transaction_id: z.uuid().nullable(),
  return_transaction_id: z.uuid().nullable(),
  created_at: z.string(),
  settles_at: z.string(),
  settled_at: z.string().nullable(),
  returned_at: z.string().nullable(),
}).openapi("Payment");

/** A page of payments, newest first. */
export const PaymentPageSchema = pageOf(PaymentSchema, "PaymentPage");

/** Sending a payment to another bank. */
export const SendPaymentSchema = z.strictObject({
  from_account_id: z.uuid(),
  amount: AmountSchema,
  counterparty: CounterpartyInputSchema,
  description: DescriptionSchema,
  rail: RailSchema.default("instant"),
}).openapi("SendPayment");

/** Simulating a payment from another bank into your own account. */
export const InboundPaymentSchema = z.strictObject({
  account_number: z.string().max(32).openapi({ example: "4001234569" }),
  amount: AmountSchema,
  counterparty: CounterpartyInputSchema.optional(),
  description: DescriptionSchema,
  rail: RailSchema.default("instant"),
}).openapi("InboundPayment");

/** Forcing a return. */
export const ReturnPaymentSchema = z.strictObject({
  reason: z.enum(RETURN_REASONS).openapi({ example: "account_closed" }),
  code: z.enum(RETURN_CODES).optional().openapi({
    description: "The ISO 20022 code to return with; default: the reason's own (MS03 if none).",
  }),
}).openapi("ReturnPayment");

/** Filters of the payment list. */
export const PaymentQuery = PageQuery.extend({
  account_id: z.uuid().optional(),
  status: z.enum(PAYMENT_STATUSES).optional(),
});

/** A payment as JSON. */
export const toPaymentJson = paymentJson;

/** POST /payments/bulk: payments, each as POST /payments takes it. */
export const PaymentBulkSchema = z.strictObject({
  items: batchItems(SendPaymentSchema),
  atomic: z.boolean().openapi({
    description: "true: every item posts or none does (422 batch_rejected); false: each item " +
      "stands alone.",
  }),
}).openapi("PaymentBulkRequest");

/** One payment item's result. */
export const PaymentBulkItemSchema = z.object({
  index: z.number().int(),
  status: BatchItemStatusSchema,
  payment: PaymentSchema.optional(),
  problem: ProblemSchema.optional(),
}).openapi("PaymentBulkItem");

/** A bulk payment's answer. */
export const PaymentBulkResultSchema = z.object({
  id: z.uuid(),
  atomic: z.boolean(),
  results: z.array(PaymentBulkItemSchema),
}).openapi("PaymentBulk", {
  example: {
    id: "3b0c6d1e-2f4a-4b5c-8d6e-7f8091a2b3c4",
    atomic: false,
    results: [{
      index: 0,
      status: "approved",
      payment: {
        id: "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
        direction: "outbound",
        account_id: "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        amount: "250.00",
        currency: "ZAR",
        counterparty: { name: "Acme Supplies", bank_code: "250655", account_number: "62001234567" },
        description: "Invoice 42",
        status: "pending",
        rail: "instant",
        return_reason: null,
        return_code: null,
        transaction_id: "5a0f3c1e-8b2d-4c6a-9e7f-1d2c3b4a5f60",
        return_transaction_id: null,
        created_at: "2026-11-24T10:00:00.000Z",
        settles_at: "2026-11-24T10:01:00.000Z",
        settled_at: null,
        returned_at: null,
      },
    }],
  },
});
