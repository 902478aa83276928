/**
 * `deno task bench`: the API's transfers beside pgbench's TPC-B-like bank transaction, on the same
 * PostgreSQL in the same run. Starts the server on a database of its own, funds many accounts,
 * drives POST /transactions/transfer with autocannon at each connection count, then a hot-account
 * and a mixed read/write scenario, and optionally a longer run sampling the server's memory; then
 * pgbench at the same counts twice: its TPC-B-like script, and the bank's own transfer SQL
 * (bench/transfer_shape.sql) on the API's database, the ceiling of this transaction shape. Writes bench/results.json, bench/chart.svg and the results
 * section of BENCHMARKS.md.
 *
 * Flags: --seconds=10 (per level) --levels=1,8,32,128 --memory-seconds=0 (≤300; 0 skips)
 *        --pool=4 --pgbench-scale=10 --port=8450 --no-write --no-pgbench (for quick A/B runs)
 */
import autocannon from "autocannon";
import postgres from "postgres";
import { renderChart } from "./chart.ts";
import { renderResults } from "./report.ts";
import { BENCH_ENV } from "./settings.ts";

const REPO_ROOT = new URL("../", import.meta.url).pathname;
const MEMORY_SECONDS_MAX = 300;
const USERS = 256;
const ACCOUNTS_PER_USER = 4;
const MEMORY_SAMPLE_MS = 5_000;

/** One measured load level. */
export interface Measured {
  scenario: string;
  connections: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  serverErrors: number;
  serializationRetries: number;
  /** Transfers per committed group (db/transfers.ts): how much committing together took place. */
  transfersPerGroup: number;
  /** CPU the server process spent per request (user + system). */
  serverCpuMsPerRequest: number;
}

/** One pgbench level. */
export interface PgbenchLevel {
  connections: number;
  clients: number;
  tps: number;
  latencyMs: number;
  /** Share of transactions pgbench retried after a serialization failure (bank shape only). */
  retriedPct?: number;
}

/** Everything one run measured. */
export interface BenchResults {
  startedAt: string;
  machine: string;
  command: string;
  settings: Record<string, string | number>;
  uniform: Measured[];
  pgbench: PgbenchLevel[];
  /** pgbench running bench/transfer_shape.sql: the bank's transfer without the app. */
  bankShape?: PgbenchLevel[];
  hot: Measured;
  mixed: Measured;
  memory?: { seconds: number; samplesKib: number[] };
}

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

// ---------------------------------------------------------------------------- the server

interface Server {
  pid: number;
  lines: string[];
  stop(): Promise<void>;
}

async function startServer(): Promise<Server> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: REPO_ROOT,
    env: {
      ...BENCH_ENV,
      DATABASE_URL: databaseUrl(apiDatabase),
      DATABASE_POOL_MAX: String(poolMax),
      PORT: String(port),
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    (async () => {
      let rest = "";
      for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
        const parts = (rest + chunk).split("\n");
        rest = parts.pop() ?? "";
        for (const line of parts) {
          if (line.includes('"stats"') || lines.length < 1000) lines.push(line);
        }
      }
    })();
  }
  for (let attempt = 0; attempt < 150; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      await response.body?.cancel();
      if (response.ok) break;
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    pid: child.pid,
    lines,
    stop: async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        console.error(lines.slice(-10).join("\n"));
      }
      await child.status;
    },
  };
}

/** The server's own counters, from the `stats` line it logs on SIGUSR1 (main.ts). */
interface ServerStats {
  serializationRetries: number;
  groupsCommitted: number;
  transfersCommittedInGroups: number;
}

