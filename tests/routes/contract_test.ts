/**
 * The OpenAPI document is the contract: it is valid, it lists every API route the app registers,
 * its error answers are problem+json, its examples fit its schemas, and the answers the bank
 * really gives fit the document.
 */
import assert from "node:assert/strict";
import { compileErrors, validate } from "@readme/openapi-parser";
import { bankTest, testApp } from "../support/app.ts";
import { call, fundedAccount, openAccount, type Reply, signUp } from "../support/client.ts";
import { type Contract, loadContract } from "../support/contract.ts";

type Json = Record<string, unknown>;

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/** Every operation in the document, with where it lives. */
function operationsOf(document: Json): { method: string; path: string; operation: Json }[] {
  return Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method]).map((method) => ({
      method,
      path,
      operation: item[method] as Json,
    }))
  );
}

/** Hono's `/accounts/:id` as OpenAPI's `/accounts/{id}`. */
function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");
}

// Path parameters are filled with a UUID: what ids look like, so the probe reaches the handler.
const PROBE_PARAMETER = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b";

/**
 * What a route answers a bare request (no token, an empty form body): an API route answers
 * JSON (a 401 or 400 problem at least), an HTML page, asset or redirect answers anything else.
 * This tells pages from API routes without a list that every new page would have to join.
 */
async function answersJson(
  app: Awaited<ReturnType<typeof testApp>>["app"],
  method: string,
  path: string,
) {
  const concrete = path.replace(/\{[^}]+\}/g, PROBE_PARAMETER);
  const hasBody = method !== "GET" && method !== "HEAD";
  const response = await app.request(concrete, {
    method,
    redirect: "manual",
    headers: hasBody ? { "content-type": "application/x-www-form-urlencoded" } : {},
    body: hasBody ? "" : undefined,
  });
  await response.body?.cancel();
  return /json/.test(response.headers.get("content-type") ?? "");
}

bankTest("GET /openapi.json is a valid OpenAPI 3.1 document", async () => {
  const { app } = await testApp();
  const { document } = await loadContract(app);
  assert.equal(document.openapi, "3.1.0");
  const result = await validate(structuredClone(document) as Parameters<typeof validate>[0]);
  assert.ok(result.valid, result.valid ? "" : compileErrors(result));
});

bankTest(
  "GET /openapi.json names PUBLIC_URL as its server, or / relative, never the request's Host",
  async () => {
    const forged = { headers: { host: "evil.example" } };
    const { app } = await testApp();
    const relative = await (await app.request("http://evil.example/openapi.json", forged)).json();
    assert.deepEqual(relative.servers, [{ url: "/", description: "This sandbox" }]);
    const configured = await testApp({ env: { PUBLIC_URL: "https://bank.example.test/" } });
    const named = await (await configured.app.request("http://evil.example/openapi.json", forged))
      .json();
    assert.deepEqual(named.servers, [{
      url: "https://bank.example.test",
      description: "This sandbox",
    }]);
  },
);

bankTest("every API route the app registers is in the document with its method", async () => {
  const { app } = await testApp();
  const { document } = await loadContract(app);
  const documented = new Set(
    operationsOf(document).map(({ method, path }) => `${method.toUpperCase()} ${path}`),
  );
  const registered = new Set(
    app.routes
      // ALL is middleware (app.use); the document describes itself by being served.
      .filter((route) => route.method !== "ALL" && route.path !== "/openapi.json")
      .map((route) => `${route.method} ${openApiPath(route.path)}`),
  );
  assert.ok(registered.size >= documented.size, "the app registers fewer routes than documented");
  const undocumented: string[] = [];
  for (const route of registered) {
    if (documented.has(route)) continue;
    const [method, path] = route.split(" ");
    if (await answersJson(app, method, path)) undocumented.push(route);
  }
  assert.deepEqual(
    undocumented,
    [],
    `API routes missing from /openapi.json (build them with createRoute and .openapi()): ${
      undocumented.join(", ")
    }`,
  );
});

bankTest("every documented operation is served by a registered route", async () => {
  const { app } = await testApp();
  const { document } = await loadContract(app);
  const registered = new Set(
    app.routes.map((route) => `${route.method.toLowerCase()} ${openApiPath(route.path)}`),
  );
  const phantom = operationsOf(document)
    .map(({ method, path }) => `${method} ${path}`)
    .filter((operation) => !registered.has(operation));
  assert.deepEqual(phantom, []);
});

bankTest("every operation has a summary, a tag and a unique operationId", async () => {
  const { app } = await testApp();
  const { document } = await loadContract(app);
  const ids = new Set<string>();
  for (const { method, path, operation } of operationsOf(document)) {
    const where = `${method.toUpperCase()} ${path}`;
    assert.ok(typeof operation.summary === "string" && operation.summary, `${where}: no summary`);
    assert.ok((operation.tags as string[] | undefined)?.length, `${where}: no tag`);
    assert.ok(!ids.has(operation.operationId as string), `${where}: operationId repeated`);
    ids.add(operation.operationId as string);
  }
});

