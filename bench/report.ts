/** The generated results section of BENCHMARKS.md; the hand-written notes around it are kept. */
import type { BenchResults, Measured } from "./run.ts";

const START = "<!-- bench:results:start -->";
const END = "<!-- bench:results:end -->";

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
  const tps = (c: number) => r.pgbench.find((p) => p.connections === c)?.tps ?? NaN;
  const shape = (c: number) => r.bankShape?.find((p) => p.connections === c)?.tps ?? NaN;
  const row = (m: Measured, extra = "") =>
    `| ${m.scenario} | ${m.connections} | ${m.perSecond} | ${m.p50Ms} | ${m.p99Ms} | ${m.non2xx} | ${m.serverErrors} | ${m.serializationRetries} | ${m.transfersPerGroup} | ${m.serverCpuMsPerRequest} |${extra}`;
  const lines = [
    `Run ${r.startedAt} — \`${r.command}\``,
    "",
    `Machine: ${r.machine}.`,
    "",
    `Settings: ${Object.entries(r.settings).map(([k, v]) => `${k}=${v}`).join(", ")}.`,
    "",
    "| connections | API transfers/s | refused (422) | p50 ms | p99 ms | pgbench TPS | ratio API ÷ pgbench | 5xx | serialization retries | transfers per group | server CPU ms/transfer | bank SQL in pgbench, TPS | its ratio ÷ pgbench |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...r.uniform.map((m) =>
      `| ${m.connections} | ${m.perSecond} | ${
        pct(m.non2xx, m.requests)
      } | ${m.p50Ms} | ${m.p99Ms} | ${tps(m.connections)} | ${
        (m.perSecond / tps(m.connections)).toFixed(2)
      } | ${m.serverErrors} | ${m.serializationRetries} | ${m.transfersPerGroup} | ${m.serverCpuMsPerRequest} | ${
        shape(m.connections)
      } | ${(shape(m.connections) / tps(m.connections)).toFixed(2)} |`
    ),
    "",
    'API transfers/s counts every answered transfer; "refused" is the share answered 422 ' +
    "(the velocity rule, 5 per second per account: a refusal is a recorded movement too). " +
    '"Transfers per group" is how many committed together on average (`db/transfers.ts`). ' +
    "The last two columns run the bank's own transfer SQL, one transfer per transaction " +
    "(`bench/transfer_shape.sql`: lock + fraud facts, then ledger row + both balances + events, " +
    "SERIALIZABLE, retried as the app retries) straight from pgbench on the API's database: the " +
    "most an app that cost nothing could reach without committing transfers together.",
    "",
    ...r.pgbench.filter((p) => p.clients < p.connections).map((p) =>
      `pgbench at ${p.connections} ran with ${p.clients} clients: PostgreSQL's max_connections (shared server) allowed no more.`
    ),
    "",
    "| scenario | connections | requests/s | p50 ms | p99 ms | non-2xx | 5xx | serialization retries | transfers per group | server CPU ms/request |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    row(r.hot),
    row(r.mixed),
    "",
    `Hot account (every transfer out of one account) keeps ${
      pct(r.hot.perSecond, r.uniform.find((m) => m.connections === 32)?.perSecond)
    } of uniform throughput at 32 connections (${
      pct(r.hot.non2xx, r.hot.requests)
    } of its answers are velocity refusals, each a recorded movement). Mixed = 4 reads (account, ledger page) : 1 transfer.`,
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

function pct(part: number, whole: number | undefined): string {
  return whole ? `${Math.round((part / whole) * 100)}%` : "n/a";
}
