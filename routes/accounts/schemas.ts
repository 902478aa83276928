/** Accounts on the wire. */
import { z } from "@hono/zod-openapi";
import { CURRENCIES, DEFAULT_CURRENCY } from "../../domain/money.ts";
import { accountJson } from "../../domain/representations.ts";
import { AmountSchema, DescriptionSchema } from "../schemas.ts";

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
  created_at: z.string().openapi({ example: "2026-11-24T10:00:00.000Z" }),
  updated_at: z.string().openapi({ example: "2026-11-24T10:00:00.000Z" }),
}).openapi("Account");

/** Opening an account. */
export const OpenAccountSchema = z.strictObject({
  currency: z.enum(currencyCodes).default(DEFAULT_CURRENCY).openapi({ example: "ZAR" }),
}).openapi("OpenAccount");

/** A deposit or withdrawal. */
export const CashMovementSchema = z.strictObject({
  amount: AmountSchema,
  description: DescriptionSchema,
}).openapi("CashMovement");

/** An account as JSON. */
export const toAccountJson = accountJson;
