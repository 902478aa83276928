/** Users and credentials on the wire. */
import { z } from "@hono/zod-openapi";
import { text } from "../schemas.ts";

/** A user as the API shows one: never a password or its hash. */
export const UserSchema = z.object({
  id: z.uuid(),
  name: z.string().openapi({ example: "Thandi Nkosi" }),
  email: z.string().openapi({ example: "thandi@example.com" }),
  created_at: z.string().openapi({ example: "2026-11-24T10:00:00.000Z" }),
}).openapi("User");

/** Registration input. */
export const RegisterSchema = z.strictObject({
  name: text().trim().min(1).max(200).openapi({ example: "Thandi Nkosi" }),
  email: z.email().max(320).refine((value) => !value.includes("\u0000")).openapi({
    example: "thandi@example.com",
  }),
  password: text().min(8).max(1024).openapi({ example: "correct horse battery" }),
}).openapi("Register");

/** Login input. */
export const LoginSchema = z.strictObject({
  email: text().min(1).max(320).openapi({ example: "thandi@example.com" }),
  password: text().min(1).max(1024).openapi({ example: "correct horse battery" }),
}).openapi("Login");

/** Changing the password: the current one proves it is the user, not a stolen token. */
export const ChangePasswordSchema = z.strictObject({
  current_password: text().min(1).max(1024).openapi({ example: "correct horse battery" }),
  new_password: text().min(8).max(1024).openapi({ example: "a different long password" }),
}).openapi("ChangePassword");

/** A bearer token. */
export const TokenSchema = z.object({
  access_token: z.string(),
  token_type: z.literal("bearer"),
  expires_in: z.number().int().openapi({ example: 900 }),
}).openapi("AccessToken");

/** A user row on the wire. */
export function toUserJson(user: { id: string; name: string; email: string; createdAt: Date }) {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    created_at: user.createdAt.toISOString(),
  };
}
