/**
 * The OpenAPI 3.1 document: generated from the same zod schemas that validate requests, then
 * completed with what every operation shares, so a route added anywhere is documented alike.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { requiredScope } from "../domain/api_keys.ts";
import type { AppEnv } from "./app_env.ts";
import { problemResponseDoc } from "./schemas.ts";

type Json = Record<string, unknown>;

const DESCRIPTION =
  `A simulated bank for building and testing banking integrations: users, accounts,
deposits, withdrawals and transfers on an append-only ledger, with fraud rules and idempotent retries.

**Money** is a decimal string in the currency's major unit (\`"500.00"\` ZAR); requests may also send a
JSON number. **Errors** are RFC 9457 \`application/problem+json\` with a stable \`code\`; a refused money
movement is still recorded and its problem carries \`transaction_id\`.

**Input is strict**: a body field or query parameter an operation does not define is a 400 whose
\`errors\` names it (\`{"errors": {"bogus": ["is not a field of this operation"]}}\`); nothing a
client sends is silently dropped. An operation without a request body takes none (or \`{}\`).

**Auth**: register, then \`POST /auth/login\` and send \`Authorization: Bearer <access_token>\`.
In this page, press *Authorize* and paste the token. \`POST /auth/logout\` ends that token's session and
\`POST /auth/password\` every session, at once. An API key (\`sk_test_…\`) works like a token within its
scopes (\`read\`, \`money\`, \`admin\`); outside them it is a 403 \`insufficient_scope\`. Every 401 carries
\`WWW-Authenticate: Bearer\`; every JSON answer is \`Cache-Control: no-store\`.`;

/** Tags in the order the reference lists them; routes may add tags of their own. */
export const TAGS = [
  { name: "Auth", description: "Registration and login for a bearer token." },
  { name: "Users", description: "The authenticated user." },
  { name: "Accounts", description: "Accounts, deposits and withdrawals." },
  {
    name: "Transactions",
    description: "Transfers and the ledger: every movement, approved or refused, append-only.",
  },
  { name: "Fraud", description: "The fraud rules every outflow is checked against." },
  { name: "Service", description: "Health and reference data." },
];

/** The document for a server at `serverUrl` (PUBLIC_URL, or "/" for wherever it is read). */
export function openApiDocument(app: OpenAPIHono<AppEnv>, serverUrl: string): Json {
  const document = app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { title: "Bank API Sandbox", version: "1.0.0", description: DESCRIPTION },
    servers: [{ url: serverUrl, description: "This sandbox" }],
    tags: TAGS,
  }) as unknown as Json;
  return completeDocument(document);
}

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/**
 * Fills in what every operation shares: 400 everywhere (an unknown query parameter is one), 401
 * where a token is required, 413 and 415 where there is a body, 500 and 503 everywhere (all problem+json), an operationId, and an example on every JSON body that lacks
 * one (built from the schema's own property examples).
 */
export function completeDocument(document: Json): Json {
  const components = (document.components ?? {}) as Json;
  const schemas = (components.schemas ?? {}) as Record<string, Json>;
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Json>)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const responses = (operation.responses ??= {}) as Record<string, Json>;
      const secured = Array.isArray(operation.security) && operation.security.length > 0;
      // Every operation refuses an unknown query parameter (routes/strict_input.ts).
      responses["400"] ??= problemReference(400);
      if (secured) responses["401"] ??= problemReference(401);
      // An API key answers 403 insufficient_scope wherever it needs more than read.
      if (secured && requiredScope(method, path) !== "read") {
        responses["403"] ??= problemReference(403, "An API key whose scopes do not cover this");
      }
      for (const [status, response] of Object.entries(responses)) {
        const headers = response.headers as Json | undefined;
        if (status === "401") response.headers = { ...headers, ...CHALLENGE_HEADERS };
        if (isJsonResponse(response)) {
          response.headers = { ...response.headers as Json, ...NO_STORE_HEADERS };
        }
      }
      if (operation.requestBody) {
        responses["413"] ??= problemReference(413);
        // A body that is not application/json is refused (routes/problem.ts).
        responses["415"] ??= problemReference(415);
      }
      responses["500"] ??= problemReference(500);
      // Any operation that reaches the database answers 503 (with Retry-After) while it is down.
      responses["503"] ??= problemReference(503);
      operation.operationId ??= operationIdOf(method, path);
      const bodies = [
        operation.requestBody as Json | undefined,
        ...Object.values(responses),
      ];
      for (const body of bodies) addExamples(body, schemas);
    }
  }
  return document;
}