async function serverStats(server: Server): Promise<ServerStats> {
  const before = server.lines.length;
  Deno.kill(server.pid, "SIGUSR1");
  for (let attempt = 0; attempt < 50 && server.lines.length === before; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const line = server.lines.slice(before).find((text) => text.includes('"stats"'));
  const stats = line ? JSON.parse(line) : {};
  return {
    serializationRetries: Number(stats.serializationRetries ?? NaN),
    groupsCommitted: Number(stats.groupsCommitted ?? NaN),
    transfersCommittedInGroups: Number(stats.transfersCommittedInGroups ?? NaN),
  };
}

// User + system CPU time of a process, in milliseconds (clock ticks are 1/100 s on Linux).
function cpuMs(pid: number): number {
  const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssKib(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

// ---------------------------------------------------------------------------- the bank's customers

interface Customer {
  token: string;
  accountIds: string[];
}

async function api(method: string, path: string, body: unknown, token?: string) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  }
  return json;
}

async function createCustomers(): Promise<Customer[]> {
  const make = async (index: number): Promise<Customer> => {
    const email = `bench-${index}-${crypto.randomUUID()}@example.test`;
    const password = "bench password 123";
    await api("POST", "/auth/register", { name: `Bench ${index}`, email, password });
    const { access_token: token } = await api("POST", "/auth/login", { email, password });
    const accountIds: string[] = [];
    for (let i = 0; i < ACCOUNTS_PER_USER; i++) {
      const account = await api("POST", "/accounts", { currency: "ZAR" }, token);
      await api("POST", `/accounts/${account.id}/deposit`, { amount: "1000000.00" }, token);
      accountIds.push(account.id);
    }
    return { token, accountIds };
  };
  const customers: Customer[] = [];
  for (let start = 0; start < USERS; start += 8) {
    const batch = Array.from({ length: Math.min(8, USERS - start) }, (_, i) => make(start + i));
    customers.push(...await Promise.all(batch));
  }
  return customers;
}

// ---------------------------------------------------------------------------- load

type Pick = () => { token: string; from: string; to: string };

function uniformPick(customers: Customer[]): Pick {
  const all = customers.flatMap((c) => c.accountIds);
  return () => {
    const customer = customers[Math.floor(Math.random() * customers.length)];
    const from = customer.accountIds[Math.floor(Math.random() * customer.accountIds.length)];
    let to = from;
    while (to === from) to = all[Math.floor(Math.random() * all.length)];
    return { token: customer.token, from, to };
  };
}

function hotPick(customers: Customer[]): Pick {
  const hot = customers[0];
  const others = customers.slice(1).flatMap((c) => c.accountIds);
  return () => ({
    token: hot.token,
    from: hot.accountIds[0],
    to: others[Math.floor(Math.random() * others.length)],
  });
}

function transferRequest(pick: Pick) {
  return {
    method: "POST" as const,
    path: "/transactions/transfer",
    setupRequest: (request: Record<string, unknown>) => {
      const { token, from, to } = pick();
      return {
        ...request,
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ from_account_id: from, to_account_id: to, amount: "0.01" }),
      };
    },
  };
}

function readRequests(customers: Customer[]) {
  const pickOwn = () => {
    const customer = customers[Math.floor(Math.random() * customers.length)];
    return { customer, id: customer.accountIds[Math.floor(Math.random() * 4)] };
  };
  return [
    {
      method: "GET" as const,
      setupRequest: (request: Record<string, unknown>) => {
        const { customer, id } = pickOwn();
        return {
          ...request,
          path: `/accounts/${id}`,
          headers: { authorization: `Bearer ${customer.token}` },
        };
      },
    },
    {
      method: "GET" as const,
      setupRequest: (request: Record<string, unknown>) => {
        const { customer, id } = pickOwn();
        return {
          ...request,
          path: `/transactions?account_id=${id}&limit=20`,
          headers: { authorization: `Bearer ${customer.token}` },
        };
      },
    },
  ];
}

async function drive(
  server: Server,
  scenario: string,
  connections: number,
  requests: unknown[],
  durationSeconds = seconds,
): Promise<Measured> {
  const before = await serverStats(server);
  const cpuBefore = cpuMs(server.pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: durationSeconds,
    requests,
    timeout: 30,
  } as autocannon.Options);
  const after = await serverStats(server);
  const retries = after.serializationRetries - before.serializationRetries;
  const groups = after.groupsCommitted - before.groupsCommitted;
  const transfersPerGroup = groups === 0
    ? 0
    : (after.transfersCommittedInGroups - before.transfersCommittedInGroups) / groups;
  const serverCpuMsPerRequest = (cpuMs(server.pid) - cpuBefore) /
    Math.max(1, result.requests.total);
  const codes = (result as unknown as { statusCodeStats?: Record<string, { count: number }> })
    .statusCodeStats ?? {};
  const serverErrors = Object.entries(codes)
    .filter(([code]) => code.startsWith("5"))
    .reduce((sum, [, stat]) => sum + stat.count, 0);
  const measured: Measured = {
    scenario,
    connections,
    perSecond: Math.round(result.requests.total / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    serverErrors: serverErrors + result.errors + result.timeouts,
    serializationRetries: retries,
    transfersPerGroup: Math.round(transfersPerGroup * 10) / 10,
    serverCpuMsPerRequest: Math.round(serverCpuMsPerRequest * 100) / 100,
  };
  console.log(
    `${scenario.padEnd(8)} c=${String(connections).padStart(3)}  ${
      String(measured.perSecond).padStart(5)
    }/s  p50 ${measured.p50Ms} ms  p99 ${measured.p99Ms} ms  non2xx ${measured.non2xx}  5xx/errors ${measured.serverErrors}  retries ${retries}  per group ${measured.transfersPerGroup}  server CPU ${measured.serverCpuMsPerRequest} ms/req`,
  );
  return measured;
}

