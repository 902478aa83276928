/**
 * Sessions: how long an access token lives, when the dashboard's slides, and how long a sign-out
 * must be remembered. Times are epoch seconds, as in JWT claims.
 */

/** A dashboard token younger than this is not reissued: at most one new cookie a minute. */
export const SESSION_REFRESH_SECONDS = 60;

/**
 * Extra time a sign-out is remembered past the last expiry a token of the session could have: a
 * request that passed its check just before the sign-out may still reissue the dashboard's
 * cookie, for as long as a request may run (10 s), and instances' clocks may differ a little.
 */
export const REVOCATION_MARGIN_SECONDS = 120;

/** The expiry of a dashboard token issued at `now`: idle time from now, capped from sign-in. */
export function slidingExpiry(
  nowSeconds: number,
  authTimeSeconds: number,
  limits: { idleSeconds: number; maxSeconds: number },
): number {
  return Math.min(nowSeconds + limits.idleSeconds, authTimeSeconds + limits.maxSeconds);
}

/** True when a live dashboard token should be replaced by a fresh one (activity slides it). */
export function shouldSlide(
  token: { iat: number; exp: number },
  nowSeconds: number,
  limits: { idleSeconds: number; maxSeconds: number; authTimeSeconds: number },
): boolean {
  if (nowSeconds - token.iat < SESSION_REFRESH_SECONDS) return false;
  return slidingExpiry(nowSeconds, limits.authTimeSeconds, limits) > token.exp;
}

/**
 * Until when a signed-out session must stay refused: past the presented token's expiry and past
 * any token the session could still be given (a lifetime from now), plus the margin.
 */
export function revokedUntilSeconds(
  tokenExpSeconds: number,
  nowSeconds: number,
  lifetimeMaxSeconds: number,
): number {
  return Math.max(tokenExpSeconds, nowSeconds + lifetimeMaxSeconds) + REVOCATION_MARGIN_SECONDS;
}
