/** The benchmark's chart as plain SVG: throughput (API and pgbench) and API p99 by connections. */
import type { BenchResults } from "./run.ts";

const WIDTH = 720;
const HEIGHT = 360;
const MARGIN = { top: 40, right: 70, bottom: 50, left: 70 };

/** Renders throughput bars (API, pgbench) and the API's p99 line against connection counts. */
export function renderChart(results: BenchResults): string {
  const levels = results.uniform.map((row) => row.connections);
  const tps = (c: number) => results.pgbench.find((p) => p.connections === c)?.tps ?? 0;
  const maxRate = niceCeil(
    Math.max(...results.uniform.map((r) => r.perSecond), ...levels.map(tps)),
  );
  const maxP99 = niceCeil(Math.max(...results.uniform.map((r) => r.p99Ms), 1));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotW / levels.length;
  const barW = slot / 4;
  const y = (value: number, max: number) => MARGIN.top + plotH - (value / max) * plotH;
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const value = (maxRate * i) / 4;
    const yy = y(value, maxRate);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${
        WIDTH - MARGIN.right
      }" y1="${yy}" y2="${yy}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${yy + 4}" text-anchor="end">${Math.round(value)}</text>`,
      `<text x="${WIDTH - MARGIN.right + 6}" y="${yy + 4}">${round1((maxP99 * i) / 4)}</text>`,
    );
  }
  const points: string[] = [];
  levels.forEach((connections, i) => {
    const cx = MARGIN.left + slot * i + slot / 2;
    const api = results.uniform[i];
    parts.push(
      bar(cx - barW, y(api.perSecond, maxRate), barW, MARGIN.top + plotH, "#2b6cb0", api.perSecond),
      bar(cx, y(tps(connections), maxRate), barW, MARGIN.top + plotH, "#a0aec0", tps(connections)),
      `<text x="${cx}" y="${
        HEIGHT - MARGIN.bottom + 18
      }" text-anchor="middle">${connections}</text>`,
    );
    points.push(`${cx},${y(api.p99Ms, maxP99)}`);
  });
  parts.push(
    `<polyline points="${points.join(" ")}" fill="none" stroke="#c53030" stroke-width="2"/>`,
    ...points.map((p) => {
      const [cx, cy] = p.split(",");
      return `<circle cx="${cx}" cy="${cy}" r="3.5" fill="#c53030"/>`;
    }),
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${
    WIDTH / 2
  }" y="20" text-anchor="middle" font-size="14">Transfers/s (API) and TPS (pgbench TPC-B) by connections; API p99 latency</text>
${parts.join("\n")}
<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">connections</text>
<text transform="translate(16 ${
    MARGIN.top + plotH / 2
  }) rotate(-90)" text-anchor="middle">per second</text>
<text transform="translate(${WIDTH - 14} ${
    MARGIN.top + plotH / 2
  }) rotate(90)" text-anchor="middle">p99 ms</text>
<rect x="${MARGIN.left + 8}" y="${
    MARGIN.top - 2
  }" width="10" height="10" fill="#2b6cb0"/><text x="${MARGIN.left + 22}" y="${
    MARGIN.top + 7
  }">API transfers/s</text>
<rect x="${MARGIN.left + 130}" y="${
    MARGIN.top - 2
  }" width="10" height="10" fill="#a0aec0"/><text x="${MARGIN.left + 144}" y="${
    MARGIN.top + 7
  }">pgbench TPS</text>
<line x1="${MARGIN.left + 240}" x2="${MARGIN.left + 256}" y1="${MARGIN.top + 3}" y2="${
    MARGIN.top + 3
  }" stroke="#c53030" stroke-width="2"/><text x="${MARGIN.left + 260}" y="${
    MARGIN.top + 7
  }">API p99 (right axis)</text>
</svg>
`;
}

function bar(x: number, top: number, width: number, bottom: number, fill: string, label: number) {
  return `<rect x="${x}" y="${top}" width="${width}" height="${bottom - top}" fill="${fill}"/>` +
    `<text x="${x + width / 2}" y="${top - 3}" text-anchor="middle" font-size="10">${label}</text>`;
}

function niceCeil(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / magnitude) * magnitude;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
