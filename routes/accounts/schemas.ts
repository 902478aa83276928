/** Accounts on the wire. */
import { z } from "@hono/zod-openapi";
import { ACCOUNT_STATUSES } from "../../domain/account_status.ts";
import { CURRENCIES, DEFAULT_CURRENCY } from "../../domain/money.ts";
import { accountJson } from "../../domain/representations.ts";
import { AmountSchema, DescriptionSchema, text } from "../schemas.ts";

const currencyCodes = CURRENCIES.map((currency) => currency.code) as [string, ...string[]];

/** An account: balances are decimal strings in the account's currency. */
export const AccountSchema = z.object({
  id: z.uuid(),
  user_id: z.uuid(),
  account_number: z.string().openapi({ example: "4001234569" }),
  currency: z.string().openapi({ example: "ZAR" }),
  balance: z.string().openapi({ example: "500.00" }),
  available_balance: z.string().openapi({
    example: "500.00",
    description: "Balance less active holds: what withdrawals, transfers and payments may spend.",
  }),
  status: z.enum(ACCOUNT_STATUSES).openapi({
    example: "active",
    description: "active: money moves both ways; frozen: money may come in, none goes out " +
      "(422 account_frozen); closed: nothing moves (422 account_closed). Closed is final.",
  }),
  status_reason: z.string().nullable().openapi({
    example: null,
    description: "The reason the freeze gave, while the account is frozen; otherwise null.",
  }),
  created_at: z.string().openapi({ example: "2026-11-24T10:00:00.000Z" }),
  updated_at: z.string().openapi({ example: "2026-11-24T10:00:00.000Z" }),
}).openapi("Account");

/** Opening an account. */
export const OpenAccountSchema = z.strictObject({
  currency: z.enum(currencyCodes).default(DEFAULT_CURRENCY).openapi({ example: "ZAR" }),
}).openapi("OpenAccount");

/** A freeze, optionally saying why. */
export const FreezeAccountSchema = z.strictObject({
  reason: text().min(1).max(500).nullish().openapi({ example: "Card reported stolen" }),
}).openapi("FreezeAccount");

/** The balance query: a moment on the owner's sandbox clock. */
export const BalanceQuery = z.strictObject({
  at: z.iso.datetime({ offset: true }).optional().openapi({
    param: { name: "at", in: "query" },
    example: "2026-11-24T10:00:00Z",
    description: "RFC 3339; default: now on your sandbox clock. Not after it (400).",
  }),
});

/** An account's balance at a moment, from the ledger. */
export const BalanceAtSchema = z.object({
  account_id: z.uuid(),
  currency: z.string().openapi({ example: "ZAR" }),
  at: z.string().openapi({ example: "2026-11-24T10:00:00.000Z" }),
  balance: z.string().openapi({
    example: "500.00",
    description: "The approved ledger entries at or before `at`, summed (holds do not count).",
  }),
  last_transaction_id: z.uuid().nullable().openapi({
    description: "The latest approved entry at or before `at`; null when there is none.",
  }),
}).openapi("BalanceAt");

/** A deposit or withdrawal. */
export const CashMovementSchema = z.strictObject({
  amount: AmountSchema,
  description: DescriptionSchema,
}).openapi("CashMovement");

/** An account as JSON. */
export const toAccountJson = accountJson;
