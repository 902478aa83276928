/** Looking up any customer's account by its number: what a payer may learn before paying. */
import type { Queryable } from "./client.ts";

/** What a payer may learn of an account: that it exists, its id to pay into, and its currency. */
export interface Payee {
  id: string;
  currency: string;
}

/** The account with this number, whoever owns it, or undefined. */
export async function findPayee(sql: Queryable, accountNumber: string): Promise<Payee | undefined> {
  const [row] = await sql<Payee[]>`
    SELECT id, currency FROM accounts WHERE account_number = ${accountNumber}`;
  return row;
}

/**
 * The name of the customer holding the account with this number, or undefined: what a
 * confirmation-of-payee check compares the payer's name with (the answer never carries it, except
 * as the close match's suggestion).
 */
export async function findHolderName(
  sql: Queryable,
  accountNumber: string,
): Promise<string | undefined> {
  const [row] = await sql<{ name: string }[]>`
    SELECT u.name FROM accounts a JOIN users u ON u.id = a.user_id
    WHERE a.account_number = ${accountNumber}`;
  return row?.name;
}
