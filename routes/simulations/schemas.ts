/** Simulation requests and the sandbox clock on the wire. */
import { z } from "@hono/zod-openapi";
import { CLOCK_ADVANCE_SECONDS_MAX } from "../../domain/clocks.ts";

export { CLOCK_ADVANCE_SECONDS_MAX };

/** The user's sandbox clock, shared by `members` users. */
export const ClockSchema = z.object({
  id: z.uuid().openapi({
    description: "The clock's id: give it to another user's POST /simulations/clock/join",
    example: "3f1c2b9e-6a7d-4e21-9c0b-5d8e7f6a1b2c",
  }),
  now: z.string().openapi({ example: "2026-11-25T10:00:00.000Z" }),
  offset_seconds: z.number().int().openapi({ example: 86400 }),
  members: z.number().int().min(1).openapi({
    description: "How many users are on this clock",
    example: 2,
  }),
}).openapi("Clock");

/** A clock advance in seconds: a whole number, 1 second to a year. */
export const ClockSecondsSchema = z.number().int().min(1).max(CLOCK_ADVANCE_SECONDS_MAX);

/** Moving the clock forward: by `seconds`, or `to` an instant; exactly one of the two. */
export const AdvanceClockSchema = z.strictObject({
  seconds: ClockSecondsSchema.optional().openapi({
    description: "How far to move the clock, in seconds",
    example: 60,
  }),
  to: z.iso.datetime({ offset: true }).optional().openapi({
    description: "RFC 3339 instant to move the clock to; not before its reading, " +
      "at most a year ahead. Rounded up to a whole second",
    example: "2027-01-01T00:00:00Z",
  }),
}).refine((body) => (body.seconds === undefined) !== (body.to === undefined), {
  message: "give exactly one of seconds and to",
}).openapi("AdvanceClock");

/** Joining another user's clock by its id. */
export const JoinClockSchema = z.strictObject({
  clock_id: z.uuid().openapi({ example: "3f1c2b9e-6a7d-4e21-9c0b-5d8e7f6a1b2c" }),
}).openapi("JoinClock");

/** The clock as JSON. */
export function toClockJson(
  clock: { id: string; now: Date; offsetSeconds: bigint; members: number },
) {
  return {
    id: clock.id,
    now: clock.now.toISOString(),
    offset_seconds: Number(clock.offsetSeconds),
    members: clock.members,
  };
}
