/**
 * Reconciles a database: the ledger must explain every balance, and money may only enter or
 * leave the bank through external movements (deposits, withdrawals, payments, captures); the
 * banking kinds (batches, returns after settlement, debit orders, standing orders) are checked by
 * db/audit_banking.ts in the same snapshot.
 */
import { typesShaped } from "../domain/ledger.ts";
import { auditBanking, type BankingWindows } from "./audit_banking.ts";
import type { Queryable } from "./client.ts";
import { heldAtSql } from "./facts.ts";
import { sandboxNowSql } from "./sandbox_time.ts";

/** One disagreement the audit found. */
export interface AuditFinding {
  check: string;
  subject: string;
  expected: string;
  actual: string;
}

/** What the audit saw and what disagreed. */
export interface AuditReport {
  accounts: number;
  entries: number;
  /** Payments and holds looked at. */
  payments: number;
  holds: number;
  batches: number;
  /** Per currency; `fxPosition` is the bank's own FX position in it (negative: short). */
  currencies: { currency: string; balances: string; externalNet: string; fxPosition: string }[];
  findings: AuditFinding[];
}

/**
 * Runs every check in one snapshot (REPEATABLE READ) so a live bank audits consistently; handed
 * a transaction, it runs in that one instead. The windows default to the bank's defaults;
 * `deno task audit` passes the configured ones.
 */
export async function auditDatabase(
  sql: Queryable,
  options: { realNow: Date } & BankingWindows,
): Promise<AuditReport> {
  const run = async (q: Queryable): Promise<AuditReport> => {
    const findings: AuditFinding[] = [];
    const balances = await q<{ id: string; kind: string; balance: bigint; ledger: bigint }[]>`
      SELECT a.id, a.kind, a.balance,
        coalesce((SELECT sum(amount) FROM transactions
                  WHERE to_account_id = a.id AND status = 'approved'), 0)::bigint
        - coalesce((SELECT sum(amount) FROM transactions
                    WHERE from_account_id = a.id AND status = 'approved'), 0)::bigint AS ledger
      FROM accounts a`;
    for (const row of balances) {
      if (row.balance !== row.ledger) {
        findings.push({
          check: "balance_equals_ledger",
          subject: `account ${row.id}`,
          expected: String(row.ledger),
          actual: String(row.balance),
        });
      }
      // The bank's FX positions may be short; a customer's balance never.
      if (row.balance < 0n && row.kind !== "fx_position") {
        findings.push({
          check: "no_negative_balance",
          subject: `account ${row.id}`,
          expected: ">= 0",
          actual: String(row.balance),
        });
      }
    }
    // Money enters and leaves the bank only by the types domain/ledger.ts ENTRY_SHAPES says.
    const currencies = await q<
      { currency: string; balances: bigint; externalNet: bigint; fxPosition: bigint }[]
    >`
      WITH held AS (
        SELECT currency, sum(balance)::bigint AS balances,
          coalesce(sum(balance) FILTER (WHERE kind = 'fx_position'), 0)::bigint AS fx_position
        FROM accounts GROUP BY currency
      ), flows AS (
        SELECT currency,
          coalesce(sum(amount) FILTER (WHERE type = ANY(${typesShaped("inflow")}::text[])), 0)
          - coalesce(sum(amount) FILTER (WHERE type = ANY(${typesShaped("outflow")}::text[])), 0)
            AS external_net
        FROM transactions WHERE status = 'approved' GROUP BY currency
      )
      SELECT coalesce(held.currency, flows.currency) AS currency,
             coalesce(held.balances, 0)::bigint AS balances,
             coalesce(flows.external_net, 0)::bigint AS external_net,
             coalesce(held.fx_position, 0)::bigint AS fx_position
      FROM held FULL JOIN flows ON flows.currency = held.currency
      ORDER BY 1`;
    for (const row of currencies) {
      if (row.balances !== row.externalNet) {
        findings.push({
          check: "money_conserved",
          subject: `currency ${row.currency}`,
          expected: `${row.externalNet} (money in less money out)`,
          actual: `${row.balances} (sum of balances)`,
        });
      }
    }
    findings.push(
      ...await auditEntryShapes(q),
      ...await auditHolds(q, options.realNow),
      ...await auditPayments(q),
      ...await auditCardAuthorizations(q),
      ...await auditFx(q),
      ...await auditDebitOrders(q),
      ...await auditBanking(q, options),
    );
    const mismatched = await q<{ id: string; currency: string; accountCurrency: string }[]>`
      SELECT t.id, t.currency, a.currency AS account_currency FROM transactions t
      JOIN accounts a ON a.id IN (t.from_account_id, t.to_account_id)
      WHERE t.status = 'approved' AND a.currency <> t.currency`;
    for (const row of mismatched) {
      findings.push({
        check: "entry_currency_matches_accounts",
        subject: `transaction ${row.id}`,
        expected: row.accountCurrency,
        actual: row.currency,
      });
    }
    const [{ entries }] = await q<
      { entries: bigint }[]
    >`SELECT count(*) AS entries FROM transactions`;
    const [{ payments, holds, batches }] = await q<
      { payments: bigint; holds: bigint; batches: bigint }[]
    >`
      SELECT (SELECT count(*) FROM payments) AS payments, (SELECT count(*) FROM holds) AS holds,
        (SELECT count(*) FROM batches) AS batches`;
    return {
      accounts: balances.length,
      entries: Number(entries),
      payments: Number(payments),
      holds: Number(holds),
      batches: Number(batches),
      currencies: currencies.map((row) => ({
        currency: row.currency,
        balances: String(row.balances),
        externalNet: String(row.externalNet),
        fxPosition: String(row.fxPosition),
      })),
      findings,
    };
  };
  const client = sql as {
    begin?: (mode: string, fn: (q: Queryable) => Promise<AuditReport>) => Promise<AuditReport>;
  };
  return typeof client.begin === "function"
    ? await client.begin("isolation level repeatable read read only", async (tx) => {
      // An operator's full scan, not request work: no per-connection statement timeout.
      await tx`SET LOCAL statement_timeout = 0`;
      return await run(tx);
    })
    : await run(sql);
}