bankTest("every operation that needs a token documents the bearer scheme and a 401", async () => {
  const { app } = await testApp();
  const { document } = await loadContract(app);
  const schemes = (document.components as Json).securitySchemes as Json;
  const bearer = schemes.bearerAuth as Json;
  assert.deepEqual([bearer.type, bearer.scheme, bearer.bearerFormat], ["http", "bearer", "JWT"]);
  for (const { method, path, operation } of operationsOf(document)) {
    const security = operation.security as Json[] | undefined;
    if (!security?.length) continue;
    for (const requirement of security) {
      for (const scheme of Object.keys(requirement)) {
        assert.ok(scheme in schemes, `${method} ${path}: unknown security scheme ${scheme}`);
      }
    }
    assert.ok((operation.responses as Json)["401"], `${method} ${path}: no 401`);
  }
});

bankTest("every error status in the document is problem+json with the Problem schema", async () => {
  const { app } = await testApp();
  const { document } = await loadContract(app);
  for (const { method, path, operation } of operationsOf(document)) {
    for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
      // A health check's 503 is its report (which dependency is down), read by load balancers.
      if (Number(status) < 400 || (path === "/health" && status === "503")) continue;
      const where = `${method.toUpperCase()} ${path} ${status}`;
      const content = response.content as Record<string, Json> | undefined;
      assert.deepEqual(Object.keys(content ?? {}), ["application/problem+json"], where);
      assert.deepEqual(
        content!["application/problem+json"].schema,
        { $ref: "#/components/schemas/Problem" },
        where,
      );
    }
  }
});

bankTest("every JSON body in the document has an example that its own schema accepts", async () => {
  const { app } = await testApp();
  const contract = await loadContract(app);
  const failures: string[] = [];
  for (const { method, path, operation } of operationsOf(contract.document)) {
    const bodies: [string, Json | undefined][] = [
      ["request", operation.requestBody as Json | undefined],
      ...Object.entries(operation.responses as Record<string, Json>),
    ];
    for (const [which, body] of bodies) {
      for (const [type, media] of Object.entries((body?.content ?? {}) as Record<string, Json>)) {
        if (!type.includes("json") || !media.schema) continue;
        const where = `${method.toUpperCase()} ${path} ${which} ${type}`;
        if (media.example === undefined) {
          failures.push(`${where}: no example`);
          continue;
        }
        for (const problem of contract.schemaProblems(media.schema, media.example)) {
          failures.push(`${where}: example ${problem}`);
        }
      }
    }
  }
  assert.deepEqual(failures, []);
});

bankTest("money-moving POSTs document the Idempotency-Key header", async () => {
  const { app } = await testApp();
  const contract = await loadContract(app);
  for (
    const path of ["/accounts/{id}/deposit", "/accounts/{id}/withdraw", "/transactions/transfer"]
  ) {
    const operation = contract.operationFor("post", path.replace("{id}", PROBE_PARAMETER));
    const parameters = (operation?.operation.parameters ?? []) as Json[];
    assert.ok(
      // Header names are case-insensitive (RFC 9110).
      parameters.some((parameter) =>
        parameter.in === "header" && String(parameter.name).toLowerCase() === "idempotency-key"
      ),
      `POST ${path}: no Idempotency-Key header`,
    );
  }
});

/**
 * Sends requests through `call()` — which throws on any answer outside the document — and
 * records which documented operation and status each answer exercised.
 */
function recordingClient(contract: Contract) {
  const seen = new Set<string>();
  return {
    seen,
    async send(
      app: Parameters<typeof call>[0],
      method: string,
      path: string,
      options: Parameters<typeof call>[3] = {},
    ): Promise<Reply> {
      const reply = await call(app, method, path, options);
      const found = contract.operationFor(method, path.split("?")[0]);
      if (found) seen.add(`${method} ${found.template} ${reply.status}`);
      return reply;
    },
  };
}

// The core operations and the success each must show in the seed flow below.
const SEED_FLOW_ANSWERS = [
  "GET /health 200",
  "GET /currencies 200",
  "POST /auth/register 201",
  "POST /users 201",
  "POST /auth/login 200",
  "GET /users/me 200",
  "GET /users/{id} 200",
  "GET /fraud/rules 200",
  "POST /accounts 201",
  "GET /accounts 200",
  "GET /accounts/{id} 200",
  "POST /accounts/{id}/deposit 201",
  "POST /accounts/{id}/withdraw 201",
  "POST /transactions/transfer 201",
  "GET /transactions 200",
  "GET /transactions/{id} 200",
];

