/**
 * Where a transfer's CPU goes in the app: transfers through `app.request()` (no HTTP parsing) on
 * PostgreSQL at DATABASE_URL, under V8's sampling profiler (node:inspector). Prints the CPU spent
 * per transfer and the self time by package and by function.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres deno task bench:profile [--transfers=N]
 */
import inspector from "node:inspector";
import process from "node:process";
import { parseArgs } from "node:util";
import { createApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import { connectDatabase } from "../db/client.ts";
import { migrate } from "../db/migrate.ts";
import { createFraudRules } from "../domain/fraud/mod.ts";
import { createLogger } from "../routes/logger.ts";
import { BENCH_ENV } from "./settings.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    transfers: { type: "string", default: "3000" },
    concurrency: { type: "string", default: "8" },
    top: { type: "string", default: "30" },
  },
});
// What the transfers were answered: refusals (velocity, same account) take a cheaper path.
const answers: Record<string, number> = {};

const ACCOUNTS_PER_CUSTOMER = 4;
const TRANSFERS = Number(flags.transfers);
const CONCURRENCY = Number(flags.concurrency);

const baseUrl = Deno.env.get("DATABASE_URL");
if (!baseUrl) {
  throw new Error("bench/profile.ts needs DATABASE_URL (a PostgreSQL it may add a database to)");
}
const name = `bank_profile_${Date.now()}`;
const admin = connectDatabase(baseUrl, { max: 1 });
await admin.unsafe(`CREATE DATABASE ${name}`);
const url = new URL(baseUrl);
url.pathname = `/${name}`;
const sql = connectDatabase(url.toString(), { max: 4 });

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
  // As many accounts as the bench (64 × 4), so few transfers meet the velocity limit (5 per 1 s).
  const customers = await setUp(app, 64);
  await drive(app, customers, 500); // warm-up: JIT, prepared statements, pool
  for (const label of Object.keys(answers)) delete answers[label];
  const session = new inspector.Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) =>
      session.post(
        method,
        params ?? {},
        (error, result) => error ? reject(error) : resolve(result as T),
      )
    );
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 100 });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await post("Profiler.start");
  await drive(app, customers, TRANSFERS);
  const { profile } = await post<{ profile: Profile }>("Profiler.stop");
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    `${TRANSFERS} transfers, ${CONCURRENCY} at a time: ${
      (TRANSFERS / (elapsedMs / 1000)).toFixed(0)
    }/s, ` +
      `app CPU ${(cpuMs / TRANSFERS).toFixed(3)} ms per transfer (user ${
        (cpu.user / 1000 / TRANSFERS).toFixed(3)
      }, system ${(cpu.system / 1000 / TRANSFERS).toFixed(3)})`,
  );
  console.log(`answers: ${JSON.stringify(answers)}`);
  report(profile, TRANSFERS, Number(flags.top));
} finally {
  await sql.end();
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

interface Customer {
  token: string;
  accounts: string[];
}

type App = ReturnType<typeof createApp>;

async function json(app: App, method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await app.request(path, { method, headers, body: JSON.stringify(body) });
  const answer = await response.json();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status}`);
  return answer;
}

async function setUp(app: App, count: number): Promise<Customer[]> {
  const customers: Customer[] = [];
  for (let i = 0; i < count; i++) {
    const email = `profile-${i}-${crypto.randomUUID()}@example.test`;
    const password = "profile password 1";
    await json(app, "POST", "/auth/register", { name: `P ${i}`, email, password });
    const { access_token: token } = await json(app, "POST", "/auth/login", { email, password });
    const accounts: string[] = [];
    for (let a = 0; a < ACCOUNTS_PER_CUSTOMER; a++) {
      const { id } = await json(app, "POST", "/accounts", { currency: "ZAR" }, token);
      await json(app, "POST", `/accounts/${id}/deposit`, { amount: "1000000.00" }, token);
      accounts.push(id);
    }
    customers.push({ token, accounts });
  }
  return customers;
}

async function drive(app: App, customers: Customer[], transfers: number) {
  let next = 0;
  const worker = async () => {
    while (next < transfers) {
      next++;
      const from = customers[Math.floor(Math.random() * customers.length)];
      let to = from;
      while (to === from) to = customers[Math.floor(Math.random() * customers.length)];
      const response = await app.request("/transactions/transfer", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${from.token}` },
        body: JSON.stringify({
          from_account_id: from.accounts[Math.floor(Math.random() * ACCOUNTS_PER_CUSTOMER)],
          to_account_id: to.accounts[Math.floor(Math.random() * ACCOUNTS_PER_CUSTOMER)],
          amount: "0.01",
        }),
      });
      const answer = await response.json() as { code?: string };
      const label = response.status === 201 ? "201" : `${response.status} ${answer.code ?? ""}`;
      answers[label] = (answers[label] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

// Self time per node from the samples, then summed by package and by function.
function report(profile: Profile, transfers: number, top: number) {
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  });
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const micros = selfMicros.get(node.id) ?? 0;
    if (!micros) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = packageOf(url, functionName);
    byPackage.set(where, (byPackage.get(where) ?? 0) + micros);
    const key = `${functionName || "(anonymous)"} ${shortUrl(url)}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  }
  const print = (title: string, map: Map<string, number>, limit: number) => {
    console.log(`\n${title} (µs per transfer)`);
    for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
      console.log(`${(micros / transfers).toFixed(1).padStart(8)}  ${key}`);
    }
  };
  print("self time by package", byPackage, 40);
  print("self time by function", byFunction, top);
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const npm = /node_modules\/\.deno\/([^/]+)\//.exec(url);
  if (npm) return npm[1].replace(/@[^@]+$/, "");
  if (url.startsWith("ext:") || url.startsWith("node:")) {
    return url.split("/")[0] + "/" + url.split("/")[1];
  }
  const local = /\/work\/[^/]+\/(.+?)\/[^/]+$/.exec(url) ??
    /file:\/\/.*?\/(routes|domain|db|views)\//.exec(url);
  return local ? `app:${local[1]}` : shortUrl(url);
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\/.*?node_modules\/\.deno\//, "").replace(
    /^file:\/\/.*?\/(?=(routes|domain|db|views|app\.ts))/,
    "",
  );
}