/** The report as lines of text for the terminal. */
export function formatAuditReport(report: AuditReport): string {
  const lines = [
    `Audited ${report.accounts} accounts and ${report.entries} ledger entries.`,
    `  with ${report.payments} payments, ${report.holds} holds and ${report.batches} batches.`,
    ...report.currencies.map((row) =>
      `  ${row.currency}: balances ${row.balances} minor units; money in less out ` +
      `${row.externalNet}; the bank's FX position ${row.fxPosition}`
    ),
  ];
  if (report.findings.length === 0) {
    lines.push(
      "OK: every balance equals its ledger, money is conserved in every currency, no hold " +
        "exceeds its balance, every payment and capture has exactly its ledger rows, every " +
        "FX transfer has its two legs through the bank's positions, every batch agrees with its " +
        "items, every return after settlement and debit order reversal is in its window, and " +
        "every standing order's runs are its payments.",
    );
  } else {
    lines.push(`FAILED: ${report.findings.length} disagreement(s):`);
    for (const finding of report.findings) {
      lines.push(
        `  [${finding.check}] ${finding.subject}: expected ${finding.expected}, found ${finding.actual}`,
      );
    }
  }
  return lines.join("\n");
}

// Each approved entry's accounts match its type: an inflow has no source, an outflow no
// destination, a transfer both. Otherwise the per-type sums above could balance by accident.
async function auditEntryShapes(q: Queryable): Promise<AuditFinding[]> {
  const rows = await q<{ id: string; type: string }[]>`
    SELECT id, type FROM transactions
    WHERE status = 'approved' AND NOT CASE
      WHEN type = ANY(${typesShaped("inflow")}::text[])
        THEN from_account_id IS NULL AND to_account_id IS NOT NULL
      WHEN type = ANY(${typesShaped("outflow")}::text[])
        THEN from_account_id IS NOT NULL AND to_account_id IS NULL
      ELSE from_account_id IS NOT NULL AND to_account_id IS NOT NULL
    END`;
  return rows.map((row) => ({
    check: "entry_shape_matches_type",
    subject: `transaction ${row.id}`,
    expected: `the accounts of a ${row.type}`,
    actual: "another shape",
  }));
}

