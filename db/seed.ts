/**
 * Demo data, made once: a customer with two funded accounts, a few transactions, a payment out
 * that settles on the clearing schedule, an incoming payment on its way, and an active hold.
 */
import { hashPassword, type PasswordCost } from "../domain/passwords.ts";
import { openAccount } from "./accounts.ts";
import type { ClearingSettings } from "../domain/pipeline.ts";
import type { Sql } from "./client.ts";
import { placeHold } from "./holds.ts";
import { deposit, withdraw } from "./movements.ts";
import { transfer } from "./transfers.ts";
import { receivePayment, sendPayment } from "./payments.ts";
import { findLogin, insertUser } from "./users.ts";
import type { FraudRule } from "../domain/fraud/mod.ts";

/** The demo customer's credentials, printed at start-up. */
export const DEMO_CUSTOMER = {
  name: "Demo Customer",
  email: "demo@sandbox.bank",
  password: "demo-password-1",
};

/** Creates the demo customer unless it exists; returns true when it was created. */
export async function seedDemoData(
  sql: Sql,
  options: { cost: PasswordCost; rules: FraudRule[]; now: Date; clearing: ClearingSettings },
): Promise<boolean> {
  if (await findLogin(sql, DEMO_CUSTOMER.email)) return false;
  const user = await insertUser(sql, {
    name: DEMO_CUSTOMER.name,
    email: DEMO_CUSTOMER.email,
    passwordHash: await hashPassword(DEMO_CUSTOMER.password, options.cost),
    now: options.now,
  });
  // A millisecond apart, so the demo's accounts and ledger read in the order they were made.
  let step = 0;
  const at = () => new Date(options.now.getTime() + step++);
  const cheque = await openAccount(sql, { userId: user.id, currency: "ZAR", now: at() });
  const savings = await openAccount(sql, { userId: user.id, currency: "ZAR", now: at() });
  const base = { userId: user.id };
  // The commands still carry the velocity window beside the rules: it must be the rules' own.
  await deposit(sql, {
    ...base,
    accountId: cheque.id,
    amount: "500.00",
    description: "Opening deposit",
    realNow: at(),
  });
  await deposit(sql, {
    ...base,
    accountId: cheque.id,
    amount: "12500.00",
    description: "Salary",
    realNow: at(),
  });
  await deposit(sql, {
    ...base,
    accountId: savings.id,
    amount: "3000.00",
    description: "Savings",
    realNow: at(),
  });
  await withdraw(sql, {
    ...base,
    accountId: cheque.id,
    amount: "200.00",
    description: "ATM",
    realNow: at(),
    rules: options.rules,
  });
  await transfer(sql, {
    ...base,
    fromAccountId: cheque.id,
    toAccountId: savings.id,
    amount: "100.00",
    description: "Monthly saving",
    realNow: at(),
    rules: options.rules,
  });
  await sendPayment(sql, {
    ...base,
    accountId: cheque.id,
    amount: "450.00",
    counterparty: { name: "City Power", bank_code: "250655", account_number: "62001234567" },
    description: "Electricity, account 4471",
    realNow: at(),
    rules: options.rules,
    rail: "instant",
    clearing: options.clearing,
  });
  await receivePayment(sql, {
    ...base,
    accountNumber: cheque.accountNumber,
    amount: "1800.00",
    counterparty: { name: "Acme Design Studio", bank_code: "632005", account_number: "4078123456" },
    description: "Invoice 2026-114",
    realNow: at(),
    rail: "instant",
    clearing: options.clearing,
  });
  await placeHold(sql, {
    ...base,
    accountId: cheque.id,
    amount: "120.00",
    description: "Fuel pre-authorisation",
    expiresInSeconds: 3 * 24 * 60 * 60,
    realNow: at(),
    rules: options.rules,
  });
  return true;
}
