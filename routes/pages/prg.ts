/**
 * Post/Redirect/Get for every plain page form. `pageAction` claims the rendered form's key
 * (its hidden idempotency field), runs the action once, stores what to show, and answers 303 to
 * `location?done=<key>`; the GET there shows the notice (`loadPageResult` reads it into the page's
 * chrome). A reload shows the result again instead of posting; Back goes to a page that was got,
 * not posted; a second post of the same rendered form — a double click, a resubmission — runs
 * nothing and is sent to the first one's result. Input the user must correct is answered in place
 * (a `Response` from the action): nothing happened, so the key is given back.
 *
 * The same key is handed to the operation (`pageContext`), so a money movement is also protected
 * by the API's own Idempotency-Key store.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import {
  awaitPageResult,
  claimPageResult,
  completePageResult,
  type PageResult,
  type PageResultBody,
  readPageResult,
  releasePageResult,
} from "../../db/page_results.ts";
import { IDEMPOTENCY_KEY_FIELD } from "../../views/layout.ts";
import type { PageEnv } from "./page_env.ts";

/** The query parameter naming the form whose result a page shows. */
export const DONE_PARAM = "done";

const KEY_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;

/** What an action did: shown after the redirect (to `location`, else the action's default). */
export interface ActionDone extends PageResultBody {
  location?: string;
}

/**
 * Runs a form's action at most once per rendered form and redirects to its result. `run`
 * returns the result to show, or a Response (the form again, to correct) when nothing happened.
 */
export async function pageAction(
  c: Context<PageEnv>,
  fields: Record<string, string>,
  location: string,
  run: () => Promise<ActionDone | Response>,
): Promise<Response> {
  const { deps, userId } = c.var;
  const sent = fields[IDEMPOTENCY_KEY_FIELD] ?? "";
  // A form without its key (an old page, a hand-made post) still gets PRG, just no dedupe.
  const key = KEY_PATTERN.test(sent) ? sent : crypto.randomUUID();
  const claim = { userId, key };
  const found = await claimPageResult(deps.sql, { ...claim, realNow: deps.clock() });
  if (found.kind === "done") return redirectToResult(c, found.location, key);
  if (found.kind === "in_flight") {
    // The first post of this form is still running: wait for it, and show its result.
    const done = await awaitPageResult(deps.sql, claim);
    return done ? redirectToResult(c, done, key) : c.redirect(location, 303);
  }
  let answer: ActionDone | Response;
  try {
    answer = await run();
  } catch (error) {
    await releasePageResult(deps.sql, claim);
    throw error;
  }
  if (answer instanceof Response) {
    await releasePageResult(deps.sql, claim);
    return answer;
  }
  const result: PageResult = { ...answer, location: answer.location ?? location };
  await completePageResult(deps.sql, claim, result);
  return redirectToResult(c, result.location, key);
}

function redirectToResult(c: Context<PageEnv>, location: string, key: string): Response {
  const url = new URL(location, "http://page");
  url.searchParams.set(DONE_PARAM, key);
  return c.redirect(`${url.pathname}${url.search}#page-result`, 303);
}

/** On a GET with `?done=<key>`, the stored result into `pageResult` for the page's chrome. */
export const loadPageResult = createMiddleware<PageEnv>(async function loadPageResult(c, next) {
  c.set("pageResult", undefined);
  const key = c.req.query(DONE_PARAM);
  const userId = c.var.sessionUserId;
  if (c.req.method === "GET" && key && userId && KEY_PATTERN.test(key)) {
    const result = await readPageResult(c.var.deps.sql, userId, key);
    if (result) {
      c.set("pageResult", { notice: result.notice, secret: result.secret });
    }
  }
  await next();
});