// Active, unexpired holds (on the owner's clock) never reserve more than the balance.
async function auditHolds(q: Queryable, realNow: Date): Promise<AuditFinding[]> {
  const rows = await q<{ id: string; balance: bigint; held: bigint }[]>`
    SELECT a.id, a.balance, held.amount AS held
    FROM accounts a JOIN users u ON u.id = a.user_id
    CROSS JOIN LATERAL (
      SELECT ${heldAtSql(q, q`a.id`, sandboxNowSql(q, q`${realNow}::timestamptz`))} AS amount
    ) held
    WHERE held.amount > a.balance AND a.kind = 'customer'`;
  const captures = await q<{ id: string; problem: string }[]>`
    SELECT h.id, 'capture entry missing or wrong' AS problem FROM holds h
    LEFT JOIN transactions t ON t.id = h.capture_transaction_id
    WHERE h.status = 'captured' AND h.source = 'api'
      AND NOT (t.type = 'hold_capture' AND t.status = 'approved'
        AND t.from_account_id = h.account_id AND t.amount = h.captured_amount)
    UNION ALL
    SELECT t.id, 'hold_capture entry without exactly one captured hold' FROM transactions t
    WHERE t.type = 'hold_capture' AND t.status = 'approved'
      AND (SELECT count(*) FROM holds h WHERE h.capture_transaction_id = t.id) <> 1`;
  return [
    ...rows.map((row) => ({
      check: "holds_within_balance",
      subject: `account ${row.id}`,
      expected: `held <= ${row.balance}`,
      actual: `held ${row.held}`,
    })),
    ...captures.map((row) => ({
      check: "capture_has_its_entry",
      subject: `hold or transaction ${row.id}`,
      expected: "one approved hold_capture of the captured amount",
      actual: row.problem,
    })),
  ];
}

// Each card authorization agrees with its hold (same account, the state its own implies) and
// with its ledger row: a decline's rejected card_authorization row, a capture's approved
// card_capture. Captured money never falls below what was refunded (a CHECK says so too).
async function auditCardAuthorizations(q: Queryable): Promise<AuditFinding[]> {
  const rows = await q<{ id: string; problem: string }[]>`
    SELECT ca.id, 'hold missing or in another state' AS problem FROM card_authorizations ca
    LEFT JOIN holds h ON h.id = ca.hold_id
    WHERE ca.status <> 'declined' AND (h.id IS NULL OR h.source <> 'card'
      OR h.account_id <> ca.account_id OR h.status <> CASE ca.status
        WHEN 'pending' THEN 'active' WHEN 'expired' THEN 'expired'
        WHEN 'reversed' THEN 'voided' ELSE 'captured' END)
    UNION ALL
    SELECT ca.id, 'ledger row missing or wrong' FROM card_authorizations ca
    LEFT JOIN transactions t ON t.id = ca.transaction_id
    WHERE (ca.status = 'declined' AND NOT (t.type = 'card_authorization'
        AND t.status = 'rejected' AND t.from_account_id = ca.account_id))
      OR (ca.captured_amount > 0 AND NOT (t.type = 'card_capture' AND t.status = 'approved'
        AND t.from_account_id = ca.account_id AND t.amount <= ca.captured_amount))
      OR (ca.status = 'closed' AND ca.captured_amount = 0)`;
  return rows.map((row) => ({
    check: "card_authorization_matches_hold_and_ledger",
    subject: `card authorization ${row.id}`,
    expected: "its hold in the matching state and its ledger row",
    actual: row.problem,
  }));
}

// Every used FX quote has exactly its two legs, each through the bank's position account in its
// currency at the quote's amounts; an unused quote has none; a position account moves only by
// FX legs. With balance_equals_ledger and money_conserved this proves each currency's FX books.
async function auditFx(q: Queryable): Promise<AuditFinding[]> {
  const rows = await q<{ id: string; problem: string }[]>`
    WITH legs AS (
      SELECT q.id AS quote_id, q.used_at, t.id, t.fx_leg, t.status, t.type, t.amount, t.currency,
        t.from_account_id, t.to_account_id, q.transaction_id,
        CASE t.fx_leg
          WHEN 'source' THEN t.from_account_id = q.from_account_id AND t.to_account_id = ps.id
            AND t.amount = q.sell_amount AND t.currency = q.from_currency
            AND t.id = q.transaction_id
          WHEN 'destination' THEN t.from_account_id = pd.id AND t.to_account_id = q.to_account_id
            AND t.amount = q.buy_amount AND t.currency = q.to_currency
        END AS matches
      FROM fx_quotes q
      JOIN accounts ps ON ps.kind = 'fx_position' AND ps.currency = q.from_currency
      JOIN accounts pd ON pd.kind = 'fx_position' AND pd.currency = q.to_currency
      JOIN transactions t ON t.fx_quote_id = q.id
    )
    SELECT id, 'FX leg does not match its quote' AS problem FROM legs
    WHERE NOT (matches AND used_at IS NOT NULL AND status = 'approved' AND type = 'transfer')
    UNION ALL
    SELECT q.id, 'used FX quote without exactly its two legs' FROM fx_quotes q
    WHERE q.used_at IS NOT NULL AND (SELECT count(*) FROM transactions t
      WHERE t.fx_quote_id = q.id AND t.status = 'approved') <> 2
    UNION ALL
    SELECT t.id, 'FX position account moved by something else than an FX leg'
    FROM transactions t JOIN accounts a ON a.id IN (t.from_account_id, t.to_account_id)
    WHERE a.kind = 'fx_position' AND t.status = 'approved' AND t.fx_leg IS NULL`;
  return rows.map((row) => ({
    check: "fx_transfer_has_its_legs",
    subject: `FX quote or transaction ${row.id}`,
    expected: "two approved legs through the bank's positions at the quote's amounts",
    actual: row.problem,
  }));
}

