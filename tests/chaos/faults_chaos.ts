/**
 * The bank under faults: the server SIGKILLed mid-load, its PostgreSQL backends terminated
 * mid-load, and PostgreSQL itself restarted once, with the whole mix (transfers, cards, FX,
 * batches, payments and their returns after settlement, standing orders, debit orders and their
 * disputes) and the shared clock advancing. After each, money is conserved, no balance is
 * negative, every balance equals its ledger, the audit is clean, every acknowledged movement is in
 * the database and no retried Idempotency-Key posted twice; the server answered throughout and
 * recovered by itself.
 */
import assert from "node:assert/strict";
import { IDEMPOTENCY_CLAIM_SECONDS } from "../../db/idempotency.ts";
import { assertMixCovered } from "./mix_invariants.ts";
import {
  assertBankInvariants,
  chaosDatabase,
  CLIENT_WAIT_MS_MAX,
  closeTheMix,
  driveTransfers,
  fundedCustomers,
  harnessConnection,
  type LoadReport,
  newMixState,
  serverEnv,
  type ServerProcess,
  settleOpenTransfers,
  sleep,
  startServer,
  type TransferAttempt,
  withPostgresUp,
} from "./support.ts";

const PORT = 8400;
const CUSTOMERS = 12;
const WORKERS = 16;
const LOAD_MS = 8_000;
const RECOVERY_LOAD_MS = 2_000;

Deno.test({
  name: "the bank keeps its invariants through server kills, backend kills and a database restart",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const database = await chaosDatabase();
    const sql = harnessConnection(database.url);
    const env = serverEnv(database.url, PORT);
    const lines: string[] = [];
    let server: ServerProcess = await startServer(env, lines);
    const baseUrls = () => [server.baseUrl];
    const attempts: TransferAttempt[] = [];
    // One mix for every load: a payment sent in one may be returned in a later one.
    const mix = newMixState();
    try {
      const customers = await fundedCustomers(server.baseUrl, CUSTOMERS, "500.00");
      const underLoad = async (fault: () => Promise<void>): Promise<LoadReport> => {
        const load = driveTransfers({
          baseUrls,
          customers,
          workers: WORKERS,
          durationMs: LOAD_MS,
          mix,
        });
        await sleep(LOAD_MS / 4);
        await fault();
        const report = await load;
        console.log("load", JSON.stringify(report.answers));
        attempts.push(...report.attempts);
        assertAnsweredWell(report);
        await withPostgresUp(() => assertBankInvariants(sql, attempts));
        await assertRecovered();
        return report;
      };
      const assertRecovered = async () => {
        const linesBefore = lines.length;
        const report = await driveTransfers({
          baseUrls,
          customers,
          workers: 4,
          durationMs: RECOVERY_LOAD_MS,
          mix,
        });
        attempts.push(...report.attempts);
        console.log("recovery", JSON.stringify(report.answers));
        assert.ok((report.answers["201"] ?? 0) > 0, "transfers succeed again after the fault");
        assert.deepEqual(
          Object.keys(report.answers).filter((label) => label.startsWith("5")),
          [],
          `the server's warnings while recovering:\n${
            lines.slice(linesBefore).filter((line) => /"(warn|error)"/.test(line)).slice(-20)
              .join("\n")
          }`,
        );
      };

      await t.step("SIGKILL of the server mid-load, then a restart", async () => {
        await underLoad(async () => {
          await server.kill("SIGKILL");
          server = await startServer(env, lines);
        });
      });

      await t.step("pg_terminate_backend on the app's connections mid-load", async () => {
        let terminated = 0;
        await underLoad(async () => {
          for (let round = 0; round < 3; round++) {
            const rows = await sql`
              SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE application_name = 'bank-api-sandbox' AND datname = ${database.name}`;
            terminated += rows.length;
            await sleep(700);
          }
        });
        assert.ok(terminated > 0, "some backends were terminated");
      });

      const cluster = await postgresCluster();
      await t.step({
        name: "PostgreSQL restart mid-load (exactly once)",
        ignore: cluster === undefined,
        fn: async () => {
          const health: string[] = [];
          let probing = true;
          const prober = (async () => {
            while (probing) {
              health.push(await probeHealth(server.baseUrl));
              await sleep(200);
            }
          })();
          try {
            await underLoad(() => restartPostgres(cluster!));
          } finally {
            probing = false;
            await prober;
            await ensurePostgresUp(cluster!);
          }
          assert.ok(health.includes("503"), "health answered 503 while the database was away");
          assert.deepEqual(health.filter((label) => label !== "200" && label !== "503"), []);
        },
      });

      await t.step(
        "every open movement settles once its claim lapses, each at most once; the audit is " +
          "clean after the mix's closing round",
        async () => {
          const report = { attempts, answers: {}, hangs: 0, malformed503s: 0 };
          const open = await settleOpenTransfers(
            report,
            baseUrls,
            IDEMPOTENCY_CLAIM_SECONDS * 1000 + 15_000,
            mix,
          );
          assert.deepEqual(open.map((attempt) => attempt.key), []);
          const unanswered = await closeTheMix(report, { baseUrls, customers, mix }, 15_000);
          assert.deepEqual(unanswered.map((attempt) => attempt.key), []);
          assert.deepEqual(
            Object.keys(report.answers).filter((label) => label.startsWith("5") && label !== "503"),
            [],
            "the settling and closing rounds are answered without a 5xx but 503",
          );
          await assertBankInvariants(sql, attempts);
          console.log("mix", JSON.stringify(await assertMixCovered(sql, attempts)));
          assert.ok(
            attempts.filter((attempt) => attempt.tries > 1).length > 0,
            "keys were retried",
          );
        },
      );
      assert.deepEqual(lines.filter((line) => line.includes('"unhandled_error"')), []);
    } finally {
      await server.kill("SIGTERM");
      await sql.end();
      await database.drop();
    }
  },
});

