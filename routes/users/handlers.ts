/** Handlers for registration, login and profiles. */
import { findUser } from "../../db/users.ts";
import { NotFoundError } from "../../domain/errors.ts";
import { clientAddress } from "../client_address.ts";
import type { AppRouteHandler } from "../app_env.ts";
import { checkCredentials, registerCustomer } from "../auth/credentials.ts";
import { issueAccessToken } from "../auth/tokens.ts";
import type {
  CreateUserRoute,
  GetUserRoute,
  LoginRoute,
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
