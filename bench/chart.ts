/**
 * The benchmark's chart as plain SVG: by connection count, the API's answers and approvals per
 * second beside pgbench's TPS, and the API's p99; then the scenarios at 32 connections (hot
 * account with and without the velocity rule, every movement kind) with their p99 as dots.
 */
import type { BenchResults, Measured } from "./results.ts";

const WIDTH = 860;
const HEIGHT = 380;
const MARGIN = { top: 48, right: 70, bottom: 56, left: 70 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const BOTTOM = MARGIN.top + PLOT_H;
const COLOURS = { answers: "#90cdf4", approved: "#2b6cb0", pgbench: "#a0aec0", p99: "#c53030" };

interface Slot {
  label: string;
  bars: { value: number; fill: string }[];
  p99Ms: number;
  /** Uniform levels are joined by the p99 line; scenarios stand alone. */
  joined: boolean;
}

function slots(r: BenchResults): Slot[] {
  const tps = (c: number) => r.pgbench.find((p) => p.connections === c)?.tps ?? 0;
  const api = (m: Measured) => [
    { value: m.perSecond, fill: COLOURS.answers },
    { value: m.approvedPerSecond, fill: COLOURS.approved },
  ];
  const scenario = (label: string, m: Measured): Slot => ({
    label,
    bars: api(m),
    p99Ms: m.p99Ms,
    joined: false,
  });
  return [
    ...r.uniform.map((m) => ({
      label: String(m.connections),
      bars: [...api(m), { value: tps(m.connections), fill: COLOURS.pgbench }],
      p99Ms: m.p99Ms,
      joined: true,
    })),
    scenario("hot", r.hot),
    scenario("hot, no vel.", r.hotVelocityOff),
    scenario("movements", r.movements),
  ];
}

/** Renders the chart for one run's results. */
export function renderChart(results: BenchResults): string {
  const all = slots(results);
  const maxRate = niceCeil(Math.max(...all.flatMap((s) => s.bars.map((b) => b.value)), 1));
  const maxP99 = niceCeil(Math.max(...all.map((s) => s.p99Ms), 1));
  const y = (value: number, max: number) => BOTTOM - (value / max) * PLOT_H;
  const parts = gridLines(maxRate, maxP99, y);
  const slotW = PLOT_W / all.length;
  const barW = slotW / 4;
  const points: string[] = [];
  all.forEach((slot, i) => {
    const cx = MARGIN.left + slotW * i + slotW / 2;
    const left = cx - (slot.bars.length * barW) / 2;
    slot.bars.forEach((b, j) => parts.push(bar(left + j * barW, y(b.value, maxRate), barW, b)));
    parts.push(
      `<text x="${cx}" y="${BOTTOM + 18}" text-anchor="middle">${slot.label}</text>`,
      `<circle cx="${cx}" cy="${y(slot.p99Ms, maxP99)}" r="3.5" fill="${COLOURS.p99}"/>`,
    );
    if (slot.joined) points.push(`${cx},${y(slot.p99Ms, maxP99)}`);
  });
  const firstScenario = MARGIN.left + slotW * results.uniform.length;
  parts.push(
    `<polyline points="${points.join(" ")}" fill="none" stroke="${COLOURS.p99}" stroke-width="2"/>`,
    `<line x1="${firstScenario}" x2="${firstScenario}" y1="${MARGIN.top}" y2="${BOTTOM}" stroke="#999" stroke-dasharray="4 3"/>`,
    `<text x="${MARGIN.left + (firstScenario - MARGIN.left) / 2}" y="${
      HEIGHT - 12
    }" text-anchor="middle">uniform transfers, by connections</text>`,
    `<text x="${firstScenario + (WIDTH - MARGIN.right - firstScenario) / 2}" y="${
      HEIGHT - 12
    }" text-anchor="middle">scenarios at 32 connections</text>`,
  );
  return frame(parts);
}

function gridLines(maxRate: number, maxP99: number, y: (v: number, max: number) => number) {
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const yy = y((maxRate * i) / 4, maxRate);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${
        WIDTH - MARGIN.right
      }" y1="${yy}" y2="${yy}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${yy + 4}" text-anchor="end">${
        Math.round((maxRate * i) / 4)
      }</text>`,
      `<text x="${WIDTH - MARGIN.right + 6}" y="${yy + 4}">${round1((maxP99 * i) / 4)}</text>`,
    );
  }
  return parts;
}

function legend(): string {
  const entries = [
    ["API answers/s", COLOURS.answers],
    ["API approved/s", COLOURS.approved],
    ["pgbench TPS", COLOURS.pgbench],
    ["API p99 (right axis)", COLOURS.p99],
  ];
  return entries.map(([label, fill], i) => {
    const x = MARGIN.left + 8 + i * 150;
    return `<rect x="${x}" y="${MARGIN.top - 16}" width="10" height="10" fill="${fill}"/>` +
      `<text x="${x + 14}" y="${MARGIN.top - 7}">${label}</text>`;
  }).join("\n");
}

function frame(parts: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${
    WIDTH / 2
  }" y="18" text-anchor="middle" font-size="14">API transfers/s (all answers, approved) and pgbench TPC-B TPS; API p99 latency</text>
${legend()}
${parts.join("\n")}
<text transform="translate(16 ${
    MARGIN.top + PLOT_H / 2
  }) rotate(-90)" text-anchor="middle">per second</text>
<text transform="translate(${WIDTH - 14} ${
    MARGIN.top + PLOT_H / 2
  }) rotate(90)" text-anchor="middle">p99 ms</text>
</svg>
`;
}

function bar(x: number, top: number, width: number, b: { value: number; fill: string }) {
  return `<rect x="${x}" y="${top}" width="${width}" height="${BOTTOM - top}" fill="${b.fill}"/>` +
    `<text x="${x + width / 2}" y="${
      top - 3
    }" text-anchor="middle" font-size="10">${b.value}</text>`;
}

function niceCeil(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / magnitude) * magnitude;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
