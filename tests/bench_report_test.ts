/** The bench's written results: approvals apart from refusals, and the scenarios' figures. */
import assert from "node:assert/strict";
import { renderChart } from "../bench/chart.ts";
import { renderResults } from "../bench/report.ts";
import type { BenchResults, Measured } from "../bench/results.ts";

function measured(scenario: string, connections: number, perSecond: number, approved: number) {
  return {
    scenario,
    connections,
    seconds: 10,
    perSecond,
    approvedPerSecond: approved,
    p50Ms: 5,
    p99Ms: 17,
    requests: perSecond * 10,
    approved: approved * 10,
    refused: (perSecond - approved) * 10,
    non2xx: (perSecond - approved) * 10,
    serverErrors: 0,
    serializationRetries: 0,
    transfersPerGroup: 16,
    serverCpuMsPerRequest: 0.2,
  } satisfies Measured;
}

const RESULTS: BenchResults = {
  startedAt: "2026-12-02T00:00:00.000Z",
  machine: "test machine",
  command: "deno task bench",
  settings: { seconds_per_level: 10 },
  uniform: [measured("uniform", 8, 1500, 1400), measured("uniform", 32, 3000, 2700)],
  pgbench: [{ connections: 8, clients: 8, tps: 4000, latencyMs: 2 }, {
    connections: 32,
    clients: 32,
    tps: 4000,
    latencyMs: 8,
  }],
  hot: measured("hot", 32, 3800, 5),
  hotVelocityOff: measured("hot", 32, 1620, 1620),
  mixed: measured("mixed", 32, 4000, 4000),
  movements: {
    ...measured("movements", 32, 2000, 1990),
    kinds: [{
      kind: "withdraw",
      share: 0.15,
      requests: 3000,
      perSecond: 300,
      approvedPerSecond: 290,
      p50Ms: 6,
      p99Ms: 20,
      non2xx: 100,
      serverErrors: 0,
      skipped: 0,
      outcomes: { "422 fraud_rejected velocity_limit": 100 },
    }],
  },
};

Deno.test("the results section gives approved/s and both ratios to pgbench at every level", () => {
  const text = renderResults(
    "# B\n\n<!-- bench:results:start -->\nold\n<!-- bench:results:end -->\n",
    RESULTS,
  );
  assert.ok(!text.includes("old"));
  assert.ok(text.startsWith("# B\n\n<!-- bench:results:start -->"));
  // 32 connections: 3000 answers and 2700 approvals a second (3000 of 30 000 refused) against
  // 4000 TPS.
  assert.match(
    text,
    /\| 32 \| 3000 \| 2700 \| 3000 \(10%\) \| 5 \| 17 \| 4000 \| 0\.75 \| 0\.68 \|/,
  );
});

Deno.test("the results section reports the velocity-off hot account against uniform approvals", () => {
  const text = renderResults("", RESULTS);
  // 1620 of uniform's 2700 approved per second at 32 connections.
  assert.match(text, /approves 1620\/s: 60% of uniform's approved rate \(target ≥ 50%\)/);
  assert.match(
    text,
    /\| withdraw \| 15% \| 300 \| 290 \| 6 \| 20 \| 100 \| 0 \| 0 \| 100 × 422 fraud_rejected velocity_limit \|/,
  );
});

Deno.test("the chart draws approved bars and the scenarios", () => {
  const svg = renderChart(RESULTS);
  assert.match(svg, />2700<\/text>/);
  assert.match(svg, />hot, no vel\.<\/text>/);
  assert.match(svg, />1990<\/text>/);
});
