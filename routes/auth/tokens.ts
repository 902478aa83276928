/** Access tokens: HS256 JWTs with `sub` and an `exp` that is always set. */
import { sign, verify } from "hono/jwt";
import { UnauthorizedError } from "../../domain/errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The one algorithm accepted; a token naming any other (including "none") is refused. */
export const TOKEN_ALGORITHM = "HS256";

/** Issues an access token for `userId`, valid for `ttlSeconds` from `now`. */
export async function issueAccessToken(
  userId: string,
  options: { secret: string; ttlSeconds: number; now: Date },
): Promise<string> {
  const issuedAt = Math.floor(options.now.getTime() / 1000);
  return await sign(
    { sub: userId, iat: issuedAt, exp: issuedAt + options.ttlSeconds },
    options.secret,
    TOKEN_ALGORITHM,
  );
}

/**
 * Tokens already verified, by secret and text: HMAC and key import cost more than anything else a
 * request does before the database, and a client sends its one token with every request. An entry
 * holds only what the signature proved (the subject and expiry), is dropped when its token expires,
 * and the oldest entries go first past the bound. Nothing is cached for a token that failed.
 */
const verifiedTokens = new Map<string, { sub: string; exp: number }>();
const VERIFIED_TOKENS_MAX = 10_000;

/** The user id in a valid, unexpired token; anything else is a 401. */
export async function verifyAccessToken(token: string, secret: string): Promise<string> {
  const cacheKey = `${secret}\n${token}`;
  const known = verifiedTokens.get(cacheKey);
  if (known) {
    // hono/jwt's own test: a token is expired once `exp` is not after the current second.
    if (known.exp > Math.floor(Date.now() / 1000)) return known.sub;
    verifiedTokens.delete(cacheKey);
    throw new UnauthorizedError("The bearer token is invalid or expired");
  }
  let claims: { sub: string; exp: number };
  try {
    const payload = await verify(token, secret, { alg: TOKEN_ALGORITHM, exp: true, iat: true });
    if (
      typeof payload.sub !== "string" || !UUID.test(payload.sub) || typeof payload.exp !== "number"
    ) {
      throw new UnauthorizedError();
    }
    claims = { sub: payload.sub, exp: payload.exp };
  } catch {
    throw new UnauthorizedError("The bearer token is invalid or expired");
  }
  if (verifiedTokens.size >= VERIFIED_TOKENS_MAX) {
    verifiedTokens.delete(verifiedTokens.keys().next().value!);
  }
  verifiedTokens.set(cacheKey, claims);
  return claims.sub;
}
