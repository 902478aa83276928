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
