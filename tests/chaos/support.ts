/**
 * The chaos suite's harness: a database of its own, the server as a real subprocess, a load of
 * random movements of every kind (mix.ts) that retries with its Idempotency-Keys while the
 * customers' shared clock advances, and the bank's invariants checked from the database
 * afterwards. Every loop here is bounded in count and in time.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import type { Sql } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { auditDatabase } from "../../db/audit.ts";
import { IDEMPOTENCY_KEY_TTL_SECONDS } from "../../db/idempotency.ts";
import {
  type Attempt,
  type ChaosCustomer,
  CLIENT_WAIT_MS_MAX,
  type LoadReport,
  pause,
  postUntilAnswered,
  type Retrying,
} from "./http.ts";
import {
  bankingAttempt,
  closeMix,
  dealKind,
  driveClock,
  isBankingKind,
  type MixState,
  newMixState,
  settleBanking,
} from "./mix.ts";
import { assertBankingKinds } from "./mix_invariants.ts";

export { CLIENT_WAIT_MS_MAX };
export type { Attempt, ChaosCustomer, LoadReport, TransferAttempt } from "./http.ts";
export { type MixState, newMixState } from "./mix.ts";

const REPO_ROOT = new URL("../../", import.meta.url).pathname;
/** The application_name the harness's own connections carry, so faults aimed at the app miss it. */
const HARNESS_APPLICATION_NAME = "bank-chaos-harness";
const READY_WAIT_MS_MAX = 30_000;

/** The PostgreSQL URL chaos runs beside: DATABASE_URL, which the suite requires. */
export function baseDatabaseUrl(): string {
  const url = Deno.env.get("DATABASE_URL");
  if (!url) throw new Error("The chaos suite needs DATABASE_URL (a real PostgreSQL)");
  return url;
}

/** Opens a harness connection (not named like the app's, so pg_terminate_backend spares it). */
export function harnessConnection(url: string, max = 4): Sql {
  return postgres(url, {
    max,
    connect_timeout: 5,
    idle_timeout: 5,
    types: { bigint: postgres.BigInt },
    transform: { column: { from: postgres.toCamel } },
    onnotice: () => {},
    connection: { application_name: HARNESS_APPLICATION_NAME },
  }) as unknown as Sql;
}

/** A fresh, migrated database named after DATABASE_URL's, dropped by `drop()`. */
export async function chaosDatabase(): Promise<
  { url: string; name: string; drop(): Promise<void> }
> {
  const base = new URL(baseDatabaseUrl());
  const name = `${base.pathname.slice(1)}_chaos_${crypto.randomUUID().slice(0, 8)}`;
  const admin = harnessConnection(base.toString(), 1);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const sql = harnessConnection(url.toString(), 1);
  await migrate(sql);
  await sql.end();
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const dropper = harnessConnection(base.toString(), 1);
      await withPostgresUp(() => dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await dropper.end();
    },
  };
}

/** Retries `work` while PostgreSQL is coming back, for at most 30 seconds. */
export async function withPostgresUp<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
}

/** A server subprocess and what it wrote. */
export interface ServerProcess {
  baseUrl: string;
  pid: number;
  /** Lines the server logged (kept across restarts of the same handle's port). */
  lines: string[];
  kill(signal: Deno.Signal): Promise<void>;
}

/** The environment every chaos server runs with: cheap hashing, no velocity limit in the way. */
export function serverEnv(databaseUrl: string, port: number): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    APP_ENV: "test",
    JWT_SECRET: "chaos-secret-chaos-secret-chaos-secret-0123",
    PASSWORD_HASH_MEMORY_KIB: "256",
    PASSWORD_HASH_ITERATIONS: "1",
    FRAUD_MAX_TRANSFERS: "1000000",
    FRAUD_MAX_TRANSFER_AMOUNT: "1000000",
    LOG_LEVEL: "info",
    WEBHOOK_ALLOW_PRIVATE: "true",
    REGISTRATIONS_PER_CLIENT_MAX: "1000000",
  };
}

