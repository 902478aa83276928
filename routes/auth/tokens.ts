/**
 * Access tokens: HS256 JWTs with `sub`, `exp` (always set), `sid` (the session, which a sign-out
 * revokes), `gen` (the user's token generation, which a password change moves on) and
 * `auth_time` (when the session signed in: the cap of the dashboard's sliding session). The
 * signature only proves what a token says; whether it still counts is the database's answer
 * (require_user.ts), asked on every request.
 */
import { sign, verify } from "hono/jwt";
import { UnauthorizedError } from "../../domain/errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The one algorithm accepted; a token naming any other (including "none") is refused. */
export const TOKEN_ALGORITHM = "HS256";

/** What a valid access token says, in JWT claim names; times are epoch seconds. */
export interface AccessClaims {
  sub: string;
  sid: string;
  gen: number;
  auth_time: number;
  iat: number;
  exp: number;
}

/** Signs `claims` as an access token. */
export async function signAccessToken(claims: AccessClaims, secret: string): Promise<string> {
  return await sign({ ...claims }, secret, TOKEN_ALGORITHM);
}

/** Issues a token for a new session of `userId`, valid for `ttlSeconds` from `now`. */
export async function issueAccessToken(
  userId: string,
  options: { secret: string; ttlSeconds: number; now: Date; generation: number },
): Promise<string> {
  const issuedAt = Math.floor(options.now.getTime() / 1000);
  return await signAccessToken({
    sub: userId,
    sid: crypto.randomUUID(),
    gen: options.generation,
    auth_time: issuedAt,
    iat: issuedAt,
    exp: issuedAt + options.ttlSeconds,
  }, options.secret);
}

/**
 * Tokens already verified, by secret and text: HMAC and key import cost more than anything else a
 * request does before the database, and a client sends its one token with every request. An entry
 * holds only what the signature proved (the claims), is dropped when its token expires, and the
 * oldest entries go first past the bound. Nothing is cached for a token that failed, and nothing
 * about revocation is cached at all: that is asked of the database every time.
 */
const verifiedTokens = new Map<string, AccessClaims>();
const VERIFIED_TOKENS_MAX = 10_000;

/**
 * The claims of a validly signed token, current at `now` (the injected clock the token was issued
 * on: its `iat` not after it, its `exp` after it); anything else is a 401. hono/jwt would judge
 * both by the wall clock, so its time checks are off and made here.
 */
export async function verifyAccessToken(
  token: string,
  options: { secret: string; now: Date },
): Promise<AccessClaims> {
  const { secret } = options;
  const nowSeconds = Math.floor(options.now.getTime() / 1000);
  const cacheKey = `${secret}\n${token}`;
  const known = verifiedTokens.get(cacheKey);
  if (known) {
    if (currentAt(known, nowSeconds)) return known;
    // Expired for good; one issued ahead of this instance's clock may be verified again later.
    if (known.exp <= nowSeconds) verifiedTokens.delete(cacheKey);
    throw new UnauthorizedError("The bearer token is invalid or expired");
  }
  let claims: AccessClaims;
  try {
    const payload = await verify(token, secret, {
      alg: TOKEN_ALGORITHM,
      exp: false,
      iat: false,
      nbf: false,
    });
    const parsed = accessClaims(payload);
    if (!parsed || !currentAt(parsed, nowSeconds)) throw new UnauthorizedError();
    claims = parsed;
  } catch {
    throw new UnauthorizedError("The bearer token is invalid or expired");
  }
  if (verifiedTokens.size >= VERIFIED_TOKENS_MAX) {
    verifiedTokens.delete(verifiedTokens.keys().next().value!);
  }
  verifiedTokens.set(cacheKey, claims);
  return claims;
}

// hono/jwt's own rule, on the injected clock: expired once `exp` is not after the current second,
// and not yet valid while `iat` is after it.
function currentAt(claims: AccessClaims, nowSeconds: number): boolean {
  return claims.exp > nowSeconds && claims.iat <= nowSeconds;
}

// Every claim present and of its type; a token from before sessions existed (no sid) is refused.
function accessClaims(payload: Record<string, unknown>): AccessClaims | undefined {
  const { sub, sid, gen, auth_time, iat, exp } = payload;
  const isTime = (value: unknown): value is number => Number.isSafeInteger(value);
  if (typeof sub !== "string" || !UUID.test(sub)) return undefined;
  if (typeof sid !== "string" || !UUID.test(sid)) return undefined;
  if (!isTime(gen) || gen < 0 || !isTime(auth_time) || !isTime(iat) || !isTime(exp)) {
    return undefined;
  }
  return { sub, sid, gen, auth_time, iat, exp };
}
