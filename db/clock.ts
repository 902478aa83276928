/**
 * Sandbox clocks: each user is on one clock (users.clock_id) and reads real time plus its offset
 * (users.clock_offset_seconds, what every other query reads). Members of a clock always have equal
 * offsets: this module is their only writer, and changes them in SERIALIZABLE transactions that
 * first lock every member row involved, in id order (concurrent advances and joins queue on the
 * locks; whatever slips past them is a serialization failure, retried).
 */
import {
  assertRoomOnClock,
  type ClockAdvance,
  offsetAfterAdvance,
  offsetAfterJoin,
} from "../domain/clocks.ts";
import { NotFoundError, UnauthorizedError } from "../domain/errors.ts";
import type { Queryable, Sql, Tx } from "./client.ts";
import { addRun, type ClearingRun, type DueSettings, emptyRun, processDue } from "./clearing.ts";
import { serializable } from "./serializable.ts";

/** The clock's reading. */
export interface ClockReading {
  now: Date;
  offsetSeconds: bigint;
}

/** A clock as its members see it: id, reading, and how many users are on it. */
export interface Clock extends ClockReading {
  id: string;
  members: number;
}

interface MemberRow {
  id: string;
  clockId: string;
  offsetSeconds: bigint;
}

const reading = (realNow: Date, offsetSeconds: bigint): Date =>
  new Date(realNow.getTime() + Number(offsetSeconds) * 1000);

/** The user's clock at `realNow`. */
export async function readClock(sql: Queryable, userId: string, realNow: Date): Promise<Clock> {
  const [row] = await sql<{ id: string; offsetSeconds: bigint; members: number }[]>`
    SELECT u.clock_id AS id, u.clock_offset_seconds AS offset_seconds,
           (SELECT count(*)::int FROM users m WHERE m.clock_id = u.clock_id) AS members
    FROM users u WHERE u.id = ${userId}`;
  // A valid token for a user this database does not know (e.g. after a reset) is no login.
  if (!row) throw new UnauthorizedError("The bearer token names no user of this bank");
  return { ...row, now: reading(realNow, row.offsetSeconds) };
}

// Locks the members of the user's clock, in id order; the first row is never missing for a user.
async function lockOwnClock(tx: Tx, userId: string): Promise<MemberRow[]> {
  const members = await tx<MemberRow[]>`
    SELECT id, clock_id, clock_offset_seconds AS offset_seconds FROM users
    WHERE clock_id = (SELECT clock_id FROM users WHERE id = ${userId})
    ORDER BY id FOR UPDATE`;
  if (members.length === 0) {
    throw new UnauthorizedError("The bearer token names no user of this bank");
  }
  return members;
}

/**
 * Moves the user's clock forward — and so every member's — by `seconds` or `to` an instant, then
 * processes everything of every member that fell due, oldest first per member, before answering.
 */
export async function advanceClock(
  sql: Sql,
  command: { userId: string; advance: ClockAdvance; realNow: Date; due?: DueSettings },
): Promise<Clock & { processed: ClearingRun }> {
  const moved = await serializable(sql, async (tx) => {
    const members = await lockOwnClock(tx, command.userId);
    const [{ clockId, offsetSeconds }] = members;
    const offset = offsetAfterAdvance(command.advance, {
      now: reading(command.realNow, offsetSeconds),
      offsetSeconds,
    });
    // One statement for every member: their offsets can never be seen apart.
    await tx`UPDATE users SET clock_offset_seconds = ${offset} WHERE clock_id = ${clockId}`;
    return { id: clockId, offsetSeconds: offset, memberIds: members.map((member) => member.id) };
  });
  const processed = emptyRun();
  for (const userId of moved.memberIds) {
    addRun(
      processed,
      await processDue(sql, { realNow: command.realNow, userId, due: command.due }),
    );
  }
  return {
    id: moved.id,
    offsetSeconds: moved.offsetSeconds,
    now: reading(command.realNow, moved.offsetSeconds),
    members: moved.memberIds.length,
    processed,
  };
}

/**
 * Moves the user's clock forward by `seconds` (the dashboard's form), advancing every member;
 * see advanceClock.
 */
export async function advanceUserClock(
  sql: Sql,
  command: { userId: string; seconds: number; realNow: Date; due?: DueSettings },
): Promise<Clock & { processed: ClearingRun }> {
  return await advanceClock(sql, {
    userId: command.userId,
    advance: { seconds: command.seconds },
    realNow: command.realNow,
    due: command.due,
  });
}

/**
 * Puts the user on clock `clockId`, taking its offset: 404 for an unknown clock, 409 clock_behind
 * when it reads earlier than the user's own, a no-op on the user's own clock. What falls due by the
 * move forward is processed before answering.
 */
export async function joinClock(
  sql: Sql,
  command: { userId: string; clockId: string; realNow: Date; due?: DueSettings },
): Promise<Clock> {
  const moved = await serializable(sql, async (tx) => {
    const rows = await tx<MemberRow[]>`
      SELECT id, clock_id, clock_offset_seconds AS offset_seconds FROM users
      WHERE id = ${command.userId} OR clock_id = ${command.clockId}
      ORDER BY id FOR UPDATE`;
    const me = rows.find((row) => row.id === command.userId);
    if (!me) throw new UnauthorizedError("The bearer token names no user of this bank");
    if (me.clockId === command.clockId) return false;
    const target = rows.filter((row) => row.clockId === command.clockId);
    if (target.length === 0) throw new NotFoundError("Clock");
    assertRoomOnClock(target.length);
    const offset = offsetAfterJoin(me.offsetSeconds, target[0].offsetSeconds);
    await tx`
      UPDATE users SET clock_id = ${command.clockId}, clock_offset_seconds = ${offset}
      WHERE id = ${command.userId}`;
    return offset > me.offsetSeconds;
  });
  if (moved) {
    await processDue(sql, { realNow: command.realNow, userId: command.userId, due: command.due });
  }
  return await readClock(sql, command.userId, command.realNow);
}

/** Takes the user off a shared clock: a fresh clock of their own, reading the same time. */
export async function leaveClock(
  sql: Sql,
  command: { userId: string; realNow: Date },
): Promise<Clock> {
  // SERIALIZABLE: an advance of the old clock committing meanwhile makes this retry, so the
  // reading taken along is the old clock's last.
  await serializable(sql, async (tx) => {
    await tx`UPDATE users SET clock_id = gen_random_uuid() WHERE id = ${command.userId}`;
  });
  return await readClock(sql, command.userId, command.realNow);
}