/** Starts `deno run -A main.ts` and waits until /health answers 200. */
export async function startServer(
  env: Record<string, string>,
  lines: string[] = [],
): Promise<ServerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: REPO_ROOT,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  collectLines(child.stdout, lines);
  collectLines(child.stderr, lines);
  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + READY_WAIT_MS_MAX;
  while (!(await healthy(baseUrl))) {
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The server did not become healthy:\n${lines.slice(-20).join("\n")}`);
    }
    await sleep(200);
  }
  return {
    baseUrl,
    pid: child.pid,
    lines,
    kill: async (signal) => {
      try {
        child.kill(signal);
      } catch {
        // Already gone.
      }
      await child.status;
    },
  };
}

async function healthy(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

const LINES_KEPT_MAX = 20_000;

async function collectLines(stream: ReadableStream<Uint8Array>, lines: string[]) {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of stream) {
    const parts = (rest + decoder.decode(chunk, { stream: true })).split("\n");
    rest = parts.pop() ?? "";
    for (const part of parts) if (lines.length < LINES_KEPT_MAX) lines.push(part);
  }
}

/**
 * Registers `count` customers over HTTP, each with an account holding `balance`, all on the first
 * one's sandbox clock (a movement between customers on clocks apart would be refused; the load
 * advances this one clock).
 */
export async function fundedCustomers(
  baseUrl: string,
  count: number,
  balance: string,
): Promise<ChaosCustomer[]> {
  const customers: ChaosCustomer[] = [];
  let clockId: string | undefined;
  for (let i = 0; i < count; i++) {
    const email = `chaos-${crypto.randomUUID()}@example.test`;
    const password = "chaos password 123";
    await expectStatus(baseUrl, "POST", "/auth/register", 201, {
      body: { name: `Chaos ${i}`, email, password },
    });
    const login = await expectStatus(baseUrl, "POST", "/auth/login", 200, {
      body: { email, password },
    });
    const token = String(login.access_token);
    const account = await expectStatus(baseUrl, "POST", "/accounts", 201, {
      token,
      body: { currency: "ZAR" },
    });
    const accountId = String(account.id);
    await expectStatus(baseUrl, "POST", `/accounts/${accountId}/deposit`, 201, {
      token,
      body: { amount: balance },
    });
    const card = await expectStatus(baseUrl, "POST", `/accounts/${accountId}/cards`, 201, {
      token,
      body: {},
    });
    const usd = await expectStatus(baseUrl, "POST", "/accounts", 201, {
      token,
      body: { currency: "USD" },
    });
    if (clockId === undefined) {
      clockId = String(
        (await expectStatus(baseUrl, "GET", "/simulations/clock", 200, { token })).id,
      );
    } else {
      await expectStatus(baseUrl, "POST", "/simulations/clock/join", 200, {
        token,
        body: { clock_id: clockId },
      });
    }
    customers.push({
      token,
      accountId,
      accountNumber: String(account.account_number),
      cardId: String(card.id),
      usdAccountId: String(usd.id),
    });
  }
  return customers;
}

async function expectStatus(
  baseUrl: string,
  method: string,
  path: string,
  status: number,
  options: { token?: string; body?: unknown },
): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(CLIENT_WAIT_MS_MAX),
  });
  const body = await response.json();
  assert.equal(response.status, status, `${method} ${path}: ${JSON.stringify(body)}`);
  return body;
}

/** Options of a load run. */
export interface LoadOptions {
  /** Servers to spread requests across (each worker picks one per try). */
  baseUrls: () => string[];
  customers: ChaosCustomer[];
  workers: number;
  durationMs: number;
  /** Called with each answer's label ("201", "503", "network", …) as it arrives. */
  onAnswer?: (label: string) => void;
  /** Ends the run early once true (checked before each new movement and each retry). */
  stopWhen?: () => boolean;
  /** What the mix remembers (payments to return, debit orders to dispute); kept across runs. */
  mix?: MixState;
}

/**
 * Random movements of every kind between the customers' accounts from `workers` concurrent
 * clients for `durationMs`, while one more advances the customers' shared clock a day at a time.
 * A try that gets no definitive answer (network error, 503, key in flight) is retried with the
 * same key and body; an attempt still open at the end stays without a status.
 */
export async function driveTransfers(options: LoadOptions): Promise<LoadReport> {
  const report: LoadReport = { attempts: [], answers: {}, hangs: 0, malformed503s: 0 };
  const mix = options.mix ?? newMixState();
  const deadline = Date.now() + options.durationMs;
  const going = () => Date.now() < deadline && !options.stopWhen?.();
  const retrying: Retrying = { ...options, report, deadline, going };
  const worker = async () => {
    while (going()) {
      const urls = options.baseUrls();
      const attempt = await nextAttempt(
        urls[Math.floor(Math.random() * urls.length)],
        options,
        mix,
      );
      report.attempts.push(attempt);
      await settleAttempt(attempt, retrying, mix);
    }
  };
  await Promise.all([
    driveClock(options.customers[0], retrying, mix),
    ...Array.from({ length: options.workers }, worker),
  ]);
  return report;
}

/**
 * The mix's closing round (mix.ts closeMix) within `budgetMs`: the clock moved past everything in
 * flight, then returns after settlement and disputes of what the load left; its attempts join the
 * report's.
 */
export async function closeTheMix(
  report: LoadReport,
  options: { baseUrls: () => string[]; customers: ChaosCustomer[]; mix: MixState },
  budgetMs: number,
): Promise<Attempt[]> {
  const deadline = Date.now() + budgetMs;
  const going = () => Date.now() < deadline;
  const retrying: Retrying = { baseUrls: options.baseUrls, report, deadline, going };
  const attempts = await closeMix(options.customers[0], retrying, options.mix);
  report.attempts.push(...attempts);
  return attempts.filter((attempt) => attempt.status === undefined);
}

// The mix's next kind, dealt at its share (mix.ts MIX_SHARES): card purchases (card captures move
// money as transfers do), FX transfers, the banking kinds, plain transfers. A kind that cannot be
// made now (nothing due to return, a quote unanswered) becomes a plain transfer.
async function nextAttempt(
  baseUrl: string,
  options: LoadOptions,
  mix: MixState,
): Promise<Attempt> {
  const kind = dealKind(mix);
  if (kind === "transfer") return randomTransfer(options.customers);
  if (kind === "card") return randomPurchase(options.customers);
  if (kind === "fx") {
    return await fxTransfer(baseUrl, options.customers) ?? randomTransfer(options.customers);
  }
  return await bankingAttempt(kind, options.customers, mix, baseUrl) ??
    randomTransfer(options.customers);
}

/** Retries every open attempt until it has an answer or `budgetMs` runs out. */
export async function settleOpenTransfers(
  report: LoadReport,
  baseUrls: () => string[],
  budgetMs: number,
  mix: MixState = newMixState(),
): Promise<Attempt[]> {
  const deadline = Date.now() + budgetMs;
  const open = report.attempts.filter((attempt) => attempt.status === undefined);
  const going = () => Date.now() < deadline;
  await Promise.all(
    open.map((attempt) => settleAttempt(attempt, { baseUrls, report, deadline, going }, mix)),
  );
  return report.attempts.filter((attempt) => attempt.status === undefined);
}

function randomAmount(): string {
  const cents = 1 + Math.floor(Math.random() * 5_000);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

// The merchant's name is the chaos key: it is the description of the purchase's ledger rows.
function randomPurchase(customers: ChaosCustomer[]): Attempt {
  const customer = customers[Math.floor(Math.random() * customers.length)];
  const key = crypto.randomUUID();
  return {
    kind: "card",
    key,
    customer,
    body: {
      card_id: customer.cardId,
      amount: randomAmount(),
      merchant: { name: `chaos:${key}`, mcc: "5411" },
    },
    tries: 0,
  };
}

function randomTransfer(customers: ChaosCustomer[]): Attempt {
  const from = customers[Math.floor(Math.random() * customers.length)];
  let to = from;
  while (to === from) to = customers[Math.floor(Math.random() * customers.length)];
  const key = crypto.randomUUID();
  return {
    kind: "transfer",
    key,
    customer: from,
    body: {
      from_account_id: from.accountId,
      to_account_id: to.accountId,
      amount: randomAmount(),
      description: `chaos:${key}`,
    },
    tries: 0,
  };
}

// A cross-currency transfer between a customer's ZAR and USD accounts, either way, small enough
// not to drain the ZAR the plain transfers need: a quote, then a transfer carrying it (ZAR to USD or back) (retried under one key like any other), or undefined when
// the quote itself got no answer under the faults (the worker sends a plain transfer instead).
async function fxTransfer(
  baseUrl: string,
  customers: ChaosCustomer[],
): Promise<Attempt | undefined> {
  const customer = customers[Math.floor(Math.random() * customers.length)];
  const toUsd = Math.random() < 0.6;
  const [from, to] = toUsd ? ["ZAR", "USD"] : ["USD", "ZAR"];
  const cents = 100 + Math.floor(Math.random() * 900);
  const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
  try {
    const response = await fetch(`${baseUrl}/fx/quotes`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${customer.token}`,
      },
      body: JSON.stringify({ from_currency: from, to_currency: to, sell_amount: amount }),
      signal: AbortSignal.timeout(CLIENT_WAIT_MS_MAX),
    });
    const quote = await response.json().catch(() => ({}));
    if (response.status !== 201) return undefined;
    const key = crypto.randomUUID();
    return {
      kind: "transfer",
      key,
      customer,
      body: {
        from_account_id: toUsd ? customer.accountId : customer.usdAccountId,
        to_account_id: toUsd ? customer.usdAccountId : customer.accountId,
        amount,
        fx_quote_id: quote.id,
        description: `chaos:${key}`,
      },
      tries: 0,
    };
  } catch {
    return undefined;
  }
}

