/**
 * What a dashboard form post did, kept for the page it redirects to (Post/Redirect/Get; see
 * routes/pages/prg.ts and migrations/0013_dashboard.sql). Rows are the user's own; real time is
 * handed in, and a day-old row is forgotten by the next claim of its owner.
 */
import type { Queryable } from "./client.ts";

/** How long a form's result is kept (a reload of its page shows it again meanwhile). */
export const PAGE_RESULT_TTL_SECONDS = 24 * 60 * 60;

/** What the page shows after the redirect: a notice, and a secret shown once. */
export interface PageResultBody {
  notice: { tone: "success" | "error" | "info"; title: string; message?: string };
  /** `value` is there on the first read only. */
  secret?: { label: string; value?: string };
}

/** A stored result as read back. */
export interface PageResult extends PageResultBody {
  location: string;
}

/** A claim's outcome: ours to run, or the earlier post's (done, or still running). */
export type PageClaim =
  | { kind: "claimed" }
  | { kind: "done"; location: string }
  | { kind: "in_flight" };

/** Claims the form key for this post, or reports what an earlier post of the same form did. */
export async function claimPageResult(
  sql: Queryable,
  claim: { userId: string; key: string; realNow: Date },
): Promise<PageClaim> {
  const cutoff = new Date(claim.realNow.getTime() - PAGE_RESULT_TTL_SECONDS * 1000);
  await sql`DELETE FROM page_results WHERE user_id = ${claim.userId} AND created_at < ${cutoff}`;
  const claimed = await sql`
    INSERT INTO page_results (user_id, form_key, state, created_at)
    VALUES (${claim.userId}, ${claim.key}, 'in_flight', ${claim.realNow})
    ON CONFLICT (user_id, form_key) DO NOTHING
    RETURNING form_key`;
  if (claimed.length === 1) return { kind: "claimed" };
  const [row] = await sql<{ state: string; location: string | null }[]>`
    SELECT state, location FROM page_results
    WHERE user_id = ${claim.userId} AND form_key = ${claim.key}`;
  if (row?.state === "done" && row.location) return { kind: "done", location: row.location };
  return row ? { kind: "in_flight" } : { kind: "claimed" };
}

/** Stores the result on the claim. */
export async function completePageResult(
  sql: Queryable,
  claim: { userId: string; key: string },
  result: PageResult,
): Promise<void> {
  await sql`
    UPDATE page_results
    SET state = 'done', location = ${result.location},
        notice = ${JSON.stringify(result.notice)}::text::jsonb,
        secret = ${result.secret ? JSON.stringify(result.secret) : null}::text::jsonb
    WHERE user_id = ${claim.userId} AND form_key = ${claim.key} AND state = 'in_flight'`;
}

/** Gives the key back when the post changed nothing (its form is shown again to correct). */
export async function releasePageResult(
  sql: Queryable,
  claim: { userId: string; key: string },
): Promise<void> {
  await sql`
    DELETE FROM page_results
    WHERE user_id = ${claim.userId} AND form_key = ${claim.key} AND state = 'in_flight'`;
}

/** Reads a done result, clearing its secret's value in the same statement (shown once). */
export async function readPageResult(
  sql: Queryable,
  userId: string,
  key: string,
): Promise<PageResult | undefined> {
  const [row] = await sql<
    { location: string; notice: PageResultBody["notice"]; secret: PageResultBody["secret"] }[]
  >`
    UPDATE page_results p SET secret = old.secret - 'value'
    FROM (SELECT location, notice, secret FROM page_results
          WHERE user_id = ${userId} AND form_key = ${key} AND state = 'done' FOR UPDATE) old
    WHERE p.user_id = ${userId} AND p.form_key = ${key}
    RETURNING old.location, old.notice, old.secret`;
  if (!row) return undefined;
  return { location: row.location, notice: row.notice, secret: row.secret ?? undefined };
}

/** Waits (a few seconds at most) for an in-flight claim to finish; its location, if it did. */
export async function awaitPageResult(
  sql: Queryable,
  claim: { userId: string; key: string },
  tries = 50,
): Promise<string | undefined> {
  for (let i = 0; i < tries; i++) {
    const [row] = await sql<{ state: string; location: string | null }[]>`
      SELECT state, location FROM page_results
      WHERE user_id = ${claim.userId} AND form_key = ${claim.key}`;
    if (!row) return undefined;
    if (row.state === "done" && row.location) return row.location;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}
