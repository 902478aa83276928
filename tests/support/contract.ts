/**
 * The API contract as tests check it: the app's own /openapi.json, and a validator that says
 * whether an answer the tests received is one the document promises.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { Requestable } from "./client.ts";

type Json = Record<string, unknown>;

/** The OpenAPI document and a response validator over it. */
export interface Contract {
  document: Json;
  /** The document's path template and operation for a concrete request, if it documents one. */
  operationFor(method: string, path: string): { template: string; operation: Json } | undefined;
  /** Problems with this answer against the document; empty when it is a documented answer. */
  problemsWith(answer: Answer): string[];
  /** Problems with `value` against `schema` (a schema from the document); empty when it fits. */
  schemaProblems(schema: unknown, value: unknown): string[];
}

/** An answer a test received. */
export interface Answer {
  method: string;
  /** The request path, without the query. */
  path: string;
  status: number;
  contentType: string | null;
  body: unknown;
}

// ajv-formats is CommonJS: its default export arrives wrapped once more under Deno's interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/** Fetches the app's /openapi.json and builds its validator. */
export async function loadContract(app: Requestable): Promise<Contract> {
  const response = await app.request("/openapi.json");
  if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
  return contractOf(await response.json());
}

/** A validator over `document` (an OpenAPI 3.1 document: its schemas are JSON Schema 2020-12). */
export function contractOf(document: Json): Contract {
  // strict off: OpenAPI adds keywords (example, discriminator) that are not JSON Schema's.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "openapi.json", components: document.components ?? {} });
  const paths = (document.paths ?? {}) as Record<string, Json>;
  const templates = Object.keys(paths).map((template) => ({
    template,
    pattern: new RegExp(
      "^" + template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+") + "$",
    ),
    // Literal segments outrank parameters: /users/me before /users/{id}.
    literals: template.split("/").filter((segment) => !segment.startsWith("{")).length,
  })).sort((a, b) => b.literals - a.literals);

  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

  function operationFor(method: string, path: string) {
    for (const { template, pattern } of templates) {
      const operation = paths[template][method.toLowerCase()] as Json | undefined;
      if (pattern.test(path) && operation) return { template, operation };
    }
    return undefined;
  }

  function problemsWith(answer: Answer): string[] {
    const where = `${answer.method} ${answer.path} → ${answer.status}`;
    const found = operationFor(answer.method, answer.path);
    if (!found) return [`${where}: no operation in the document`];
    const responses = (found.operation.responses ?? {}) as Record<string, Json>;
    const response = responses[String(answer.status)];
    if (!response) {
      const listed = Object.keys(responses).join(", ");
      return [`${where}: status not documented for ${found.template} (documented: ${listed})`];
    }
    const content = response.content as Record<string, Json> | undefined;
    if (!content) {
      return answer.body === null || answer.body === ""
        ? []
        : [`${where}: documented without a body, but one was sent`];
    }
    const mediaType = (answer.contentType ?? "").split(";")[0].trim();
    const media = content[mediaType];
    if (!media) {
      return [
        `${where}: content type ${mediaType || "(none)"} not documented (documented: ${
          Object.keys(content).join(", ")
        })`,
      ];
    }
    if (!media.schema) return [];
    const key = `${answer.method} ${found.template} ${answer.status} ${mediaType}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(rewriteRefs(media.schema) as Json);
      compiled.set(key, validate);
    }
    if (validate(answer.body)) return [];
    return (validate.errors ?? []).map((error) =>
      `${where}: body${error.instancePath} ${error.message} (${error.schemaPath})`
    );
  }

  function schemaProblems(schema: unknown, value: unknown): string[] {
    const validate = ajv.compile(rewriteRefs(schema) as Json);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message}`);
  }

  return { document, operationFor, problemsWith, schemaProblems };
}

// The document's refs are local to it ("#/components/..."); the validator holds the components
// under the id "openapi.json", so each ref is pointed there.
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === "$ref" && typeof inner === "string" && inner.startsWith("#/")
        ? [key, `openapi.json${inner}`]
        : [key, rewriteRefs(inner)]
    ),
  );
}

// Apps built alike serve the same document: one validator serves them all.
const contractsByDocument = new Map<string, Contract>();
const contractsByApp = new WeakMap<Requestable, Promise<Contract>>();

/** The first app declared with each build, and the app each later one stands in for. */
const firstOfBuild = new Map<string, Requestable>();
const standsFor = new WeakMap<Requestable, Requestable>();

/**
 * Declares that `app` is built like every other app declared with `build`, so serves the same
 * document: the first one's contract serves them all. createApp registers the same routes
 * whatever its configuration, and the document names the configured PUBLIC_URL, so testApp
 * passes the configuration it built from. Fetching and compiling the document costs about
 * 0.4 s of CPU per app, which each of the suite's ~460 apps used to pay.
 */
export function declareBuild(app: Requestable, build: string): void {
  const first = firstOfBuild.get(build);
  if (first) standsFor.set(app, first);
  else firstOfBuild.set(build, app);
}

/** The contract of this app, fetched once per app (or once per build, see declareBuild). */
export function contractFor(requested: Requestable): Promise<Contract> {
  const app = standsFor.get(requested) ?? requested;
  let contract = contractsByApp.get(app);
  if (!contract) {
    contract = (async () => {
      const response = await app.request("/openapi.json");
      if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
      const text = await response.text();
      let shared = contractsByDocument.get(text);
      if (!shared) {
        shared = contractOf(JSON.parse(text));
        contractsByDocument.set(text, shared);
      }
      return shared;
    })();
    contractsByApp.set(app, contract);
  }
  return contract;
}

/**
 * Throws when an answer to a documented operation is not one the document promises: a status,
 * content type or body it does not describe. Requests the document does not describe at all
 * (pages, unknown paths, HEAD) are left to the route-coverage test.
 */
export async function assertAnswerInContract(app: Requestable, answer: Answer): Promise<void> {
  const contract = await contractFor(app);
  if (!contract.operationFor(answer.method, answer.path)) return;
  const problems = contract.problemsWith(answer);
  if (problems.length === 0) return;
  throw new Error(
    "The answer is outside the API contract (document it in the route's createRoute):\n  " +
      problems.join("\n  "),
  );
}