// Every payment has exactly the ledger rows its direction and status call for, and every
// payment entry belongs to exactly one payment.
async function auditPayments(q: Queryable): Promise<AuditFinding[]> {
  const rows = await q<{ id: string; problem: string }[]>`
    WITH expected AS (
      SELECT p.*,
        CASE
          WHEN p.direction = 'outbound' AND p.status = 'rejected' THEN 'payment_out/rejected'
          WHEN p.direction = 'outbound' THEN 'payment_out/approved'
          WHEN p.status = 'settled' THEN 'payment_in/approved'
          -- An inbound payment the account refused (closed, or over its balance limit) goes back
          -- with its refused credit recorded.
          WHEN p.status = 'returned' AND p.transaction_id IS NOT NULL THEN 'payment_in/rejected'
        END AS debit_kind,
        CASE WHEN p.direction = 'outbound' AND p.status = 'returned'
          THEN 'payment_return/approved' END AS return_kind
      FROM payments p
    )
    SELECT e.id, 'first entry missing or wrong' AS problem FROM expected e
    LEFT JOIN transactions t ON t.id = e.transaction_id
    WHERE (e.debit_kind IS NULL) <> (t.id IS NULL)
       OR (t.id IS NOT NULL AND (t.type || '/' || t.status <> e.debit_kind OR t.amount <> e.amount
           OR coalesce(t.from_account_id, t.to_account_id) <> e.account_id))
    UNION ALL
    SELECT e.id, 'return entry missing or wrong' FROM expected e
    LEFT JOIN transactions t ON t.id = e.return_transaction_id
    WHERE (e.return_kind IS NULL) <> (t.id IS NULL)
       OR (t.id IS NOT NULL AND (t.type || '/' || t.status <> e.return_kind
           OR t.amount <> e.amount OR t.to_account_id <> e.account_id))
    UNION ALL
    SELECT t.id, 'payment entry without exactly one payment' FROM transactions t
    WHERE t.type IN ('payment_out', 'payment_in', 'payment_return')
      AND (t.status = 'approved' OR t.type = 'payment_out')
      AND (SELECT count(*) FROM payments p
           WHERE p.transaction_id = t.id OR p.return_transaction_id = t.id) <> 1`;
  return rows.map((row) => ({
    check: "payment_has_its_entries",
    subject: `payment or transaction ${row.id}`,
    expected: "exactly the ledger rows of its direction and status",
    actual: row.problem,
  }));
}

// Every debit order has exactly the ledger rows its status calls for (a collection out of its
// account, approved or, when it failed, rejected; a reversal back into it), and every such row
// belongs to exactly one debit order.
async function auditDebitOrders(q: Queryable): Promise<AuditFinding[]> {
  const rows = await q<{ id: string; problem: string }[]>`
    SELECT d.id, 'collection entry missing or wrong' AS problem FROM debit_orders d
    LEFT JOIN transactions t ON t.id = d.transaction_id
    WHERE (d.status = 'scheduled') <> (t.id IS NULL)
       OR (t.id IS NOT NULL AND (t.type <> 'debit_order' OR t.amount <> d.amount
           OR t.from_account_id <> d.account_id
           OR t.status <> CASE WHEN d.status = 'failed' THEN 'rejected' ELSE 'approved' END))
    UNION ALL
    SELECT d.id, 'reversal entry missing or wrong' FROM debit_orders d
    LEFT JOIN transactions t ON t.id = d.reversal_transaction_id
    WHERE (d.status = 'reversed') <> (t.id IS NOT NULL)
       OR (t.id IS NOT NULL AND (t.type <> 'debit_order_reversal' OR t.status <> 'approved'
           OR t.amount <> d.amount OR t.to_account_id <> d.account_id))
    UNION ALL
    SELECT t.id, 'debit order entry without exactly one debit order' FROM transactions t
    WHERE t.type IN ('debit_order', 'debit_order_reversal')
      AND (SELECT count(*) FROM debit_orders d
           WHERE d.transaction_id = t.id OR d.reversal_transaction_id = t.id) <> 1`;
  return rows.map((row) => ({
    check: "debit_order_has_its_entries",
    subject: `debit order or transaction ${row.id}`,
    expected: "exactly the ledger rows of its status",
    actual: row.problem,
  }));
}
