/** Sign in, register and sign out: the API's own credential checks, with a session cookie. */
import { Hono } from "hono";
import { findLogin } from "../../db/users.ts";
import { DEMO_CUSTOMER } from "../../db/seed.ts";
import { ConflictError, RateLimitedError, UnauthorizedError } from "../../domain/errors.ts";
import { clientAddress } from "../client_address.ts";
import { registerPage, signInPage } from "../../views/auth.ts";
import { checkCredentials, registerCustomer } from "../auth/credentials.ts";
import { LoginSchema, RegisterSchema } from "../users/schemas.ts";
import { fieldMessages, formFields } from "./forms.ts";
import type { PageEnv } from "./page_env.ts";
import { endSession, safeNextPath, startSession } from "./session.ts";

// Plain words for what each register field needs (zod's own messages are for developers).
const REGISTER_MESSAGES: Record<string, string> = {
  name: "Enter your name (up to 200 characters).",
  email: "Enter a valid email address, like name@example.com.",
  password: "That password is too short.",
};

/** The pages that start and end a session. */
export function authPages() {
  return new Hono<PageEnv>()
    .get("/sign-in", async (c) => {
      if (c.var.sessionUserId) return c.redirect("/app", 303);
      const notice = c.req.query("expired")
        ? "Your session expired. Sign in again to continue."
        : c.req.query("signed_out")
        ? "You have signed out."
        : undefined;
      return c.html(signInPage({
        csrfToken: c.var.csrfToken,
        notice,
        next: c.req.query("next") ? safeNextPath(c.req.query("next")) : undefined,
        demo: await demoCredentials(c.var.deps),
      }));
    })
    .post("/sign-in", async (c) => {
      const fields = await formFields(c);
      // The API's strict schema takes the API's fields only: the form also carries _csrf and next.
      const parsed = LoginSchema.safeParse({ email: fields.email, password: fields.password });
      try {
        if (!parsed.success) throw new UnauthorizedError("Enter your email and password.");
        const user = await checkCredentials(c.var.deps, parsed.data, clientAddress(c));
        await startSession(c, user);
        return c.redirect(safeNextPath(fields.next), 303);
      } catch (error) {
        if (error instanceof RateLimitedError) {
          c.header("retry-after", String(error.retryAfterSeconds));
          return c.html(
            signInPage({
              csrfToken: c.var.csrfToken,
              email: fields.email,
              error: `Too many failed sign-ins. Try again in ${
                Math.ceil(error.retryAfterSeconds / 60)
              } minute(s).`,
              next: fields.next ? safeNextPath(fields.next) : undefined,
              demo: await demoCredentials(c.var.deps),
            }),
            429,
          );
        }
        if (!(error instanceof UnauthorizedError)) throw error;
        return c.html(
          signInPage({
            csrfToken: c.var.csrfToken,
            email: fields.email,
            error: parsed.success ? "The email or password is incorrect." : error.message,
            next: fields.next ? safeNextPath(fields.next) : undefined,
            demo: await demoCredentials(c.var.deps),
          }),
          401,
        );
      }
    })
    .get("/register", (c) => {
      if (c.var.sessionUserId) return c.redirect("/app", 303);
      return c.html(registerPage({ csrfToken: c.var.csrfToken }));
    })
    .post("/register", async (c) => {
      const fields = await formFields(c);
      const values = { name: fields.name, email: fields.email };
      const parsed = RegisterSchema.safeParse({ ...values, password: fields.password });
      if (!parsed.success) {
        const errors = Object.fromEntries(
          Object.keys(fieldMessages(parsed.error.issues)).map((field) => [
            field,
            REGISTER_MESSAGES[field] ?? "Check this field.",
          ]),
        );
        return c.html(registerPage({ csrfToken: c.var.csrfToken, values, errors }), 400);
      }
      try {
        const user = await registerCustomer(c.var.deps, parsed.data, clientAddress(c));
        await startSession(c, user);
        return c.redirect("/app", 303);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        const errors = { email: "A profile with this email already exists. Sign in instead." };
        return c.html(registerPage({ csrfToken: c.var.csrfToken, values, errors }), 409);
      }
    })
    .post("/sign-out", async (c) => {
      await endSession(c);
      return c.redirect("/app/sign-in?signed_out=1", 303);
    });
}

// The demo customer is shown on the sign-in page only in development, and only if it exists.
async function demoCredentials(deps: PageEnv["Variables"]["deps"]) {
  if (deps.config.env !== "development") return undefined;
  const demo = await findLogin(deps.sql, DEMO_CUSTOMER.email);
  return demo ? { email: DEMO_CUSTOMER.email, password: DEMO_CUSTOMER.password } : undefined;
}
