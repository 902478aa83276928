/**
 * FX transfers through the database alone (the in-process queue bypassed, as across instances):
 * one quote raced by many transfers moves money once, and many quotes at once through the same
 * position accounts keep every currency's books.
 */
import assert from "node:assert/strict";
import { openAccount } from "../../db/accounts.ts";
import { auditDatabase, formatAuditReport } from "../../db/audit.ts";
import { insertQuote } from "../../db/fx.ts";
import { transfer } from "../../db/transfers.ts";
import type { Tx } from "../../db/client.ts";
import { ConflictError } from "../../domain/errors.ts";
import { fxPositionAccountId } from "../../domain/fx_positions.ts";
import { type FxQuoteState, priceQuote } from "../../domain/fx_quotes.ts";
import { SANDBOX_FX_TABLE } from "../../domain/fx_rates.ts";
import { currencyOf, formatAmount } from "../../domain/money.ts";
import { bankTest } from "../support/app.ts";
import { testDatabase } from "../support/database.ts";
import { customerWithAccounts, transferCommand } from "../support/movements.ts";

async function newQuote(sql: Parameters<typeof insertQuote>[0], userId: string, sellMinor: bigint) {
  const now = new Date();
  const quote: FxQuoteState = {
    ...priceQuote({ fromCurrency: "ZAR", toCurrency: "USD", sellMinor }, {
      table: SANDBOX_FX_TABLE,
      spreadBps: 50,
    }),
    id: crypto.randomUUID(),
    userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + 60_000),
    usedAt: null,
    transactionId: null,
    fromAccountId: null,
    toAccountId: null,
  };
  await insertQuote(sql, quote);
  return quote;
}

bankTest(
  "ten parallel transfers with one quote: one converts, nine are 409, nothing doubles",
  async () => {
    const { sql } = await testDatabase();
    const { userId, accounts: [zar] } = await customerWithAccounts(sql, 1, "1000");
    const usd = await openAccount(sql, { userId, currency: "USD", now: new Date() });
    const quote = await newQuote(sql, userId, 100_00n);
    const outcomes = await Promise.allSettled(
      Array.from(
        { length: 10 },
        () =>
          transfer(
            sql,
            { ...transferCommand(userId, zar, usd.id, "100.00"), fxQuoteId: quote.id },
            {
              unqueued: true,
            },
          ),
      ),
    );
    const approved = outcomes.filter((o) => o.status === "fulfilled" && o.value.verdict.approved);
    const conflicts = outcomes.filter((o) =>
      o.status === "rejected" && o.reason instanceof ConflictError
    );
    assert.equal(approved.length, 1);
    assert.equal(conflicts.length, 9);
    const rows = await sql<{ id: string; balance: bigint }[]>`
    SELECT id, balance FROM accounts WHERE id IN (${zar}, ${usd.id}) ORDER BY currency`;
    assert.deepEqual(
      rows.map((row) => row.balance),
      [quote.buyMinor, 900_00n],
    );
  },
);

bankTest("twenty quotes converted at once keep every currency's books", async () => {
  const { sql } = await testDatabase();
  const { userId, accounts: [zar] } = await customerWithAccounts(sql, 1, "10000");
  const usd = await openAccount(sql, { userId, currency: "USD", now: new Date() });
  const quotes = await Promise.all(
    Array.from({ length: 20 }, (_, i) => newQuote(sql, userId, 100_00n + BigInt(i) * 37_13n)),
  );
  const results = await Promise.all(quotes.map((quote) =>
    transfer(sql, {
      ...transferCommand(userId, zar, usd.id, formatAmount(quote.sellMinor, currencyOf("ZAR"))),
      fxQuoteId: quote.id,
    }, { unqueued: true })
  ));
  assert.ok(results.every((result) => result.verdict.approved));
  const [row] = await sql<{ balance: bigint }[]>`SELECT balance FROM accounts WHERE id = ${usd.id}`;
  assert.equal(row.balance, quotes.reduce((sum, quote) => sum + quote.buyMinor, 0n));
  const audit = await auditDatabase(sql, { realNow: new Date() });
  assert.deepEqual(audit.findings, [], formatAuditReport(audit));
});

bankTest(
  "the database lets only a bank FX position go negative",
  async () => {
    const { sql } = await testDatabase();
    const { accounts: [zar] } = await customerWithAccounts(sql, 1, "0");
    const position = fxPositionAccountId("ZAR");
    const attempt = async (statement: (tx: Tx) => Promise<unknown>) => {
      try {
        await sql.begin(async (tx) => {
          await statement(tx);
          throw new Error("rolled back");
        });
        return "unreachable";
      } catch (error) {
        return error instanceof Error && error.message === "rolled back"
          ? "accepted"
          : (error as { constraint_name?: string }).constraint_name ?? String(error);
      }
    };
    assert.equal(
      await attempt((tx) => tx`UPDATE accounts SET balance = -1 WHERE id = ${zar}`),
      "accounts_balance_check",
    );
    assert.equal(
      await attempt((tx) => tx`UPDATE accounts SET balance = -1 WHERE id = ${position}`),
      "accepted",
    );
  },
);
