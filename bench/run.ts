/**
 * `deno task bench`: the API's transfers beside pgbench's TPC-B-like bank transaction, on the same
 * PostgreSQL in the same run. Starts the server on a database of its own, funds many accounts,
 * drives POST /transactions/transfer with autocannon at each connection count, then a hot-account
 * scenario, a mixed read/write one and a workload of every movement kind (bench/movements.ts), and
 * optionally a longer run sampling the server's memory; then the hot account once more on a
 * server started with the velocity rule off; then pgbench at the same counts twice: its TPC-B-like
 * script, and the bank's own transfer SQL (bench/transfer_shape.sql) on the API's database, the
 * ceiling of this transaction shape. Writes bench/results.json, bench/chart.svg and the results
 * section of BENCHMARKS.md.
 *
 * Flags: --seconds=10 (per level) --levels=1,8,32,128 --memory-seconds=0 (≤300; 0 skips)
 *        --pool=4 --pgbench-scale=10 --port=8450 --no-write --no-pgbench (for quick A/B runs)
 */
import postgres from "postgres";
import { renderChart } from "./chart.ts";
import { ACCOUNTS_PER_USER, createCustomers, type Customer, overHttp, USERS } from "./customers.ts";
import { drive, hotPick, readRequests, transferRequest, uniformPick } from "./load.ts";
import { logKinds, runMovements } from "./movements.ts";
import { pgbench, pgbenchBinary, runBankShape, runPgbench } from "./pgbench.ts";
import { renderResults } from "./report.ts";
import type { BenchResults } from "./results.ts";
import { rssKib, type Server, startServer } from "./server.ts";

const REPO_ROOT = new URL("../", import.meta.url).pathname;
const MEMORY_SECONDS_MAX = 300;
const MEMORY_SAMPLE_MS = 5_000;
/** The connection count of the scenarios (hot, mixed, movements, memory). */
const SCENARIO_CONNECTIONS = 32;