// The documented problem response as JSON: the generator has already turned the zod schema into
// #/components/schemas/Problem, so this refers to it.
function problemReference(status: number, description?: string): Json {
  const { description: text, content } = problemResponseDoc(status, description);
  const { example } = content["application/problem+json"];
  return {
    description: text,
    content: {
      "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" }, example },
    },
  };
}

// Every 401 carries the challenge (routes/response_headers.ts).
const CHALLENGE_HEADERS = {
  "WWW-Authenticate": {
    description: 'The bearer challenge: `Bearer realm="bank-api-sandbox"`, with ' +
      '`error="invalid_token"` when a credential was sent',
    schema: { type: "string" },
  },
};

// Every JSON answer is no-store: they carry balances, tokens and keys.
const NO_STORE_HEADERS = {
  "Cache-Control": {
    description: "`no-store`: no browser or proxy keeps an answer",
    schema: { type: "string", const: "no-store" },
  },
};

function isJsonResponse(response: Json): boolean {
  const content = response.content as Record<string, unknown> | undefined;
  return Object.keys(content ?? {}).some((type) => type.includes("json"));
}

function operationIdOf(method: string, path: string): string {
  const words = path.split("/").filter(Boolean).map((segment) =>
    segment.startsWith("{") ? `by_${segment.slice(1, -1)}` : segment
  );
  return [method, ...words].join("_").replace(/[^A-Za-z0-9_]/g, "_");
}

function addExamples(body: Json | undefined, schemas: Record<string, Json>): void {
  const content = body?.content as Record<string, Json> | undefined;
  if (!content) return;
  for (const [type, media] of Object.entries(content)) {
    if (!type.includes("json") || media.example !== undefined || media.examples) continue;
    if (media.schema) media.example = exampleOf(media.schema as Json, schemas, 0);
  }
}

// Deep enough for any shape here; a recursive schema stops with null rather than looping.
const EXAMPLE_DEPTH_MAX = 12;

/** A value matching `schema`, preferring the examples and defaults written in the schemas. */
export function exampleOf(schema: Json, schemas: Record<string, Json>, depth: number): unknown {
  if (depth > EXAMPLE_DEPTH_MAX) return null;
  if (typeof schema.$ref === "string") {
    const target = schemas[schema.$ref.replace("#/components/schemas/", "")];
    return target ? exampleOf(target, schemas, depth + 1) : null;
  }
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const choices = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (choices?.length) {
    const chosen = choices.find((choice) => choice.type !== "null") ?? choices[0];
    return exampleOf(chosen, schemas, depth + 1);
  }
  if (Array.isArray(schema.allOf)) {
    return Object.assign({}, ...schema.allOf.map((part) => exampleOf(part, schemas, depth + 1)));
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Json>;
      return Object.fromEntries(
        Object.entries(properties).map(([name, property]) => [
          name,
          exampleOf(property, schemas, depth + 1),
        ]),
      );
    }
    case "array":
      return schema.items ? [exampleOf(schema.items as Json, schemas, depth + 1)] : [];
    case "integer":
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 0;
    case "boolean":
      return true;
    case "null":
      return null;
    case "string":
      return stringExample(schema.format as string | undefined);
    default:
      return null;
  }
}

function stringExample(format: string | undefined): string {
  switch (format) {
    case "uuid":
      return "0b9f6c2e-3d4a-4e8b-9c1d-2f3a4b5c6d7e";
    case "date-time":
      return "2026-11-24T10:00:00.000Z";
    case "date":
      return "2026-11-24";
    case "email":
      return "thandi@example.com";
    case "uri":
    case "url":
      return "https://example.com/webhooks";
    default:
      return "string";
  }
}