// Every answer was prompt (no hang past the request timeout) and no 5xx but 503 problems.
function assertAnsweredWell(report: LoadReport) {
  assert.equal(report.hangs, 0, `no request waited past ${CLIENT_WAIT_MS_MAX} ms`);
  assert.equal(report.malformed503s, 0, "every 503 is a problem+json");
  const serverErrors = Object.keys(report.answers).filter((label) =>
    label.startsWith("5") && label !== "503"
  );
  assert.deepEqual(serverErrors, [], JSON.stringify(report.answers));
  assert.ok((report.answers["201"] ?? 0) > 0, "transfers went through under load");
}

async function probeHealth(baseUrl: string): Promise<string> {
  try {
    const response = await fetch(`${baseUrl}/health`, {
      signal: AbortSignal.timeout(CLIENT_WAIT_MS_MAX),
    });
    await response.body?.cancel();
    return String(response.status);
  } catch (error) {
    return (error as Error).name === "TimeoutError" ? "hang" : "network";
  }
}

/** The local PostgreSQL cluster's version, when this process may restart it (root + pg_ctlcluster). */
async function postgresCluster(): Promise<string | undefined> {
  if (Deno.uid() !== 0 || Deno.env.get("CHAOS_SKIP_POSTGRES_RESTART")) return undefined;
  try {
    const versions: string[] = [];
    for await (const entry of Deno.readDir("/etc/postgresql")) versions.push(entry.name);
    versions.sort((a, b) => Number(a) - Number(b));
    const version = versions.at(-1);
    if (!version) return undefined;
    return (await run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "status"]))
      ? version
      : undefined;
  } catch {
    return undefined;
  }
}

async function restartPostgres(version: string) {
  const restarted = await run([
    "pg_ctlcluster",
    "--skip-systemctl-redirect",
    version,
    "main",
    "restart",
  ]);
  assert.ok(restarted, "pg_ctlcluster restart succeeded");
}

// Other engineers and CI share this PostgreSQL: whatever happened, it is left running.
async function ensurePostgresUp(version: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"])) return;
    await run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"]);
    await sleep(1_000);
  }
}

async function run(command: string[]): Promise<boolean> {
  const output = await new Deno.Command(command[0], {
    args: command.slice(1),
    stdout: "null",
    stderr: "null",
  }).output();
  return output.success;
}
