/**
 * The browser pages: a customer's bank under /app, server-rendered, with htmx. They are a plain
 * Hono sub-app (HTML is not part of the OpenAPI document) calling the same db/ and domain/
 * functions as the JSON API. Unknown paths under /app get an HTML 404; everything else keeps the
 * API's problem+json answers.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { csrf } from "hono/csrf";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { BankError, UnauthorizedError } from "../../domain/errors.ts";
import { errorFragment, errorPage, type ErrorPageData } from "../../views/errors.ts";
import type { Chrome } from "../../views/layout.ts";
import { errorToResponse, problemForBankError } from "../problem.ts";
import { accountPages } from "./accounts.ts";
import { authPages } from "./auth.ts";
import { cardPages } from "./cards.ts";
import { PAGES_PATH } from "./cookies.ts";
import { CsrfError, csrfTokens } from "./csrf.ts";
import { dashboardPages } from "./dashboard.ts";
import { detailPages } from "./details.ts";
import { developerPages } from "./developers.ts";
import type { PageEnv } from "./page_env.ts";
import { paymentPages } from "./payments.ts";
import { loadPageResult } from "./prg.ts";
import { schedulePages } from "./schedules.ts";
import { isHtmx, loadSession, sessionBeforeCsrf } from "./session.ts";
import { staticRoutes } from "./static.ts";
import { transactionPages } from "./transactions.ts";
import { loadToolbar, toolbarPages } from "./toolbar.ts";
import { transferPages } from "./transfers.ts";
import { fxPages } from "./fx.ts";
import { bulkTransferPages } from "./bulk_transfers.ts";

/** The policy every page is served with: our own scripts, styles and forms only. */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join("; ");

const pageHeaders = createMiddleware<PageEnv>(async function pageHeaders(c, next) {
  c.header("content-security-policy", PAGE_CONTENT_SECURITY_POLICY);
  // Pages show balances: never stored by the browser or a proxy.
  c.header("cache-control", "no-store");
  c.header("vary", "HX-Request");
  await next();
});

/** `/` (to the dashboard), `/static/*`, and every page under /app. */
export function pageRoutes() {
  const pages = new Hono<PageEnv>();
  pages.get("/", (c) => c.redirect(PAGES_PATH, 302));
  pages.route("/", staticRoutes());
  for (const path of [PAGES_PATH, `${PAGES_PATH}/*`]) {
    pages.use(
      path,
      pageHeaders,
      csrf(),
      loadSession,
      sessionBeforeCsrf,
      csrfTokens,
      loadPageResult,
      loadToolbar,
    );
  }
  pages.route(PAGES_PATH, authPages());
  pages.route(PAGES_PATH, dashboardPages());
  pages.route(PAGES_PATH, accountPages());
  pages.route(PAGES_PATH, transferPages());
  pages.route(PAGES_PATH, fxPages());
  pages.route(PAGES_PATH, bulkTransferPages());
  pages.route(PAGES_PATH, transactionPages());
  pages.route(PAGES_PATH, paymentPages());
  pages.route(PAGES_PATH, cardPages());
  pages.route(PAGES_PATH, schedulePages());
  pages.route(PAGES_PATH, developerPages());
  pages.route(PAGES_PATH, toolbarPages());
  pages.route(PAGES_PATH, detailPages());
  pages.all(`${PAGES_PATH}/*`, (c) =>
    renderError(c, {
      status: 404,
      title: "Page not found",
      message: "There is no page at this address. It may have moved, or the link is mistyped.",
    }));
  pages.onError(pageError);
  return pages;
}

async function pageError(error: unknown, c: Context<PageEnv>): Promise<Response> {
  if (error instanceof UnauthorizedError) return c.redirect(`${PAGES_PATH}/sign-in`, 303);
  if (error instanceof CsrfError || (error instanceof HTTPException && error.status === 403)) {
    return renderError(c, {
      status: 403,
      title: "This form has expired",
      message: new CsrfError().message,
    });
  }
  if (error instanceof BankError) {
    const problem = problemForBankError(error);
    const title = problem.status === 404 ? "Not found" : problem.title;
    const message = problem.status === 404
      ? `${error.message}. It does not exist, or it is not yours.`
      : error.message;
    return renderError(c, { status: problem.status, title, message });
  }
  // Logged with an error id by the API's own handler; the page shows the id, never the error.
  const response = errorToResponse(error, c.var.deps.log, c.req.raw);
  const problem = await response.json() as { status: number; detail: string };
  return renderError(c, {
    status: problem.status,
    title: problem.status === 503 ? "The bank is briefly unavailable" : "Something went wrong",
    message: problem.detail,
  });
}

function renderError(c: Context<PageEnv>, error: ErrorPageData): Response | Promise<Response> {
  const status = error.status as 400;
  if (isHtmx(c)) return c.html(errorFragment(error), status);
  const chrome: Chrome = {
    title: error.title,
    csrfToken: c.var.csrfToken ?? "",
    user: c.var.userName ? { name: c.var.userName } : undefined,
  };
  return c.html(errorPage(chrome, error), status);
}
