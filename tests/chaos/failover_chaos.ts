/**
 * Failover: the app on a DATABASE_URL naming a primary and its synchronous standby. Mid-load the
 * primary is stopped at once (no shutdown checkpoint, as a crash), the standby promoted, and the
 * load goes on. Afterwards every movement answered 2xx is in the new primary's ledger, money is
 * conserved, every balance equals its ledger, the only 5xx was 503 and only while no primary
 * answered, and the app served 2xx again by itself within 10 s of the promotion.
 * Beside the promotion the test times the new primary's first commit of a write of its own (the
 * database's readiness, a slow disk's included), so a slow recovery says whose it was.
 * Runs beside `.ci/with_replica` (`deno task test:failover`), which provides the clusters. A
 * failure prints the server's warnings; FAILOVER_SERVER_LOG=<file> keeps its whole log.
 */
import assert from "node:assert/strict";
import type { Sql } from "../../db/client.ts";
import { IDEMPOTENCY_CLAIM_SECONDS } from "../../db/idempotency.ts";
import { migrate } from "../../db/migrate.ts";
import {
  assertBankInvariants,
  driveTransfers,
  fundedCustomers,
  harnessConnection,
  serverEnv,
  type ServerProcess,
  settleOpenTransfers,
  sleep,
  startServer,
} from "./support.ts";

const CUSTOMERS = 10;
const WORKERS = 12;
/** Movements acknowledged before the primary is stopped, so it dies with work in flight. */
const ACKNOWLEDGED_BEFORE_KILL = 150;
/** 2xx answers after recovery before the load stops: the new primary carries real load. */
const ACKNOWLEDGED_AFTER_RECOVERY = 150;
const RECOVERY_MS_MAX = 10_000;
/** Bounds, not pauses: the whole load, and the settling of movements still open at its end. */
const LOAD_MS_MAX = 60_000;
/**
 * A movement still open when the load stops is answered once its key is free: at once, or, when
 * the failover swallowed its request's release of the key, once the claim lapses (a request
 * timeout after it was made); then a few retries' worth.
 */
const SETTLE_MS_MAX = IDEMPOTENCY_CLAIM_SECONDS * 1000 + 10_000;
const WAIT_POLL_MS = 20;

const cluster = {
  pgCtl: Deno.env.get("FAILOVER_PG_CTL") ?? "",
  primaryData: Deno.env.get("FAILOVER_PRIMARY_DATA") ?? "",
  standbyData: Deno.env.get("FAILOVER_STANDBY_DATA") ?? "",
  primaryUrl: Deno.env.get("FAILOVER_PRIMARY_URL") ?? "",
  standbyUrl: Deno.env.get("FAILOVER_STANDBY_URL") ?? "",
  bothUrl: Deno.env.get("DATABASE_URL") ?? "",
};

Deno.test({
  name:
    "a primary killed mid-load and its synchronous standby promoted lose no acknowledged movement",
  // Needs the clusters .ci/with_replica makes (deno task test:failover): nothing to fail over else.
  ignore: !cluster.pgCtl,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const name = `bank_failover_${crypto.randomUUID().slice(0, 8)}`;
    await createMigratedDatabase(name);
    const url = withDatabase(cluster.bothUrl, name);
    const server: ServerProcess = await startServer(serverEnv(url, freePort()));
    let sql: Sql | undefined;
    try {
      const customers = await fundedCustomers(server.baseUrl, CUSTOMERS, "500.00");
      const timeline = new Timeline();
      const load = driveTransfers({
        baseUrls: () => [server.baseUrl],
        customers,
        workers: WORKERS,
        durationMs: LOAD_MS_MAX,
        onAnswer: (label) => timeline.answer(label),
        stopWhen: () => timeline.acknowledgedSinceRecovery() >= ACKNOWLEDGED_AFTER_RECOVERY,
      });
      await until(() => timeline.acknowledged >= ACKNOWLEDGED_BEFORE_KILL, "load before the kill");
      timeline.killedAt = performance.now();
      await pgCtl("-D", cluster.primaryData, "-m", "immediate", "-w", "stop");
      // No primary until the app has said so (a 503 once its movement budget ran out): what a
      // failover manager's detection delay looks like to clients, and the 503s the test checks.
      await until(() => timeline.first503 !== undefined, "a 503 while no primary exists");
      await pgCtl("-D", cluster.standbyData, "-w", "-t", "30", "promote");
      timeline.promotedAt = performance.now();
      timeline.writableAt = await firstCommit(withDatabase(cluster.standbyUrl, name));
      const report = await load;
      const open = await settleOpenTransfers(report, () => [server.baseUrl], SETTLE_MS_MAX);
      console.log("failover load", JSON.stringify(report.answers), timeline.summary());

      assert.ok(timeline.recoveredAt !== undefined, "the app served 2xx again after the promotion");
      const recoveryMs = timeline.recoveredAt - timeline.promotedAt;
      console.log(`recovered ${Math.round(recoveryMs)} ms after the promotion`);
      assert.ok(
        recoveryMs <= RECOVERY_MS_MAX,
        `recovered within 10 s (${Math.round(recoveryMs)} ms; ${timeline.summary()})`,
      );
      assert.deepEqual(
        open.map((attempt) => `${attempt.kind} ${attempt.key}: last ${attempt.lastAnswer}`),
        [],
        "every movement got an answer",
      );
      assert.deepEqual(
        Object.keys(report.answers).filter((label) => label.startsWith("5") && label !== "503"),
        [],
        "no 5xx but 503",
      );
      assert.deepEqual(timeline.misplaced503s(), [], "503 only between the kill and the recovery");
      assert.equal(report.hangs, 0, "no request went unanswered");
      assert.equal(report.malformed503s, 0, "every 503 is problem+json");

      sql = harnessConnection(url);
      const [{ port }] = await sql<{ port: number }[]>`SELECT inet_server_port() AS port`;
      assert.equal(String(port), new URL(cluster.standbyUrl).port, "the standby is the primary");
      await assertBankInvariants(sql, report.attempts);
    } catch (error) {
      console.log(`The server's warnings and errors:\n${serverWarnings(server.lines)}`);
      throw error;
    } finally {
      await server.kill("SIGTERM");
      const logPath = Deno.env.get("FAILOVER_SERVER_LOG");
      if (logPath) await Deno.writeTextFile(logPath, server.lines.join("\n"));
      await sql?.end();
    }
  },
});

