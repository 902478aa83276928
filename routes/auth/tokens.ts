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

/** The user id in a valid, unexpired token; anything else is a 401. */
export async function verifyAccessToken(token: string, secret: string): Promise<string> {
  try {
    const payload = await verify(token, secret, { alg: TOKEN_ALGORITHM, exp: true, iat: true });
    if (
      typeof payload.sub !== "string" || !UUID.test(payload.sub) || typeof payload.exp !== "number"
    ) {
      throw new UnauthorizedError();
    }
    return payload.sub;
  } catch {
    throw new UnauthorizedError("The bearer token is invalid or expired");
  }
}
