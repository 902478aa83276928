/** Ending a session: shared by the API's logout and the dashboard's sign-out. */
import { revokeSession } from "../../db/sessions.ts";
import { revokedUntilSeconds } from "../../domain/sessions.ts";
import type { AppDeps } from "../app_env.ts";
import type { AccessClaims } from "./tokens.ts";

/** Revokes the session these claims belong to, for as long as any token of it could live. */
export async function endAccessSession(deps: AppDeps, claims: AccessClaims): Promise<void> {
  const now = deps.clock();
  const { accessTokenTtlSeconds, session } = deps.config;
  const untilSeconds = revokedUntilSeconds(
    claims.exp,
    Math.floor(now.getTime() / 1000),
    Math.max(accessTokenTtlSeconds, session.idleSeconds),
  );
  await revokeSession(deps.sql, {
    userId: claims.sub,
    sessionId: claims.sid,
    now,
    expiresAt: new Date(untilSeconds * 1000),
  });
  deps.log("info", "session_ended", { user_id: claims.sub });
}