function flag(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return Deno.args.find((arg) => arg.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

const seconds = Number(flag("seconds", "10"));
const levels = flag("levels", "1,8,32,128").split(",").map(Number);
const memorySeconds = Math.min(Number(flag("memory-seconds", "0")), MEMORY_SECONDS_MAX);
const poolMax = Number(flag("pool", "4"));
const pgbenchScale = Number(flag("pgbench-scale", "10"));
const port = Number(flag("port", "8450"));
const adminUrl = Deno.env.get("BENCH_ADMIN_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres";
const apiDatabase = Deno.env.get("BENCH_DATABASE") ?? "bank_bench";
const pgbenchDatabase = Deno.env.get("BENCH_PGBENCH_DATABASE") ?? "bank_bench_pgbench";

function databaseUrl(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function recreateDatabase(name: string) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
}

function server(env?: Record<string, string>): Promise<Server> {
  return startServer({ port, databaseUrl: databaseUrl(apiDatabase), poolMax, env });
}

// ---------------------------------------------------------------------------- the API phases

// Uniform transfers at each level, then the scenarios at 32 connections, on one server.
async function defaultServerPhases(
  running: Server,
  customers: Customer[],
  results: Partial<BenchResults>,
) {
  const uniform = [transferRequest(uniformPick(customers))];
  const at = (scenario: string, connections: number, requests = uniform) => ({
    scenario,
    connections,
    requests,
    seconds,
  });
  await drive(running, { ...at("warmup", 8), seconds: 3 });
  results.uniform = [];
  for (const connections of levels) {
    results.uniform.push(await drive(running, at("uniform", connections)));
  }
  const hot = [transferRequest(hotPick(customers))];
  results.hot = await drive(running, at("hot", SCENARIO_CONNECTIONS, hot));
  results.mixed = await drive(
    running,
    at("mixed", SCENARIO_CONNECTIONS, [
      ...readRequests(customers),
      ...readRequests(customers),
      transferRequest(uniformPick(customers)),
    ]),
  );
  results.movements = await runMovements(running, customers, {
    connections: SCENARIO_CONNECTIONS,
    seconds,
  });
  logKinds(results.movements);
  if (memorySeconds > 0) results.memory = await memoryRun(running, uniform);
}

async function memoryRun(running: Server, requests: ReturnType<typeof transferRequest>[]) {
  const samplesKib = [rssKib(running.pid)];
  const timer = setInterval(() => samplesKib.push(rssKib(running.pid)), MEMORY_SAMPLE_MS);
  await drive(running, {
    scenario: "memory",
    connections: SCENARIO_CONNECTIONS,
    requests,
    seconds: memorySeconds,
  });
  clearInterval(timer);
  samplesKib.push(rssKib(running.pid));
  console.log(`memory    RSS ${samplesKib.map((kib) => Math.round(kib / 1024)).join(" ")} MiB`);
  return { seconds: memorySeconds, samplesKib };
}

// The hot account on a server without the velocity rule: what one account's queue sustains
// when every transfer is approved.
async function velocityOffPhase(customers: Customer[], results: Partial<BenchResults>) {
  const running = await server({ FRAUD_VELOCITY_RULE: "off" });
  try {
    const hot = [transferRequest(hotPick(customers))];
    const load = { connections: SCENARIO_CONNECTIONS, requests: hot, seconds };
    await drive(running, { ...load, scenario: "warmup", seconds: 3 });
    results.hotVelocityOff = await drive(running, { ...load, scenario: "hot-nvel" });
  } finally {
    await running.stop();
  }
}

async function apiPhases(results: Partial<BenchResults>) {
  const running = await server();
  let customers: Customer[];
  try {
    console.log(`Setting up ${USERS} customers with ${USERS * ACCOUNTS_PER_USER} funded accounts…`);
    customers = await createCustomers(overHttp(port));
    await defaultServerPhases(running, customers, results);
  } finally {
    await running.stop();
  }
  await velocityOffPhase(customers, results);
}

// ---------------------------------------------------------------------------- pgbench

async function pgbenchPhases(results: Partial<BenchResults>) {
  const setup = { binary: await pgbenchBinary(), adminUrl, seconds };
  console.log(`pgbench -i -s ${pgbenchScale} ${pgbenchDatabase}…`);
  await pgbench(setup, ["-i", "-q", "-s", String(pgbenchScale), pgbenchDatabase]);
  results.pgbench = [];
  for (const connections of levels) {
    results.pgbench.push(await runPgbench(setup, connections, { database: pgbenchDatabase }));
  }
  results.bankShape = await runBankShape(
    setup,
    { url: databaseUrl(apiDatabase), database: apiDatabase },
    levels,
  );
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${pgbenchDatabase} WITH (FORCE)`);
  await admin.end();
}

// ---------------------------------------------------------------------------- the run

async function machine(): Promise<string> {
  const cpu = /model name\s*:\s*(.+)/.exec(Deno.readTextFileSync("/proc/cpuinfo"))?.[1] ?? "?";
  const memKib = Number(/MemTotal:\s+(\d+)/.exec(Deno.readTextFileSync("/proc/meminfo"))?.[1]);
  const version = await new Deno.Command(await pgbenchBinary(), { args: ["-V"] }).output();
  const pg = new TextDecoder().decode(version.stdout).trim().replace(
    "pgbench (PostgreSQL) ",
    "PostgreSQL ",
  );
  return `${navigator.hardwareConcurrency} CPUs (${cpu}), ${
    Math.round(memKib / 1024 / 1024)
  } GiB RAM, Deno ${Deno.version.deno}, ${pg}; load generator on the same machine`;
}

function printSummary(r: BenchResults) {
  console.log(
    "\nconnections  API answers/s  approved/s  pgbench TPS  ratio all  ratio approved  bank SQL TPS  bank SQL ratio",
  );
  for (const row of r.uniform) {
    const tps = r.pgbench.find((p) => p.connections === row.connections)?.tps ?? NaN;
    const shape = r.bankShape?.find((p) => p.connections === row.connections)?.tps ?? NaN;
    const cells = [
      [row.connections, 11],
      [row.perSecond, 13],
      [row.approvedPerSecond, 10],
      [tps, 11],
      [(row.perSecond / tps).toFixed(2), 9],
      [(row.approvedPerSecond / tps).toFixed(2), 14],
      [shape, 12],
      [(shape / tps).toFixed(2), 14],
    ] as const;
    console.log(cells.map(([value, width]) => String(value).padStart(width)).join("  "));
  }
  const uniform32 = r.uniform.find((m) => m.connections === SCENARIO_CONNECTIONS);
  if (uniform32) {
    console.log(
      `hot account, velocity rule off: ${r.hotVelocityOff.approvedPerSecond} approved/s, ` +
        `${
          Math.round((r.hotVelocityOff.approvedPerSecond / uniform32.approvedPerSecond) * 100)
        }% of uniform's ${uniform32.approvedPerSecond} at ${SCENARIO_CONNECTIONS} (target ≥ 50%)`,
    );
  }
}

async function writeOutputs(complete: BenchResults) {
  await Deno.writeTextFile(
    `${REPO_ROOT}bench/results.json`,
    JSON.stringify(complete, null, 2) + "\n",
  );
  await Deno.writeTextFile(`${REPO_ROOT}bench/chart.svg`, renderChart(complete));
  const path = `${REPO_ROOT}BENCHMARKS.md`;
  const existing = await Deno.readTextFile(path).catch(() => "");
  await Deno.writeTextFile(path, renderResults(existing, complete));
  // The tables are written as data; deno fmt lays them out as the repository keeps them.
  await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", path, `${REPO_ROOT}bench/results.json`],
  }).output();
  console.log("\nWrote bench/results.json, bench/chart.svg and BENCHMARKS.md");
}

async function main() {
  const results: Partial<BenchResults> = {
    startedAt: new Date().toISOString(),
    command: `deno task bench ${Deno.args.join(" ")}`.trim(),
    settings: {
      seconds_per_level: seconds,
      users: USERS,
      accounts: USERS * ACCOUNTS_PER_USER,
      database_pool_max: poolMax,
      pgbench_scale: pgbenchScale,
    },
  };
  await recreateDatabase(apiDatabase);
  await recreateDatabase(pgbenchDatabase);
  results.machine = await machine();
  await apiPhases(results);
  if (Deno.args.includes("--no-pgbench")) return;
  await pgbenchPhases(results);
  const complete = results as BenchResults;
  printSummary(complete);
  if (!Deno.args.includes("--no-write")) await writeOutputs(complete);
}

await main();