bankTest("the answers of the seed flow fit their documented responses", async () => {
  const { app } = await testApp();
  const contract = await loadContract(app);
  const { send, seen } = recordingClient(contract);
  const email = `contract-${crypto.randomUUID()}@example.test`;
  const password = "correct horse battery";

  assert.equal((await send(app, "GET", "/health")).status, 200);
  assert.equal((await send(app, "GET", "/currencies")).status, 200);
  const user = await send(app, "POST", "/auth/register", {
    body: { name: "Contract Customer", email, password },
  });
  assert.equal(user.status, 201);
  const other = await send(app, "POST", "/users", {
    body: { name: "Other Customer", email: `other-${email}`, password },
  });
  assert.equal(other.status, 201);
  const login = await send(app, "POST", "/auth/login", { body: { email, password } });
  assert.equal(login.status, 200);
  const token = String(login.body.access_token);
  assert.equal((await send(app, "GET", "/users/me", { token })).status, 200);
  assert.equal((await send(app, "GET", `/users/${user.body.id}`, { token })).status, 200);
  assert.equal((await send(app, "GET", "/fraud/rules", { token })).status, 200);

  const opened = await send(app, "POST", "/accounts", { token, body: { currency: "ZAR" } });
  assert.equal(opened.status, 201);
  const to = await send(app, "POST", "/accounts", { token });
  assert.equal(to.status, 201);
  const id = String(opened.body.id);
  assert.equal((await send(app, "GET", "/accounts", { token })).status, 200);
  assert.equal((await send(app, "GET", `/accounts/${id}`, { token })).status, 200);
  const deposit = await send(app, "POST", `/accounts/${id}/deposit`, {
    token,
    body: { amount: "500.00", description: "Salary" },
    headers: { "Idempotency-Key": crypto.randomUUID() },
  });
  assert.equal(deposit.status, 201);
  assert.equal(
    (await send(app, "POST", `/accounts/${id}/withdraw`, { token, body: { amount: 200 } })).status,
    201,
  );
  const moved = await send(app, "POST", "/transactions/transfer", {
    token,
    body: { from_account_id: id, to_account_number: to.body.account_number, amount: "100" },
  });
  assert.equal(moved.status, 201);
  const listed = await send(app, "GET", `/transactions?account_id=${id}&limit=2`, { token });
  assert.equal(listed.status, 200);
  assert.equal((await send(app, "GET", `/transactions/${moved.body.id}`, { token })).status, 200);

  assert.deepEqual(SEED_FLOW_ANSWERS.filter((answer) => !seen.has(answer)), []);
});

bankTest("the error answers of every kind fit their documented problem responses", async () => {
  const { app } = await testApp();
  const contract = await loadContract(app);
  const { send, seen } = recordingClient(contract);
  const customer = await signUp(app);
  const token = customer.token;
  const from = await fundedAccount(app, customer, "50");
  const to = await openAccount(app, customer);
  const missing = crypto.randomUUID();

  const statuses = [
    (await send(app, "POST", "/auth/register", { body: { name: "", email: "no" } })).status,
    (await send(app, "POST", "/auth/register", {
      body: { name: "Again", email: customer.email, password: "correct horse battery" },
    })).status,
    (await send(app, "POST", "/auth/login", {
      body: { email: customer.email, password: "wrong password" },
    })).status,
    (await send(app, "GET", "/accounts")).status,
    (await send(app, "GET", "/users/me", { token: "not-a-token" })).status,
    (await send(app, "GET", `/accounts/${missing}`, { token })).status,
    (await send(app, "GET", "/accounts/not-a-uuid", { token })).status,
    (await send(app, "GET", `/transactions/${missing}`, { token })).status,
    (await send(app, "POST", `/accounts/${from.id}/deposit`, { token, body: { amount: "1.001" } }))
      .status,
    (await send(app, "POST", `/accounts/${from.id}/withdraw`, { token, body: { amount: "-5" } }))
      .status,
    (await send(app, "POST", "/transactions/transfer", {
      token,
      body: { from_account_id: from.id, to_account_id: to.id, amount: "100.00" },
    })).status,
    (await send(app, "POST", "/transactions/transfer", {
      token,
      body: { from_account_id: from.id, to_account_id: to.id, amount: "150000.01" },
    })).status,
    (await send(app, "POST", "/transactions/transfer", {
      token,
      raw: "{not json",
    })).status,
  ];

  assert.deepEqual(statuses, [400, 409, 401, 401, 401, 404, 400, 404, 400, 400, 422, 422, 400]);
  assert.ok(seen.has("POST /transactions/transfer 422"));
});

bankTest("the contract refuses answers the document does not promise", async () => {
  const { app } = await testApp();
  const contract = await loadContract(app);
  const json = "application/json";
  const answer = { method: "GET", path: "/accounts", status: 200, contentType: json };
  assert.deepEqual(contract.problemsWith({ ...answer, body: { data: [] } }), []);
  assert.match(contract.problemsWith({ ...answer, status: 418, body: {} })[0], /not documented/);
  assert.match(
    contract.problemsWith({ ...answer, contentType: "text/plain", body: "" })[0],
    /content type text\/plain not documented/,
  );
  assert.match(contract.problemsWith({ ...answer, body: { data: "none" } })[0], /must be array/);
  assert.match(
    contract.problemsWith({ ...answer, body: { data: [{ id: "not-a-uuid" }] } }).join("\n"),
    /must match format "uuid"/,
  );
  assert.match(
    contract.problemsWith({ ...answer, path: "/nowhere", body: {} })[0],
    /no operation in the document/,
  );
});
