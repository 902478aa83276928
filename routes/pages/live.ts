/**
 * The server side of live regions (views/live.ts): a region's version is a digest of the state it
 * shows, and a poll naming the current version is answered 204 without rendering anything.
 */
import type { Context } from "hono";
import type { PageEnv } from "./page_env.ts";

/** True for a live region's poll: background refresh, which does not keep a session alive. */
export function isLivePoll(path: string): boolean {
  return path.endsWith("/live");
}

/** A short digest of `state` (bigints as decimal strings): equal states, equal versions. */
export async function versionOf(state: unknown): Promise<string> {
  const text = JSON.stringify(
    state,
    (_key, value) => typeof value === "bigint" ? `${value}` : value,
  );
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest).slice(0, 12), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/** 204 when the poll names `version` (nothing changed); else the region from `render`. */
export async function liveAnswer(
  c: Context<PageEnv>,
  version: string,
  render: () => ReturnType<Context["html"]> | Promise<Response>,
): Promise<Response> {
  if (c.req.query("v") === version) return c.body(null, 204);
  return await render();
}
