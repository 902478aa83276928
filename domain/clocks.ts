/**
 * Sandbox clocks as rules: both sides of a movement share one business time, a clock only moves
 * forward, and how far an advance moves it. Pure: every time is handed in.
 */
import { ConflictError, InvalidInputError } from "./errors.ts";
import { APPROVED, refuse, type Verdict } from "./ledger.ts";

/** The longest single clock advance, in seconds (one year). */
export const CLOCK_ADVANCE_SECONDS_MAX = 31_536_000;
/** How far ahead of real time a clock may run, in seconds (100 years; timestamps stay valid). */
export const CLOCK_OFFSET_SECONDS_MAX = 100 * 365 * 86_400;

/** Users on one clock at most: an advance processes what fell due for each of them. */
export const CLOCK_MEMBERS_MAX = 100;

/** An advance: by a number of seconds, or to an instant not before the clock's reading. */
export type ClockAdvance = { seconds: number } | { to: Date };

/**
 * The planner rule "one business time for both sides": APPROVED when the two owners' clocks read
 * the same instant, else a `clock_mismatch` refusal saying how far apart they are and what fixes it.
 */
export function checkSameBusinessTime(fromNow: Date, toNow: Date): Verdict {
  const apartMs = fromNow.getTime() - toNow.getTime();
  if (apartMs === 0) return APPROVED;
  const ahead = apartMs > 0 ? "sending" : "receiving";
  return refuse(
    "clock_mismatch",
    `The two accounts' owners are on sandbox clocks ${formatDuration(Math.abs(apartMs))} apart ` +
      `(the ${ahead} side's is ahead), so they do not share one business time. Put both on one ` +
      "clock with POST /simulations/clock/join {clock_id} (ids from GET /simulations/clock) and retry",
  );
}

const UNITS: [name: string, ms: number][] = [
  ["year", 365 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1_000],
];

/** A duration in its two largest human units, e.g. "1 year 0 days", "3 hours 5 minutes". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return "less than a second";
  const index = UNITS.findIndex(([, unitMs]) => ms >= unitMs);
  const [name, unitMs] = UNITS[index];
  const count = Math.floor(ms / unitMs);
  const first = plural(count, name);
  if (index === UNITS.length - 1) return first;
  const [nextName, nextMs] = UNITS[index + 1];
  return `${first} ${plural(Math.floor((ms - count * unitMs) / nextMs), nextName)}`;
}

function plural(count: number, name: string): string {
  return `${count} ${name}${count === 1 ? "" : "s"}`;
}

/**
 * The clock's offset after `advance`, from its reading `now` and current offset: whole seconds,
 * rounding a `to` up so the clock reads at least that instant. Invalid advances are a 400.
 */
export function offsetAfterAdvance(
  advance: ClockAdvance,
  clock: { now: Date; offsetSeconds: bigint },
): bigint {
  const field = "seconds" in advance ? "seconds" : "to";
  const aheadMs = "seconds" in advance ? 0 : advance.to.getTime() - clock.now.getTime();
  if (!(aheadMs >= 0)) {
    throw new InvalidInputError(
      "to",
      `must not be before the clock's reading (${clock.now.toISOString()})`,
    );
  }
  const seconds = "seconds" in advance ? advance.seconds : Math.ceil(aheadMs / 1000);
  if (!Number.isSafeInteger(seconds) || ("seconds" in advance && seconds < 1)) {
    throw new InvalidInputError(field, "must be a whole number of seconds, at least 1");
  }
  if (seconds > CLOCK_ADVANCE_SECONDS_MAX) {
    throw new InvalidInputError(
      field,
      `would move the clock more than ${CLOCK_ADVANCE_SECONDS_MAX} seconds (a year) at once`,
    );
  }
  const offset = clock.offsetSeconds + BigInt(seconds);
  if (offset > BigInt(CLOCK_OFFSET_SECONDS_MAX)) {
    throw new InvalidInputError(
      field,
      `would take the clock more than ${CLOCK_OFFSET_SECONDS_MAX} seconds ahead of real time`,
    );
  }
  return offset;
}

/**
 * Joining a clock never moves the joiner's time back: a clock reading earlier than the joiner's
 * own is a 409 clock_behind. Returns the offset the joiner takes.
 */
export function offsetAfterJoin(own: bigint, target: bigint): bigint {
  if (target < own) {
    throw new ConflictError(
      "clock_behind",
      `Cannot join that clock: it reads ${formatDuration(Number(own - target) * 1000)} earlier ` +
        "than yours, and a clock never goes back. Advance it to your time first, or have its " +
        "members join yours",
    );
  }
  return target;
}

/** A clock with CLOCK_MEMBERS_MAX members takes no more: a 409 clock_full. */
export function assertRoomOnClock(members: number): void {
  if (members >= CLOCK_MEMBERS_MAX) {
    throw new ConflictError(
      "clock_full",
      `Cannot join that clock: it already has ${CLOCK_MEMBERS_MAX} members, the most one may have`,
    );
  }
}

/**
 * The moment a balance is asked for: `at` (default the owner's now). A moment after the owner's
 * clock is a 400, not clamped: the ledger cannot know it yet (settlements, expiries and
 * schedules still to come), and a clamped answer would look like a forecast.
 */
export function balanceMoment(at: Date | undefined, ownerNow: Date): Date {
  if (!at) return ownerNow;
  if (at > ownerNow) {
    throw new InvalidInputError(
      "at",
      `must not be after now on your sandbox clock (${ownerNow.toISOString()})`,
    );
  }
  return at;
}
