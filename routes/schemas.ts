/** Schemas shared across resources: the problem shape, ids, amounts, and error responses. */
import { z } from "@hono/zod-openapi";
import { type Problem, problemBody } from "./problem.ts";

/** RFC 9457 problem details as this API sends them. */
export const ProblemSchema = z.object({
  type: z.string().openapi({ example: "urn:bank-api-sandbox:problem:insufficient_funds" }),
  title: z.string().openapi({ example: "Unprocessable Content" }),
  status: z.number().int().openapi({ example: 422 }),
  detail: z.string().openapi({
    example: "Cannot transfer 900.00 ZAR: the available balance is 300.00 ZAR",
  }),
  code: z.string().openapi({ example: "insufficient_funds" }),
  errors: z.record(z.string(), z.array(z.string())).optional().openapi({
    example: { amount: ["has more than 2 decimal places for ZAR"] },
  }),
  transaction_id: z.uuid().optional(),
}).catchall(z.unknown()).openapi("Problem");

// One example per status, built by the same function that builds the real answers.
const PROBLEM_EXAMPLES: Record<number, Problem> = {
  400: problemBody(400, "validation_error", "Invalid request: check amount", {
    errors: { amount: ["has more than 2 decimal places for ZAR"] },
  }),
  401: problemBody(401, "unauthorized", "A valid bearer token is required"),
  403: problemBody(403, "forbidden", "You may not do this"),
  404: problemBody(404, "not_found", "Account not found"),
  405: problemBody(405, "method_not_allowed", "DELETE is not allowed on /accounts"),
  409: problemBody(409, "email_taken", "A user with this email already exists"),
  413: problemBody(413, "payload_too_large", "The body exceeds 65536 bytes"),
  415: problemBody(415, "unsupported_media_type", "Send application/json"),
  422: problemBody(
    422,
    "insufficient_funds",
    "Cannot transfer 900.00 ZAR: the available balance is 300.00 ZAR",
    {
      transaction_id: "5a0f3c1e-8b2d-4c6a-9e7f-1d2c3b4a5f60",
      reason: "insufficient_funds",
    },
  ),
  429: problemBody(429, "rate_limited", "Too many requests; retry after 10 seconds"),
  500: problemBody(
    500,
    "internal_error",
    "An unexpected error occurred (error id 0b9f6c2e-3d4a-4e8b-9c1d-2f3a4b5c6d7e)",
  ),
  503: problemBody(503, "service_unavailable", "The bank's database is unavailable; retry shortly"),
};

/** A documented problem+json response for `status`, with an example of it. */
export function problemResponseDoc(status: number, description?: string) {
  return {
    description: description ?? PROBLEM_DESCRIPTIONS[status] ?? "Error",
    content: {
      "application/problem+json": {
        schema: ProblemSchema,
        example: PROBLEM_EXAMPLES[status] ?? problemBody(status, "error", "The request failed"),
      },
    },
  };
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: "Malformed or invalid input",
  401: "Missing, invalid or expired credentials",
  403: "Forbidden",
  404: "Not found, or not yours",
  405: "Method not allowed",
  409: "Conflict",
  413: "Request body too large",
  415: "Unsupported media type",
  422: "A well-formed request the bank refuses",
  429: "Rate limited (see Retry-After)",
  500: "Unexpected error (logged under the error id in the detail)",
  503: "Temporarily unavailable; retry",
};

/** The 422 of a batch route: an atomic batch refused as a whole, carrying every item's result. */
export const batchRejectedDoc = {
  description: "An atomic batch refused as a whole: nothing moved; `results` says why, per item",
  content: {
    "application/problem+json": {
      schema: ProblemSchema,
      example: problemBody(
        422,
        "batch_rejected",
        "Cannot post the atomic batch: item 1 was refused, so no item posts; see each item's result",
        {
          id: "3b0c6d1e-2f4a-4b5c-8d6e-7f8091a2b3c4",
          atomic: true,
          results: [
            {
              index: 0,
              status: "rejected",
              problem: problemBody(
                422,
                "batch_rejected",
                "Not posted: another item of this " +
                  "atomic batch was refused, so no item posts",
                {
                  transaction_id: "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                  reason: "batch_rejected",
                },
              ),
            },
            {
              index: 1,
              status: "rejected",
              problem: PROBLEM_EXAMPLES[422],
            },
          ],
        },
      ),
    },
  },
};

/** Documented error responses, by status. */
export const problems = {
  400: problemResponseDoc(400),
  401: problemResponseDoc(401),
  404: problemResponseDoc(404),
  409: problemResponseDoc(409),
  413: problemResponseDoc(413),
  422: problemResponseDoc(422),
  429: problemResponseDoc(429),
  503: problemResponseDoc(503),
} as const;

/** A UUID, lower-cased so ids compare equal however the client wrote them. */
export function uuid() {
  return z.uuid().toLowerCase();
}

/**
 * Free text: PostgreSQL text cannot hold NUL, nor jsonb (the events) a lone UTF-16 surrogate,
 * so both are refused here as a 400.
 */
export function text() {
  return z.string()
    .refine((value) => !value.includes("\u0000"), "must not contain NUL characters")
    .refine((value) => value.isWellFormed(), "must not contain lone UTF-16 surrogates");
}

/**
 * The query of an operation that defines no parameter: any parameter is unknown, and a 400 naming
 * it. createRouter gives it to every route that declares no query of its own.
 */
export const NoQuery = z.strictObject({});

/** The body of an operation that defines none: nothing, or `{}`; a field in it is a 400. */
export const NoBody = z.strictObject({});

/** A path `{id}` that must be a UUID. */
export const IdParams = z.object({
  id: uuid().openapi({ param: { name: "id", in: "path" }, example: crypto.randomUUID() }),
});

/** An amount as a decimal string or a JSON number, in the currency's major unit. */
export const AmountSchema = z.union([
  text().max(40),
  z.number(),
]).openapi({
  description: "Decimal string in the currency's major unit (or a JSON number).",
  example: "500.00",
});

/** An optional free-text description on a money movement. */
export const DescriptionSchema = text().max(500).nullish().openapi({ example: "Rent" });

/** A JSON request body with this schema. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return {
    required: true,
    description,
    content: { "application/json": { schema } },
  };
}

/** A JSON response with this schema. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

/** The Idempotency-Key header on money-moving POSTs. */
export const IdempotencyHeaders = z.object({
  "idempotency-key": z.string().min(1).max(255).optional().openapi({
    description: "Makes a retry safe: the same key and body return the first response again.",
    example: "4f7d0c9e-7d0b-4c1e-9d57-3b6d3a1e2f10",
  }),
  "sandbox-simulate": z.string().max(64).optional().openapi({
    description: "Fault injection for this request only: error_before_commit (503, nothing " +
      "moves), error_after_commit (commits, answers 500), drop_after_commit (commits, the " +
      "connection closes without an answer), latency=<ms> (0 to 10000, the answer is delayed " +
      "after commit). Anything else is a 400. A retry with the same Idempotency-Key returns " +
      "the committed result.",
    example: "error_after_commit",
  }),
});

/** A cursor-paged list. */
export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z.object({
    data: z.array(item),
    next_cursor: z.string().nullable().openapi({ example: null }),
  }).openapi(name);
}

/** Page size limits for list endpoints. */
export const PAGE_LIMIT_DEFAULT = 20;
export const PAGE_LIMIT_MAX = 100;

/** `limit` and `cursor` query parameters; strict, as every query here is (an unknown one is a 400). */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT),
  cursor: z.string().max(200).optional(),
});