/** When the answers came, relative to the kill, the promotion and the new primary's first commit. */
class Timeline {
  acknowledged = 0;
  killedAt?: number;
  promotedAt = Infinity;
  writableAt = Infinity;
  recoveredAt?: number;
  first503?: number;
  #acknowledgedAfterRecovery = 0;
  #answered503At: number[] = [];

  answer(label: string) {
    const now = performance.now();
    if (label.startsWith("2")) {
      this.acknowledged++;
      if (now > this.promotedAt) {
        this.recoveredAt ??= now;
        this.#acknowledgedAfterRecovery++;
      }
    }
    if (label !== "503") return;
    this.first503 ??= now;
    this.#answered503At.push(now);
  }

  acknowledgedSinceRecovery(): number {
    return this.#acknowledgedAfterRecovery;
  }

  /** 503s before the kill or later than RECOVERY_MS_MAX after the promotion (ms after kill). */
  misplaced503s(): number[] {
    const killedAt = this.killedAt ?? Infinity;
    return this.#answered503At
      .filter((at) => at < killedAt || at > this.promotedAt + RECOVERY_MS_MAX)
      .map((at) => Math.round(at - (this.killedAt ?? at)));
  }

  summary(): string {
    const since = (at?: number) =>
      at === undefined || !Number.isFinite(at) ? "-" : `${Math.round(at - this.killedAt!)}ms`;
    return `kill→promoted ${since(this.promotedAt)}, kill→first commit ${
      since(this.writableAt)
    }, ` +
      `kill→first 503 ${since(this.first503)}, kill→last 503 ${
        since(this.#answered503At.at(-1))
      }, ` +
      `kill→first 2xx after promotion ${since(this.recoveredAt)}`;
  }
}

/**
 * When the promoted standby first commits a write (a transaction id's commit, flushed to WAL)
 * on a connection of the harness's own, retried until it does: the moment the app could too.
 */
async function firstCommit(url: string): Promise<number> {
  const deadline = performance.now() + LOAD_MS_MAX;
  const probe = harnessConnection(url, 1);
  try {
    for (;;) {
      try {
        await probe.begin((tx) => tx`SELECT txid_current()`);
        return performance.now();
      } catch (error) {
        if (performance.now() > deadline) throw error;
        await sleep(WAIT_POLL_MS);
      }
    }
  } finally {
    await probe.end();
  }
}

const SERVER_WARNINGS_SHOWN_MAX = 80;

// The server's log lines above info (its 503s' reasons, a failed key release), the latest last.
function serverWarnings(lines: string[]): string {
  const warnings = lines.filter((line) => !line.includes('"level":"info"'));
  return warnings.slice(-SERVER_WARNINGS_SHOWN_MAX).join("\n");
}

async function createMigratedDatabase(name: string): Promise<void> {
  const admin = harnessConnection(cluster.primaryUrl, 1);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const sql = harnessConnection(withDatabase(cluster.primaryUrl, name), 1);
  await migrate(sql);
  await sql.end();
}

// The URL's database swapped for `name` (by text: a URL naming several hosts is no WHATWG URL).
function withDatabase(url: string, name: string): string {
  return url.replace(/^([^/]*\/\/[^/]*)\/[^?]*/, `$1/${name}`);
}

async function pgCtl(...args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command(cluster.pgCtl, { args, stdout: "null" })
    .output();
  assert.equal(code, 0, `pg_ctl ${args.join(" ")}: ${new TextDecoder().decode(stderr)}`);
}

// A port no one listens on now (this box is shared: a fixed one may be another run's).
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

// Waits for a condition the load makes true, bounded so a stalled load fails instead of hanging.
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + LOAD_MS_MAX;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(WAIT_POLL_MS);
  }
}
