/** The generated results section of BENCHMARKS.md; the hand-written notes around it are kept. */
import type { BenchResults, KindMeasured, Measured } from "./results.ts";

const START = "<!-- bench:results:start -->";
const END = "<!-- bench:results:end -->";
const SCENARIO_CONNECTIONS = 32;

/** Replaces the results section of `existing` (or makes the file) with this run's figures. */
export function renderResults(existing: string, results: BenchResults): string {
  const section = `${START}\n${resultsMarkdown(results)}\n${END}`;
  if (existing.includes(START) && existing.includes(END)) {
    return existing.slice(0, existing.indexOf(START)) + section +
      existing.slice(existing.indexOf(END) + END.length);
  }
  return `# Benchmarks\n\n${section}\n`;
}

function resultsMarkdown(r: BenchResults): string {
  const lines = [
    `Run ${r.startedAt} — \`${r.command}\``,
    "",
    `Machine: ${r.machine}.`,
    "",
    `Settings: ${Object.entries(r.settings).map(([k, v]) => `${k}=${v}`).join(", ")}.`,
    "",
    ...uniformTable(r),
    "",
    ...r.pgbench.filter((p) => p.clients < p.connections).map((p) =>
      `pgbench at ${p.connections} ran with ${p.clients} clients: PostgreSQL's max_connections (shared server) allowed no more.`
    ),
    "",
    ...scenarioTable(r),
    "",
    ...kindTable(r.movements.kinds),
  ];
  if (r.memory) {
    const mib = r.memory.samplesKib.map((kib) => Math.round(kib / 1024));
    lines.push(
      "",
      `Server RSS over ${r.memory.seconds} s at 32 connections, sampled every 5 s (MiB): ${
        mib.join(", ")
      }.`,
    );
  }
  lines.push("", "![Throughput and p99 by connections](bench/chart.svg)");
  return lines.join("\n");
}

function uniformTable(r: BenchResults): string[] {
  const tps = (c: number) => r.pgbench.find((p) => p.connections === c)?.tps ?? NaN;
  const shape = (c: number) => r.bankShape?.find((p) => p.connections === c)?.tps ?? NaN;
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  return [
    "| connections | API answers/s | approved/s | refused (422), count (share) | p50 ms | p99 ms | pgbench TPS | API ÷ pgbench, all answers | API ÷ pgbench, approved | 5xx | serialization retries | transfers per group | server CPU ms/transfer | bank SQL in pgbench, TPS | its ratio ÷ pgbench |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...r.uniform.map((m) => {
      const c = m.connections;
      return `| ${c} | ${m.perSecond} | ${m.approvedPerSecond} | ${m.refused} (${
        pct(m.refused, m.requests)
      }) | ${m.p50Ms} | ${m.p99Ms} | ${tps(c)} | ${ratio(m.perSecond, tps(c))} | ${
        ratio(m.approvedPerSecond, tps(c))
      } | ${m.serverErrors} | ${m.serializationRetries} | ${m.transfersPerGroup} | ${m.serverCpuMsPerRequest} | ${
        shape(c)
      } | ${ratio(shape(c), tps(c))} |`;
    }),
    "",
    "Answers/s counts every answered transfer; approved/s only the 201s (both counted exactly, " +
    "from autocannon's per-status counts), refused the 422s (the velocity rule, 5 per second per " +
    "account: a refusal is a recorded movement too). " +
    '"Transfers per group" is how many committed together on average (`db/transfers.ts`). ' +
    "The last two columns run the bank's own transfer SQL, one transfer per transaction " +
    "(`bench/transfer_shape.sql`: lock + fraud facts, then ledger row + both balances + events, " +
    "SERIALIZABLE, retried as the app retries) straight from pgbench on the API's database: the " +
    "most an app that cost nothing could reach without committing transfers together.",
  ];
}

function scenarioTable(r: BenchResults): string[] {
  const row = (m: Measured, name = m.scenario) =>
    `| ${name} | ${m.connections} | ${m.perSecond} | ${m.approvedPerSecond} | ${m.p50Ms} | ${m.p99Ms} | ${m.non2xx} | ${m.serverErrors} | ${m.serializationRetries} | ${m.transfersPerGroup} | ${m.serverCpuMsPerRequest} |`;
  const uniform32 = r.uniform.find((m) => m.connections === SCENARIO_CONNECTIONS);
  return [
    "| scenario | connections | answers/s | approved/s | p50 ms | p99 ms | non-2xx | 5xx | serialization retries | transfers per group | server CPU ms/request |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    row(r.hot),
    row(r.hotVelocityOff, "hot, velocity rule off"),
    row(r.mixed),
    row(r.movements, "every movement kind"),
    "",
    `Hot account (every transfer out of one account) answers ${
      pct(r.hot.perSecond, uniform32?.perSecond)
    } of uniform's rate at 32 connections (${
      pct(r.hot.refused, r.hot.requests)
    } of its answers are velocity refusals, each a recorded movement). With the velocity rule ` +
    `off (a second server, \`FRAUD_VELOCITY_RULE=off\`) it approves ${r.hotVelocityOff.approvedPerSecond}/s: ` +
    `${
      pct(r.hotVelocityOff.approvedPerSecond, uniform32?.approvedPerSecond)
    } of uniform's approved rate (target ≥ 50%). ` +
    `p99 at 32 connections: uniform ${
      uniform32?.p99Ms ?? "n/a"
    } ms, every movement kind ${r.movements.p99Ms} ms. ` +
    "Mixed = 4 reads (account, ledger page) : 1 transfer.",
  ];
}

function kindTable(kinds: KindMeasured[]): string[] {
  const outcomes = (k: KindMeasured) =>
    Object.entries(k.outcomes).map(([outcome, n]) => `${n} × ${outcome}`).join("; ") || "—";
  return [
    "Every movement kind, 32 connections, each running the same 20-request cycle (bench/movements.ts):",
    "",
    "| kind | share | requests/s | approved/s | p50 ms | p99 ms | non-2xx | 5xx | skipped | answers not approved |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...kinds.map((k) =>
      `| ${k.kind} | ${
        Math.round(k.share * 100)
      }% | ${k.perSecond} | ${k.approvedPerSecond} | ${k.p50Ms} | ${k.p99Ms} | ${k.non2xx} | ${k.serverErrors} | ${k.skipped} | ${
        outcomes(k)
      } |`
    ),
    "",
    "A capture, void or FX transfer whose first half was refused is skipped (the connection reads " +
    "an account instead, keeping the cycle's shares); a declined card authorization is a 201 but " +
    "not an approval. Latency is from the request's setup to its answer on the load generator.",
  ];
}

function pct(part: number, whole: number | undefined): string {
  return whole ? `${Math.round((part / whole) * 100)}%` : "n/a";
}
