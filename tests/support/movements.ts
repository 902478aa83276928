/** Customers, accounts and transfer commands for tests that call db/ directly. */
import type { Sql } from "../../db/client.ts";
import { openAccount } from "../../db/accounts.ts";
import { deposit } from "../../db/movements.ts";
import type { TransferCommand } from "../../db/transfers.ts";
import { insertUser } from "../../db/users.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";

/** Fraud rules that approve whatever the tests send. */
export const permissive = createFraudRules({
  maxTransferAmount: "1000000",
  maxTransfers: 1_000_000,
  windowSeconds: 60,
});

/** The permissive rules as an outflow command carries them. */
export const permissiveRules = { rules: permissive };

/** A customer with `count` ZAR accounts, each funded with `fundEach` ("0": none). */
export async function customerWithAccounts(sql: Sql, count: number, fundEach: string) {
  const now = new Date();
  const user = await insertUser(sql, {
    name: "Concurrency",
    email: `cc-${crypto.randomUUID()}@example.test`,
    passwordHash: "not-used",
    now,
  });
  const accounts: string[] = [];
  for (let i = 0; i < count; i++) {
    const account = await openAccount(sql, { userId: user.id, currency: "ZAR", now });
    if (fundEach !== "0") {
      await deposit(sql, {
        userId: user.id,
        accountId: account.id,
        amount: fundEach,
        description: null,
        realNow: now,
      });
    }
    accounts.push(account.id);
  }
  return { userId: user.id, accounts };
}

/** A transfer between the customer's accounts, at the real time. */
export function transferCommand(
  userId: string,
  from: string,
  to: string,
  amount: string,
  rules = permissive,
): TransferCommand {
  return {
    userId,
    fromAccountId: from,
    toAccountId: to,
    amount,
    description: null,
    realNow: new Date(),
    rules,
  };
}

/** Each account's balance beside the sum of its approved ledger rows. */
export async function ledgerAgrees(sql: Sql, accounts: string[]) {
  return await sql<{ id: string; balance: bigint; ledger: bigint }[]>`
    SELECT a.id, a.balance,
      coalesce((SELECT sum(amount) FROM transactions WHERE to_account_id = a.id AND status = 'approved'), 0)::bigint
      - coalesce((SELECT sum(amount) FROM transactions WHERE from_account_id = a.id AND status = 'approved'), 0)::bigint
      AS ledger
    FROM accounts a WHERE a.id IN ${sql(accounts)}`;
}
