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
import { AmountSchema, DescriptionSchema, pageOf, PageQuery, text } from "../schemas.ts";

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
