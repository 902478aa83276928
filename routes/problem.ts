/**
 * RFC 9457 problem details: the one error shape. Bank errors carry a stable `code`; this file is
 * the one table from codes to HTTP statuses.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { isConnectionFailure } from "../db/connection_failures.ts";
import {
  BankError,
  InsufficientScopeError,
  InvalidInputError,
  RateLimitedError,
  RefusedError,
  UnavailableError,
} from "../domain/errors.ts";
import type { Logger } from "./logger.ts";

/** The problem+json body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: Record<string, string[]>;
  transaction_id?: string;
  [extension: string]: unknown;
}

const STATUS_BY_CODE: Record<string, number> = {
  validation_error: 400,
  malformed_json: 400,
  unauthorized: 401,
  csrf_failed: 403,
  forbidden: 403,
  insufficient_scope: 403,
  not_found: 404,
  method_not_allowed: 405,
  email_taken: 409,
  idempotency_key_in_flight: 409,
  conflict: 409,
  payment_not_pending: 409,
  return_window_closed: 409,
  hold_not_active: 409,
  hold_managed_by_card: 409,
  card_cancelled: 409,
  authorization_not_pending: 409,
  authorization_not_due: 409,
  reversal_exceeds_authorization: 409,
  schedule_not_active: 409,
  schedule_run_not_due: 409,
  debit_order_not_due: 409,
  debit_order_not_collected: 409,
  dispute_window_closed: 409,
  clock_behind: 409,
  clock_full: 409,
  account_already_closed: 409,
  holds_active: 409,
  balance_not_zero: 409,
  payments_pending: 409,
  fx_quote_used: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  insufficient_funds: 422,
  same_account: 422,
  currency_mismatch: 422,
  fraud_rejected: 422,
  clock_mismatch: 422,
  balance_limit: 422,
  account_frozen: 422,
  account_closed: 422,
  capture_exceeds_authorization: 422,
  refund_exceeds_capture: 422,
  fx_quote_expired: 422,
  fx_quote_mismatch: 422,
  fx_amount_mismatch: 422,
  unsupported_currency_pair: 422,
  amount_too_small: 422,
  batch_rejected: 422,
  idempotency_key_reused: 422,
  api_key_limit: 422,
  account_limit: 422,
  webhook_endpoint_limit: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** The realm named by every WWW-Authenticate challenge. */
export const BEARER_REALM = 'realm="bank-api-sandbox"';

/** The HTTP status for a bank error code (422 for any refusal code not listed). */
export function statusForCode(code: string): number {
  return STATUS_BY_CODE[code] ?? 422;
}

/** Builds a problem body. `type` is a URN naming the code: stable, and not a link that can rot. */
export function problemBody(
  status: number,
  code: string,
  detail: string,
  extensions: Partial<Problem> = {},
): Problem {
  return {
    type: `urn:bank-api-sandbox:problem:${code}`,
    title: TITLES[status] ?? "Error",
    status,
    detail,
    code,
    ...extensions,
  };
}

/** A problem+json Response. */
export function problemResponse(
  problem: Problem,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}

/** The problem for a bank error. */
export function problemForBankError(error: BankError): Problem {
  const status = statusForCode(error.code);
  if (error instanceof InvalidInputError) {
    return problemBody(status, error.code, `Invalid request: ${error.message}`, {
      errors: { [error.field]: [error.problem] },
    });
  }
  if (error instanceof RefusedError && error.transactionId) {
    return problemBody(status, error.code, error.message, {
      transaction_id: error.transactionId,
      reason: error.reason,
    });
  }
  return problemBody(status, error.code, error.message);
}

/** The most fields one 400 names; a body of thousands of unknown keys gets a bounded answer. */
export const PROBLEM_FIELDS_MAX = 50;

// What an unknown key is, by where the request carried it.
const UNKNOWN_KEY_MESSAGES: Record<string, string> = {
  query: "is not a query parameter of this operation",
};
const UNKNOWN_FIELD_MESSAGE = "is not a field of this operation";

/**
 * 400 with per-field messages from a zod validation failure. An unknown key (a strict schema's
 * `unrecognized_keys`) is named as its own field, `counterparty.bogus` when nested, so the client
 * sees which of its fields was refused; `target` says where it was ("json", "query").
 */
