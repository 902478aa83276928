/** pgbench beside the API: its TPC-B-like script, and the bank's own transfer SQL. */
import postgres from "postgres";
import type { PgbenchLevel } from "./results.ts";

const REPO_ROOT = new URL("../", import.meta.url).pathname;

/** Where pgbench runs and for how long. */
export interface PgbenchSetup {
  binary: string;
  adminUrl: string;
  seconds: number;
}

/** The newest installed PostgreSQL's pgbench. */
export async function pgbenchBinary(): Promise<string> {
  const versions: string[] = [];
  for await (const entry of Deno.readDir("/usr/lib/postgresql")) versions.push(entry.name);
  versions.sort((a, b) => Number(a) - Number(b));
  return `/usr/lib/postgresql/${versions.at(-1)}/bin/pgbench`;
}

/** Runs pgbench with `args` against the admin URL's server; its output, or a throw. */
export async function pgbench(setup: PgbenchSetup, args: string[]): Promise<string> {
  const { hostname: host, port: pgPort, username } = new URL(setup.adminUrl);
  const output = await new Deno.Command(setup.binary, {
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
async function freeConnections(adminUrl: string): Promise<number> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const [row] = await admin<{ free: number }[]>`
    SELECT current_setting('max_connections')::int
         - current_setting('superuser_reserved_connections')::int
         - (SELECT count(*) FROM pg_stat_activity)::int AS free`;
  await admin.end();
  return row.free;
}

interface Script {
  file: string;
  database: string;
  variables: Record<string, number>;
}

/** One level: TPC-B-like on `database`, or `script` on its own database. */
export async function runPgbench(
  setup: PgbenchSetup,
  connections: number,
  target: { database: string; script?: Script },
): Promise<PgbenchLevel> {
  const clients = Math.min(connections, (await freeConnections(setup.adminUrl)) - 5);
  const { script } = target;
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
  const text = await pgbench(setup, [
    ...["-M", "prepared", ...scriptArgs, "-c", String(clients)],
    ...["-j", String(Math.min(2, clients)), "-T", String(setup.seconds)],
    script?.database ?? target.database,
  ]);
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(text)?.[1]);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(text)?.[1]);
  const retried = /number of transactions retried: \d+ \(([\d.]+)%\)/.exec(text)?.[1];
  console.log(
    `${script ? "bank SQL" : "pgbench "} c=${String(connections).padStart(3)}  ${
      Math.round(tps)
    } tps  avg ${latencyMs} ms` +
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

/**
 * The bank's transfer SQL without the app, on the API's database as the run left it, between
 * the bench customers' ZAR accounts (the bank's own FX accounts and the USD ones left out).
 */
export async function runBankShape(
  setup: PgbenchSetup,
  api: { url: string; database: string },
  levels: number[],
): Promise<PgbenchLevel[]> {
  const bank = postgres(api.url, { max: 1, onnotice: () => {} });
  await bank.unsafe(`
    DROP TABLE IF EXISTS bench_accounts;
    CREATE TABLE bench_accounts AS
      SELECT row_number() OVER (ORDER BY a.id)::int AS n, a.id, a.user_id
      FROM accounts a JOIN users u ON u.id = a.user_id
      WHERE a.currency = 'ZAR' AND u.email LIKE 'bench-%';
    CREATE UNIQUE INDEX ON bench_accounts (n);`);
  const [{ accounts }] = await bank<{ accounts: number }[]>`
    SELECT count(*)::int AS accounts FROM bench_accounts`;
  await bank.end();
  const script = {
    file: `${REPO_ROOT}bench/transfer_shape.sql`,
    database: api.database,
    variables: { accounts },
  };
  const levelsRun: PgbenchLevel[] = [];
  for (const connections of levels) {
    levelsRun.push(await runPgbench(setup, connections, { database: api.database, script }));
  }
  return levelsRun;
}
