/**
 * A balance-over-time chart as server-rendered SVG: a step line (a balance holds until the next
 * movement) from the first point to `until`, with its axes labelled in text. No script, no styles
 * inline: classes only, so the page's stylesheet colours it.
 */
import { html } from "hono/html";
import type { BalancePoint } from "../db/balance_history.ts";
import { amountText, dayText, money, timeText } from "./format.ts";
import type { Html } from "./layout.ts";

// Drawing units; the SVG scales to its box, so labels stay legible down to a phone's width.
const WIDTH = 520;
const HEIGHT = 240;
// The amount labels sit just above their grid lines inside the plot, so the plot can use the
// whole width and the labels can be large enough to read on a phone.
const PLOT = { left: 8, right: 8, top: 32, bottom: 36 };
const PLOT_WIDTH = WIDTH - PLOT.left - PLOT.right;
const PLOT_HEIGHT = HEIGHT - PLOT.top - PLOT.bottom;
const AXIS_Y = HEIGHT - 10;
const HOUR_MS = 3_600_000;
const RIGHT_X = WIDTH - PLOT.right;

/** What a chart shows. */
export interface ChartData {
  /** Unique within the page: the SVG's title and description ids derive from it. */
  id: string;
  title: string;
  currency: string;
  points: BalancePoint[];
  /** The right edge of the time axis: now on the user's clock. */
  until: Date;
}

/** The chart, or a sentence when there is nothing to draw yet. */
export function balanceChart(chart: ChartData): Html {
  const { points } = chart;
  if (points.length === 0) {
    return html`<p class="empty">No money has moved in ${chart.currency} yet, so there is no chart.</p>`;
  }
  const maxBalance = points.reduce((max, p) => (p.balance > max ? p.balance : max), 0n);
  const top = maxBalance > 0n ? maxBalance : 1n;
  const start = points[0].at.getTime();
  const end = Math.max(chart.until.getTime(), points[points.length - 1].at.getTime(), start + 1);
  const x = (at: Date) => PLOT.left + ((at.getTime() - start) * PLOT_WIDTH) / (end - start);
  // The vertical scale is computed in bigint tenths of a pixel: money never goes through a float.
  const y = (balance: bigint) =>
    PLOT.top + PLOT_HEIGHT - Number((balance * BigInt(PLOT_HEIGHT * 10)) / top) / 10;
  let path = `M${x(points[0].at).toFixed(1)},${y(0n).toFixed(1)}`;
  for (const point of points) {
    path += ` H${x(point.at).toFixed(1)} V${y(point.balance).toFixed(1)}`;
  }
  path += ` H${(PLOT.left + PLOT_WIDTH).toFixed(1)}`;
  const area = `${path} V${y(0n).toFixed(1)} Z`;
  const last = points[points.length - 1];
  // Across days the axis names dates; within a day, times (to the second within an hour).
  const spanMs = chart.until.getTime() - points[0].at.getTime();
  const sameDay = dayText(points[0].at) === dayText(chart.until);
  const axisText = !sameDay
    ? dayText
    : spanMs < HOUR_MS
    ? (at: Date) => timeText(at, true)
    : (at: Date) => timeText(at);
  // Grid lines at the top, the middle and zero; drawn over the area, labelled over the line.
  const grid: [number, string][] = [
    [y(top), amountText(maxBalance, chart.currency)],
    [y(top / 2n), amountText(maxBalance / 2n, chart.currency)],
    [y(0n), amountText(0n, chart.currency)],
  ];
  const titleId = `${chart.id}-title`;
  const descId = `${chart.id}-desc`;
  const description = `From ${dayText(points[0].at)} to ${dayText(chart.until)}: ` +
    `${money(last.balance, chart.currency)} now, highest ${money(maxBalance, chart.currency)}, ` +
    `over ${points.length} movement${points.length === 1 ? "" : "s"}.`;
  return html`
    <figure class="chart">
      <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${titleId} ${descId}"
        class="chart__svg">
        <title id="${titleId}">${chart.title}</title>
        <desc id="${descId}">${description}</desc>
        <path class="chart__area" d="${area}"/>
        ${grid.map(([atY]) => gridLine(atY))}
        <path class="chart__line" d="${path}"/>
        <circle class="chart__dot" cx="${x(last.at).toFixed(1)}" cy="${y(last.balance).toFixed(
          1,
        )}" r="4"/>
        ${grid.map(([atY, label]) => gridLabel(atY, label))}
        <text class="chart__label" x="${PLOT.left}" y="${AXIS_Y}">${axisText(points[0].at)}</text>
        <text class="chart__label" x="${RIGHT_X}" y="${AXIS_Y}" text-anchor="end">${axisText(
          chart.until,
        )}</text>
      </svg>
      <figcaption>${description}</figcaption>
    </figure>
  `;
}

function gridLine(atY: number): Html {
  const yText = atY.toFixed(1);
  return html`<line class="chart__grid" x1="${PLOT.left}" x2="${RIGHT_X}" y1="${yText}" y2="${yText}" />`;
}

function gridLabel(atY: number, label: string): Html {
  const yText = (atY - 6).toFixed(1);
  return html`<text class="chart__label chart__label--amount" x="${
    PLOT.left + 2
  }" y="${yText}">${label}</text>`;
}
