/** The per-user sandbox clock: real time plus an offset that only grows. */
import { InvalidInputError, NotFoundError } from "../domain/errors.ts";
import type { Sql } from "./client.ts";
import { type ClearingRun, processDue } from "./clearing.ts";

/** How far ahead of real time a clock may run, in seconds (100 years; timestamps stay valid). */
export const CLOCK_OFFSET_SECONDS_MAX = 100 * 365 * 86_400;

/** The clock's reading. */
export interface ClockReading {
  now: Date;
  offsetSeconds: bigint;
}

/**
 * Moves the user's clock forward by `seconds`, then processes everything of the user's that fell
 * due, oldest first, before answering: settlements, returns and hold expiries.
 */
export async function advanceUserClock(
  sql: Sql,
  command: { userId: string; seconds: number; realNow: Date },
): Promise<ClockReading & { processed: ClearingRun }> {
  const [row] = await sql<{ offsetSeconds: bigint; allowed: boolean }[]>`
    WITH moved AS (
      UPDATE users SET clock_offset_seconds = clock_offset_seconds + ${command.seconds}
      WHERE id = ${command.userId}
        AND clock_offset_seconds + ${command.seconds} <= ${CLOCK_OFFSET_SECONDS_MAX}
      RETURNING clock_offset_seconds
    )
    SELECT coalesce((SELECT clock_offset_seconds FROM moved), u.clock_offset_seconds)
             AS offset_seconds,
           EXISTS (SELECT 1 FROM moved) AS allowed
    FROM users u WHERE u.id = ${command.userId}`;
  if (!row) throw new NotFoundError("User");
  if (!row.allowed) {
    throw new InvalidInputError(
      "seconds",
      `would take the clock more than ${CLOCK_OFFSET_SECONDS_MAX} seconds ahead of real time`,
    );
  }
  const processed = await processDue(sql, {
    realNow: command.realNow,
    userId: command.userId,
  });
  return {
    now: new Date(command.realNow.getTime() + Number(row.offsetSeconds) * 1000),
    offsetSeconds: row.offsetSeconds,
    processed,
  };
}
