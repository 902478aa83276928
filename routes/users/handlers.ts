/** Handlers for registration, login and profiles. */
import { changePasswordHash } from "../../db/sessions.ts";
import { findUser } from "../../db/users.ts";
import {
  BankError,
  InsufficientScopeError,
  NotFoundError,
  UnauthorizedError,
} from "../../domain/errors.ts";
import { hashPassword } from "../../domain/passwords.ts";
import { clientAddress } from "../client_address.ts";
import type { AppRouteHandler, Credential } from "../app_env.ts";
import { checkCredentials, registerCustomer } from "../auth/credentials.ts";
import { endAccessSession } from "../auth/sessions.ts";
import { type AccessClaims, issueAccessToken } from "../auth/tokens.ts";
import type {
  ChangePasswordRoute,
  CreateUserRoute,
  GetUserRoute,
  LoginRoute,
  LogoutRoute,
  MeRoute,
  RegisterRoute,
} from "./routes.ts";
import { toUserJson } from "./schemas.ts";

export const register: AppRouteHandler<RegisterRoute | CreateUserRoute> = async (c) => {
  const user = await registerCustomer(c.var.deps, c.req.valid("json"), clientAddress(c));
  return c.json(toUserJson(user), 201);
};

export const login: AppRouteHandler<LoginRoute> = async (c) => {
  const { deps } = c.var;
  const user = await checkCredentials(deps, c.req.valid("json"), clientAddress(c));
  const ttlSeconds = deps.config.accessTokenTtlSeconds;
  const token = await issueAccessToken(user.id, {
    secret: deps.config.jwtSecret,
    ttlSeconds,
    now: deps.clock(),
    generation: user.tokenGeneration,
  });
  return c.json(
    { access_token: token, token_type: "bearer" as const, expires_in: ttlSeconds },
    200,
  );
};

export const me: AppRouteHandler<MeRoute> = async (c) => {
  const user = await findUser(c.var.deps.sql, c.var.userId);
  if (!user) throw new NotFoundError("User");
  return c.json(toUserJson(user), 200);
};

export const getUser: AppRouteHandler<GetUserRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const user = id === c.var.userId ? await findUser(c.var.deps.sql, id) : undefined;
  if (!user) throw new NotFoundError("User");
  return c.json(toUserJson(user), 200);
};

export const logout: AppRouteHandler<LogoutRoute> = async (c) => {
  const { deps } = c.var;
  const claims = sessionClaims(c.var.credential, "log out");
  await endAccessSession(deps, claims);
  return c.body(null, 204);
};

export const changePassword: AppRouteHandler<ChangePasswordRoute> = async (c) => {
  const { deps, userId } = c.var;
  const claims = sessionClaims(c.var.credential, "change the password");
  const input = c.req.valid("json");
  const user = await findUser(deps.sql, userId);
  if (!user) throw new UnauthorizedError("The bearer token names no user of this bank");
  try {
    // The login's own check: failures count toward its throttle, so a stolen token cannot be
    // used to guess the password any faster than the sign-in form allows.
    await checkCredentials(
      deps,
      { email: user.email, password: input.current_password },
      clientAddress(c),
    );
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    // A change made meanwhile with this same token replaced the password this one was checked
    // against: the token is what no longer counts (401), not the password typed (422).
    const now = await findUser(deps.sql, userId);
    if (now?.tokenGeneration !== claims.gen) {
      throw new UnauthorizedError("The bearer token was revoked by a password change");
    }
    throw new BankError("current_password_incorrect", "The current password is incorrect");
  }
  const passwordHash = await hashPassword(input.new_password, deps.config.passwordHash);
  // Keyed on this token's generation: a second change made with the same token finds it gone.
  if (!await changePasswordHash(deps.sql, { id: userId, generation: claims.gen, passwordHash })) {
    throw new UnauthorizedError("The bearer token was revoked by a password change");
  }
  deps.log("info", "password_changed", { user_id: userId });
  return c.body(null, 204);
};

// Logging out and changing the password are a signed-in person's acts: an API key is refused.
function sessionClaims(credential: Credential, act: string): AccessClaims {
  if (credential.kind === "access_token") return credential.claims;
  throw new InsufficientScopeError(
    undefined,
    `An API key cannot ${act}: send an access token from POST /auth/login`,
  );
}