export function validationProblem(c: Context, error: ZodError, target = "json"): Response {
  // A Map, not an object: a client's key may be `__proto__` or `constructor`.
  const errors = new Map<string, string[]>();
  let more = 0;
  const add = (field: string, message: string) => {
    const messages = errors.get(field);
    if (messages) messages.push(message);
    else if (errors.size < PROBLEM_FIELDS_MAX) errors.set(field, [message]);
    else more++;
  };
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const message = UNKNOWN_KEY_MESSAGES[target] ?? UNKNOWN_FIELD_MESSAGE;
      for (const key of issue.keys) add([...issue.path, key].join("."), message);
    } else {
      add(issue.path.length > 0 ? issue.path.join(".") : "body", issue.message);
    }
  }
  const fields = [...errors.keys()].join(", ") + (more > 0 ? ` and ${more} more` : "");
  c.header("content-type", "application/problem+json");
  return problemResponse(
    problemBody(400, "validation_error", `Invalid request: check ${fields}`, {
      errors: Object.fromEntries(errors),
    }),
  );
}

// PostgreSQL text cannot hold U+0000 (22021) nor characters its encoding lacks (22P05): the
// client's text is at fault, wherever in the request it was.
function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === "22021" || code === "22P05";
}

/** Turns any thrown value into a problem Response; unexpected ones are logged with an opaque id. */
export function errorToResponse(error: unknown, log: Logger, request: Request): Response {
  if (error instanceof RateLimitedError) {
    return problemResponse(problemForBankError(error), {
      "retry-after": String(error.retryAfterSeconds),
    });
  }
  if (error instanceof UnavailableError) {
    log("warn", "service_unavailable", { reason: error.message });
    return problemResponse(problemForBankError(error), { "retry-after": "1" });
  }
  if (error instanceof InsufficientScopeError) {
    // RFC 6750 §3.1: the scope the request needed, beside the problem.
    const scope = error.scope ? `, scope="${error.scope}"` : "";
    return problemResponse(problemForBankError(error), {
      "www-authenticate": `Bearer ${BEARER_REALM}, error="insufficient_scope"${scope}`,
    });
  }
  if (error instanceof BankError) return problemResponse(problemForBankError(error));
  if (isUnstorableText(error)) {
    return problemResponse(
      problemBody(400, "validation_error", "Invalid request: text holds a character not allowed", {
        errors: { body: ["holds a character that cannot be stored"] },
      }),
    );
  }
  // An exception carrying its own answer (a simulated fault's) is answered with it, as it is.
  if (error instanceof HTTPException) return error.res ?? httpExceptionProblem(error);
  if (isConnectionFailure(error)) {
    log("warn", "database_unavailable", { code: (error as { code?: string }).code });
    return problemResponse(
      problemBody(503, "service_unavailable", "The bank's database is unavailable; retry shortly"),
      { "retry-after": "1" },
    );
  }
  const errorId = crypto.randomUUID();
  log("error", "unhandled_error", {
    error_id: errorId,
    method: request.method,
    path: new URL(request.url).pathname,
    ...describeError(error),
  });
  return problemResponse(
    problemBody(500, "internal_error", `An unexpected error occurred (error id ${errorId})`, {
      error_id: errorId,
    }),
  );
}

function httpExceptionProblem(error: HTTPException): Response {
  const status = error.status;
  if (status === 400) {
    return problemResponse(
      problemBody(400, "malformed_json", "The request body is not valid JSON", {
        errors: { body: ["is not valid JSON"] },
      }),
    );
  }
  if (status === 401) {
    return problemResponse(problemBody(401, "unauthorized", "A valid bearer token is required"));
  }
  if (status === 413) {
    return problemResponse(
      problemBody(413, "payload_too_large", "The request body is larger than allowed"),
    );
  }
  if (status === 415) {
    return problemResponse(
      problemBody(415, "unsupported_media_type", "Send the body as application/json"),
    );
  }
  if (status === 503) {
    return problemResponse(
      problemBody(503, "service_unavailable", "The request took too long; retry shortly"),
      { "retry-after": "1" },
    );
  }
  return problemResponse(problemBody(status, "http_error", TITLES[status] ?? "Request failed"));
}

// What is safe to log of an unexpected error: its class and codes, never its message when it
// came from the database (PostgreSQL messages quote the offending values).
function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error_type: typeof error };
  const { code, constraint_name, table_name } = error as {
    code?: string;
    constraint_name?: string;
    table_name?: string;
  };
  const fromDatabase = error.name === "PostgresError" || typeof code === "string";
  return {
    error_name: error.name,
    ...(code ? { code } : {}),
    ...(constraint_name ? { constraint: constraint_name } : {}),
    ...(table_name ? { table: table_name } : {}),
    ...(fromDatabase ? {} : { message: error.message.slice(0, 200) }),
  };
}
