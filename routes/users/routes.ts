/** The routes of registration, login and the user's own profile. */
import { createRoute } from "@hono/zod-openapi";
import { IdParams, jsonBody, jsonResponse, problemResponseDoc, problems } from "../schemas.ts";
import { requireUser } from "../auth/require_user.ts";
import {
  ChangePasswordSchema,
  LoginSchema,
  RegisterSchema,
  TokenSchema,
  UserSchema,
} from "./schemas.ts";

const registerResponses = {
  201: jsonResponse(UserSchema, "The new user"),
  400: problems[400],
  409: problems[409],
  429: problems[429],
};

export const register = createRoute({
  method: "post",
  path: "/auth/register",
  tags: ["Auth"],
  summary: "Register a user",
  description:
    "Creates a customer. The email must be unused (409 otherwise); the password is stored " +
    "only as an argon2id hash and never answered.",
  request: { body: jsonBody(RegisterSchema) },
  responses: registerResponses,
});
export type RegisterRoute = typeof register;

export const createUser = createRoute({
  method: "post",
  path: "/users",
  tags: ["Auth"],
  summary: "Register a user (the seed's endpoint; same as /auth/register)",
  request: { body: jsonBody(RegisterSchema) },
  responses: registerResponses,
});
export type CreateUserRoute = typeof createUser;

export const login = createRoute({
  method: "post",
  path: "/auth/login",
  tags: ["Auth"],
  summary: "Log in for an access token",
  description:
    "Answers a JWT to send as `Authorization: Bearer <access_token>`; it expires after " +
    "`expires_in` seconds. A wrong email or password is the same 401.",
  request: { body: jsonBody(LoginSchema) },
  responses: {
    200: jsonResponse(TokenSchema, "A bearer token"),
    400: problems[400],
    401: problems[401],
    429: problems[429],
  },
});
export type LoginRoute = typeof login;

export const logout = createRoute({
  method: "post",
  path: "/auth/logout",
  tags: ["Auth"],
  summary: "Log out: this access token stops working at once, on every instance",
  description:
    "Revokes the session of the access token sent (the API's and the dashboard's alike); the " +
    "user's other sessions go on. An API key cannot log out (403 `insufficient_scope`): revoke " +
    "it with `DELETE /api_keys/{id}`.",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  responses: {
    204: { description: "Logged out" },
    401: problems[401],
    403: problemResponseDoc(403, "An API key was sent: only an access token logs out"),
  },
});
export type LogoutRoute = typeof logout;

export const changePassword = createRoute({
  method: "post",
  path: "/auth/password",
  tags: ["Auth"],
  summary: "Change the password: every token issued before stops working",
  description:
    "Needs the current password (422 `current_password_incorrect` otherwise; failures count " +
    "toward the login throttle, 429). Every access token issued before, this one included, and " +
    "every dashboard session stop working at once; log in again. API keys are not affected: " +
    "list and revoke them under /api_keys. An API key cannot change the password (403).",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(ChangePasswordSchema) },
  responses: {
    204: { description: "Changed; log in again with the new password" },
    400: problems[400],
    401: problems[401],
    403: problemResponseDoc(403, "An API key was sent: only an access token changes the password"),
    422: problemResponseDoc(422, "The current password is incorrect"),
    429: problems[429],
  },
});
export type ChangePasswordRoute = typeof changePassword;

export const me = createRoute({
  method: "get",
  path: "/users/me",
  tags: ["Users"],
  summary: "The authenticated user",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  responses: { 200: jsonResponse(UserSchema, "You"), 401: problems[401] },
});
export type MeRoute = typeof me;

export const getUser = createRoute({
  method: "get",
  path: "/users/{id}",
  tags: ["Users"],
  summary: "A user by id (yourself only; others are 404)",
  middleware: [requireUser] as const,
  security: [{ bearerAuth: [] }],
  request: { params: IdParams },
  responses: {
    200: jsonResponse(UserSchema, "The user"),
    400: problems[400],
    401: problems[401],
    404: problems[404],
  },
});
export type GetUserRoute = typeof getUser;
