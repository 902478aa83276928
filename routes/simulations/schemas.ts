/** Simulation requests and the sandbox clock on the wire. */
import { z } from "@hono/zod-openapi";

/** The longest single clock advance, in seconds (one year). */
export const CLOCK_ADVANCE_SECONDS_MAX = 31_536_000;

/** The user's sandbox clock. */
export const ClockSchema = z.object({
  now: z.string().openapi({ example: "2026-11-25T10:00:00.000Z" }),
  offset_seconds: z.number().int().openapi({ example: 86400 }),
}).openapi("Clock");

/** Moving the clock forward. */
export const AdvanceClockSchema = z.strictObject({
  seconds: z.number().int().min(1).max(CLOCK_ADVANCE_SECONDS_MAX).openapi({ example: 60 }),
}).openapi("AdvanceClock");

/** The clock as JSON. */
export function toClockJson(clock: { now: Date; offsetSeconds: bigint }) {
  return { now: clock.now.toISOString(), offset_seconds: Number(clock.offsetSeconds) };
}