// ---------------------------------------------------------------------------- pgbench

async function pgbenchBinary(): Promise<string> {
  const versions: string[] = [];
  for await (const entry of Deno.readDir("/usr/lib/postgresql")) versions.push(entry.name);
  versions.sort((a, b) => Number(a) - Number(b));
  return `/usr/lib/postgresql/${versions.at(-1)}/bin/pgbench`;
}

async function pgbench(binary: string, args: string[]): Promise<string> {
  const { hostname: host, port: pgPort, username } = new URL(adminUrl);
  const output = await new Deno.Command(binary, {
    args: ["-h", host, "-p", pgPort || "5432", "-U", username || "postgres", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  if (!output.success) throw new Error(`pgbench failed:\n${text}`);
  return text;
}

// PostgreSQL's max_connections bounds pgbench (one backend per client), and this server is
// shared: a level above what is free runs with the clients that are, and says so.
async function freeConnections(): Promise<number> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const [row] = await admin<{ free: number }[]>`
    SELECT current_setting('max_connections')::int
         - current_setting('superuser_reserved_connections')::int
         - (SELECT count(*) FROM pg_stat_activity)::int AS free`;
  await admin.end();
  return row.free;
}

async function runPgbench(
  connections: number,
  binary: string,
  script?: { file: string; database: string; variables: Record<string, number> },
): Promise<PgbenchLevel> {
  const clients = Math.min(connections, (await freeConnections()) - 5);
  const scriptArgs = script
    ? [
      "-n",
      // As the app does: a serialization failure is retried, up to its attempt limit.
      "--max-tries=12",
      ...Object.entries(script.variables).map(([name, value]) => `-D${name}=${value}`),
      "-f",
      script.file,
    ]
    : [];
  const text = await pgbench(binary, [
    "-M",
    "prepared",
    ...scriptArgs,
    "-c",
    String(clients),
    "-j",
    String(Math.min(2, clients)),
    "-T",
    String(seconds),
    script?.database ?? pgbenchDatabase,
  ]);
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(text)?.[1]);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(text)?.[1]);
  const retried = /number of transactions retried: \d+ \(([\d.]+)%\)/.exec(text)?.[1];
  const label = script ? "bank SQL" : "pgbench ";
  console.log(
    `${label} c=${String(connections).padStart(3)}  ${Math.round(tps)} tps  avg ${latencyMs} ms` +
      (retried ? `  retried ${retried}%` : "") +
      (clients < connections ? `  (ran with ${clients} clients: max_connections)` : ""),
  );
  return {
    connections,
    clients,
    tps: Math.round(tps),
    latencyMs,
    ...(retried ? { retriedPct: Number(retried) } : {}),
  };
}

// The bank's transfer SQL without the app, on the API's database as the run left it.
async function runBankShape(binary: string): Promise<PgbenchLevel[]> {
  const bank = postgres(databaseUrl(apiDatabase), { max: 1, onnotice: () => {} });
  await bank.unsafe(`
    DROP TABLE IF EXISTS bench_accounts;
    CREATE TABLE bench_accounts AS
      SELECT row_number() OVER (ORDER BY id)::int AS n, id, user_id FROM accounts;
    CREATE UNIQUE INDEX ON bench_accounts (n);`);
  const [{ accounts }] = await bank<{ accounts: number }[]>`
    SELECT count(*)::int AS accounts FROM bench_accounts`;
  await bank.end();
  const script = {
    file: `${REPO_ROOT}bench/transfer_shape.sql`,
    database: apiDatabase,
    variables: { accounts },
  };
  const levelsRun: PgbenchLevel[] = [];
  for (const connections of levels) {
    levelsRun.push(await runPgbench(connections, binary, script));
  }
  return levelsRun;
}