async function settleAttempt(attempt: Attempt, retrying: Retrying, mix: MixState) {
  if (isBankingKind(attempt.kind)) return await settleBanking(attempt, retrying, mix);
  if (attempt.kind === "transfer") {
    const answer = await postUntilAnswered(attempt, {
      path: "/transactions/transfer",
      key: attempt.key,
      body: attempt.body,
    }, retrying);
    if (!answer) return;
    attempt.status = answer.status;
    const id = answer.status === 201 ? answer.body.id : answer.body.transaction_id;
    attempt.transactionId = id === undefined ? undefined : String(id);
    return;
  }
  await settlePurchase(attempt, retrying);
}

// A purchase: the authorization under the attempt's key, then (approved) a final capture of all
// of it under a key of its own; each retried until it has a definitive answer.
async function settlePurchase(attempt: Attempt, retrying: Retrying) {
  if (!attempt.authorization) {
    const authorized = await postUntilAnswered(attempt, {
      path: "/simulations/card_authorizations",
      key: attempt.key,
      body: attempt.body,
    }, retrying);
    if (!authorized) return;
    if (authorized.status !== 201) {
      attempt.status = authorized.status;
      return;
    }
    const pending = authorized.body.status === "pending";
    attempt.authorization = { id: String(authorized.body.id), pending };
    if (!pending) {
      attempt.status = 201;
      attempt.transactionId = String(authorized.body.transaction_id);
      return;
    }
  }
  if (!attempt.authorization.pending) return;
  const captured = await postUntilAnswered(attempt, {
    path: `/simulations/card_authorizations/${attempt.authorization.id}/capture`,
    key: `${attempt.key}:capture`,
    body: { amount: attempt.body.amount, final: true },
  }, retrying);
  if (!captured) return;
  attempt.status = captured.status;
  const id = captured.body.transaction_id;
  attempt.transactionId = id === undefined ? undefined : String(id);
}

