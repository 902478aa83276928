/**
 * The bank's app in this process, on a PostgreSQL database of its own, for in-process
 * measurements (bench/profile.ts): no HTTP, so the app's own cost and the database's round trips
 * are what is measured.
 */
import { createApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import { connectDatabase, type Sql } from "../db/client.ts";
import { migrate } from "../db/migrate.ts";
import { createFraudRules } from "../domain/fraud/mod.ts";
import { createLogger } from "../routes/logger.ts";
import { createCustomers, type Customer } from "./customers.ts";
import { BENCH_ENV } from "./settings.ts";

export type App = ReturnType<typeof createApp>;

/** What the requests were answered, by status (and problem code). */
export type Answers = Record<string, number>;

/**
 * Runs `fn` with the app on a fresh database beside DATABASE_URL's (dropped afterwards), a pool of
 * `poolMax`, and `customers` customers set up as the HTTP bench sets up its own (bench/customers.ts).
 */
export async function withBenchApp(
  options: { customers: number; poolMax: number },
  fn: (bench: { app: App; sql: Sql; customers: Customer[] }) => Promise<void>,
): Promise<void> {
  const baseUrl = Deno.env.get("DATABASE_URL");
  if (!baseUrl) throw new Error("needs DATABASE_URL (a PostgreSQL it may add a database to)");
  const name = `bank_in_process_${Date.now()}`;
  const admin = connectDatabase(baseUrl, { max: 1 });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const sql = connectDatabase(url.toString(), { max: options.poolMax });
  try {
    await migrate(sql);
    const config = loadConfig({ ...BENCH_ENV, DATABASE_URL: url.toString() });
    const app = createApp({
      sql,
      config,
      clock: () => new Date(),
      fraudRules: createFraudRules(config.fraud),
      log: createLogger("info"),
    });
    const send = (path: string, init: RequestInit) => Promise.resolve(app.request(path, init));
    await fn({ app, sql, customers: await createCustomers(send, options.customers) });
  } finally {
    await sql.end();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

/**
 * Sends `count` requests, `concurrency` at a time: transfers of 0.01 between random customers'
 * accounts, or (`reads`) the mixed scenario's reads, an account and a page of its ledger in turn.
 */
export async function drive(
  app: App,
  customers: Customer[],
  options: {
    count: number;
    concurrency: number;
    reads?: boolean;
    answers?: Answers;
  },
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < options.count) {
      next++;
      const response = options.reads
        ? await read(app, pick(customers), next)
        : await transfer(app, customers);
      const answer = await response.json() as { code?: string };
      const label = response.status < 300
        ? String(response.status)
        : `${response.status} ${answer.code ?? ""}`;
      if (options.answers) options.answers[label] = (options.answers[label] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
}

function transfer(app: App, customers: Customer[]): Promise<Response> {
  const from = pick(customers);
  let to = from;
  while (to === from) to = pick(customers);
  return Promise.resolve(app.request("/transactions/transfer", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${from.token}` },
    body: JSON.stringify({
      from_account_id: pick(from.accountIds),
      to_account_id: pick(to.accountIds),
      amount: "0.01",
    }),
  }));
}

function read(app: App, customer: Customer, n: number): Promise<Response> {
  const id = pick(customer.accountIds);
  const path = n % 2 ? `/accounts/${id}` : `/transactions?account_id=${id}&limit=20`;
  return Promise.resolve(
    app.request(path, { headers: { authorization: `Bearer ${customer.token}` } }),
  );
}
