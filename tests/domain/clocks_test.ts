/** Clock rules without a database: one business time, forward-only advances and joins. */
import assert from "node:assert/strict";
import {
  assertRoomOnClock,
  checkSameBusinessTime,
  CLOCK_MEMBERS_MAX,
  formatDuration,
  offsetAfterAdvance,
  offsetAfterJoin,
} from "../../domain/clocks.ts";
import { ConflictError, InvalidInputError } from "../../domain/errors.ts";

const NOW = new Date("2026-12-01T10:00:00.000Z");
const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

Deno.test("checkSameBusinessTime approves two clocks reading the same instant", () => {
  assert.deepEqual(checkSameBusinessTime(NOW, new Date(NOW.getTime())), { approved: true });
});

Deno.test("checkSameBusinessTime refuses clocks a year apart as clock_mismatch, naming join", () => {
  const verdict = checkSameBusinessTime(later(365 * 86_400), NOW);
  assert.equal(verdict.approved, false);
  if (verdict.approved) return;
  assert.equal(verdict.reason, "clock_mismatch");
  assert.equal(verdict.code, "clock_mismatch");
  assert.match(verdict.detail, /1 year 0 days apart/);
  assert.match(verdict.detail, /sending side's is ahead/);
  assert.match(verdict.detail, /POST \/simulations\/clock\/join/);
});

Deno.test("checkSameBusinessTime says which side is ahead", () => {
  const verdict = checkSameBusinessTime(NOW, later(3 * 3600 + 5 * 60));
  assert.ok(!verdict.approved);
  assert.match(verdict.detail, /3 hours 5 minutes apart \(the receiving side's is ahead\)/);
});

Deno.test("formatDuration names the two largest units", () => {
  assert.equal(formatDuration(365 * 86_400_000), "1 year 0 days");
  assert.equal(formatDuration((2 * 365 + 3) * 86_400_000), "2 years 3 days");
  assert.equal(formatDuration(86_400_000 + 3_600_000), "1 day 1 hour");
  assert.equal(formatDuration((3 * 3600 + 5 * 60) * 1000), "3 hours 5 minutes");
  assert.equal(formatDuration(61_000), "1 minute 1 second");
  assert.equal(formatDuration(45_000), "45 seconds");
  assert.equal(formatDuration(999), "less than a second");
});

Deno.test("offsetAfterAdvance adds seconds to the offset", () => {
  assert.equal(offsetAfterAdvance({ seconds: 60 }, { now: NOW, offsetSeconds: 100n }), 160n);
});

Deno.test("offsetAfterAdvance moves to an instant, rounding a part second up", () => {
  const clock = { now: NOW, offsetSeconds: 10n };
  assert.equal(offsetAfterAdvance({ to: later(3600) }, clock), 3610n);
  assert.equal(offsetAfterAdvance({ to: new Date(NOW.getTime() + 1500) }, clock), 12n);
  assert.equal(offsetAfterAdvance({ to: NOW }, clock), 10n, "to the reading itself moves nothing");
});

Deno.test("offsetAfterAdvance refuses a to before the clock's reading", () => {
  assert.throws(
    () => offsetAfterAdvance({ to: new Date(NOW.getTime() - 1) }, { now: NOW, offsetSeconds: 0n }),
    (error) => error instanceof InvalidInputError && error.field === "to",
  );
});

Deno.test("offsetAfterAdvance refuses more than a year at once, by seconds or to", () => {
  const clock = { now: NOW, offsetSeconds: 0n };
  for (const advance of [{ seconds: 31_536_001 }, { to: later(31_536_001) }]) {
    assert.throws(() => offsetAfterAdvance(advance, clock), InvalidInputError);
  }
  assert.equal(offsetAfterAdvance({ to: later(31_536_000) }, clock), 31_536_000n);
});

Deno.test("offsetAfterAdvance refuses a clock more than 100 years ahead of real time", () => {
  const clock = { now: NOW, offsetSeconds: 3_153_600_000n };
  assert.throws(() => offsetAfterAdvance({ seconds: 1 }, clock), /100 years|3153600000/);
});

Deno.test("offsetAfterJoin takes a clock ahead or level, and refuses one behind as clock_behind", () => {
  assert.equal(offsetAfterJoin(10n, 10n), 10n);
  assert.equal(offsetAfterJoin(10n, 7200n), 7200n);
  assert.throws(
    () => offsetAfterJoin(90_000n, 0n),
    (error) =>
      error instanceof ConflictError && error.code === "clock_behind" &&
      /1 day 1 hour earlier/.test(error.message),
  );
});

Deno.test("assertRoomOnClock refuses a clock that is full as clock_full", () => {
  assertRoomOnClock(CLOCK_MEMBERS_MAX - 1);
  assert.throws(
    () => assertRoomOnClock(CLOCK_MEMBERS_MAX),
    (error) => error instanceof ConflictError && error.code === "clock_full",
  );
});