/**
 * Checks the bank's invariants in the database: the audit finds nothing (money conserved in each
 * currency, no customer balance negative, every balance equals its approved ledger rows, card
 * captures included, every FX transfer has its two legs), each currency's balances are its money
 * in less out, every acknowledged transfer and card capture is an approved ledger row of its own
 * key, every declined purchase a rejected one, every acknowledged movement of the banking kinds
 * stored as answered (mix_invariants.ts), and no Idempotency-Key posted twice.
 */
export async function assertBankInvariants(sql: Sql, attempts: Attempt[]): Promise<void> {
  const audit = await auditDatabase(sql, { realNow: new Date() });
  assert.deepEqual(audit.findings, [], "the audit found disagreements");
  for (const row of audit.currencies) {
    assert.equal(row.balances, row.externalNet, `money conserved in ${row.currency}`);
  }
  await assertPurchases(sql, attempts.filter((attempt) => attempt.kind === "card"));
  await assertBankingKinds(sql, attempts);
  const acknowledged = attempts.filter((attempt) =>
    attempt.kind === "transfer" && attempt.status === 201
  );
  const ids = acknowledged.map((attempt) => attempt.transactionId!);
  const found = ids.length === 0 ? [] : await sql<{ id: string; description: string }[]>`
    SELECT id, description FROM transactions WHERE id IN ${sql(ids)} AND status = 'approved'`;
  assert.equal(found.length, ids.length, "every transfer answered 201 is an approved ledger row");
  const byId = new Map(found.map((row) => [row.id, row.description]));
  for (const attempt of acknowledged) {
    assert.equal(byId.get(attempt.transactionId!), `chaos:${attempt.key}`);
  }
  // A payment's return credits it back under the payment's own description: not a second post.
  // A key is kept IDEMPOTENCY_KEY_TTL_SECONDS on its owner's sandbox clock (the ledger's
  // created_at), which the mix advances a day at a time: a retry of a request whose answer was
  // lost, sent after the clock passed the key's expiry, is a new request and may post again (seen
  // here: 4 such pairs, 1 day and 2 s apart, after the server SIGKILL). A post twice within the
  // key's life is the bug this looks for.
  const doubles = await sql<{ description: string; apartSeconds: number }[]>`
    SELECT description, extract(epoch FROM created_at - previous)::float8 AS apart_seconds
    FROM (
      SELECT description, created_at,
        lag(created_at) OVER (PARTITION BY description ORDER BY created_at, id) AS previous
      FROM transactions
      WHERE description LIKE 'chaos:%' AND fx_leg IS DISTINCT FROM 'destination'
        AND type <> 'payment_return'
    ) posted
    WHERE created_at - previous < ${IDEMPOTENCY_KEY_TTL_SECONDS} * interval '1 second'`;
  assert.deepEqual([...doubles], [], "no Idempotency-Key was posted twice within its life");
}

// Each answered purchase's row: its capture approved (200), or its decline recorded (201).
async function assertPurchases(sql: Sql, purchases: Attempt[]): Promise<void> {
  const answered = purchases.filter((p) => p.transactionId && [200, 201].includes(p.status ?? 0));
  if (answered.length === 0) return;
  const rows = await sql<{ id: string; type: string; status: string; description: string }[]>`
    SELECT id, type, status, description FROM transactions
    WHERE id IN ${sql(answered.map((p) => p.transactionId!))}`;
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const purchase of answered) {
    const row = byId.get(purchase.transactionId!);
    const expected = purchase.status === 200
      ? { type: "card_capture", status: "approved" }
      : { type: "card_authorization", status: "rejected" };
    assert.deepEqual(
      row && { type: row.type, status: row.status, description: row.description },
      { ...expected, description: `chaos:${purchase.key}` },
    );
  }
}

/** Sleeps `ms` milliseconds (a harness pause: fault timing, polls with a deadline). */
export const sleep = pause;