// ---------------------------------------------------------------------------- the run

async function machine(): Promise<string> {
  const cpu = /model name\s*:\s*(.+)/.exec(Deno.readTextFileSync("/proc/cpuinfo"))?.[1] ?? "?";
  const memKib = Number(/MemTotal:\s+(\d+)/.exec(Deno.readTextFileSync("/proc/meminfo"))?.[1]);
  const version = await new Deno.Command(await pgbenchBinary(), { args: ["-V"] }).output();
  const pg = new TextDecoder().decode(version.stdout).trim();
  return `${navigator.hardwareConcurrency} CPUs (${cpu}), ${
    Math.round(memKib / 1024 / 1024)
  } GiB RAM, ` +
    `Deno ${Deno.version.deno}, ${
      pg.replace("pgbench (PostgreSQL) ", "PostgreSQL ")
    }; load generator on the same machine`;
}

async function main() {
  const startedAt = new Date().toISOString();
  await recreateDatabase(apiDatabase);
  await recreateDatabase(pgbenchDatabase);
  const machineText = await machine();
  const server = await startServer();
  const results: Partial<BenchResults> = {
    startedAt,
    machine: machineText,
    command: `deno task bench ${Deno.args.join(" ")}`.trim(),
    settings: {
      seconds_per_level: seconds,
      users: USERS,
      accounts: USERS * ACCOUNTS_PER_USER,
      database_pool_max: poolMax,
      pgbench_scale: pgbenchScale,
    },
  };
  try {
    console.log(`Setting up ${USERS} customers with ${USERS * ACCOUNTS_PER_USER} funded accounts…`);
    const customers = await createCustomers();
    const uniform = [transferRequest(uniformPick(customers))];
    await drive(server, "warmup", 8, uniform, 3);
    results.uniform = [];
    for (const connections of levels) {
      results.uniform.push(await drive(server, "uniform", connections, uniform));
    }
    results.hot = await drive(server, "hot", 32, [transferRequest(hotPick(customers))]);
    results.mixed = await drive(server, "mixed", 32, [
      ...readRequests(customers),
      ...readRequests(customers),
      transferRequest(uniformPick(customers)),
    ]);
    if (memorySeconds > 0) {
      const samplesKib = [rssKib(server.pid)];
      const timer = setInterval(() => samplesKib.push(rssKib(server.pid)), MEMORY_SAMPLE_MS);
      await drive(server, "memory", 32, uniform, memorySeconds);
      clearInterval(timer);
      samplesKib.push(rssKib(server.pid));
      results.memory = { seconds: memorySeconds, samplesKib };
      console.log(`memory   RSS ${samplesKib.map((kib) => Math.round(kib / 1024)).join(" ")} MiB`);
    }
  } finally {
    await server.stop();
  }
  if (Deno.args.includes("--no-pgbench")) return;
  const binary = await pgbenchBinary();
  console.log(`pgbench -i -s ${pgbenchScale} ${pgbenchDatabase}…`);
  await pgbench(binary, ["-i", "-q", "-s", String(pgbenchScale), pgbenchDatabase]);
  results.pgbench = [];
  for (const connections of levels) results.pgbench.push(await runPgbench(connections, binary));
  results.bankShape = await runBankShape(binary);

  const complete = results as BenchResults;
  console.log("\nconnections  API transfers/s  pgbench TPS  ratio  bank SQL TPS  bank SQL ratio");
  for (const row of complete.uniform) {
    const tps = complete.pgbench.find((p) => p.connections === row.connections)!.tps;
    const shape = complete.bankShape?.find((p) => p.connections === row.connections)?.tps ?? NaN;
    console.log(
      `${String(row.connections).padStart(11)}  ${String(row.perSecond).padStart(15)}  ${
        String(tps).padStart(11)
      }  ${(row.perSecond / tps).toFixed(2).padStart(5)}  ${String(shape).padStart(12)}  ${
        (shape / tps).toFixed(2).padStart(14)
      }`,
    );
  }
  if (!Deno.args.includes("--no-write")) {
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
    })
      .output();
    console.log("\nWrote bench/results.json, bench/chart.svg and BENCHMARKS.md");
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${pgbenchDatabase} WITH (FORCE)`);
  await admin.end();
}

await main();
