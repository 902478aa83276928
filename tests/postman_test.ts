/** The shipped Postman collection: v2.1, every request on {{baseUrl}} and asserting its answer. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "./support/app.ts";
import { loadContract } from "./support/contract.ts";

const COLLECTION = new URL("../postman/bank_api_sandbox.postman_collection.json", import.meta.url);
const ENVIRONMENT = new URL("../postman/local.postman_environment.json", import.meta.url);

interface Item {
  name: string;
  item?: Item[];
  request?: { method: string; url: { raw: string }; body?: { raw?: string } };
  event?: { listen: string; script: { exec: string[] } }[];
}

function requestsOf(items: Item[]): Item[] {
  return items.flatMap((item) => item.item ? requestsOf(item.item) : [item]);
}

Deno.test("the Postman collection is v2.1 and authenticates with the stored token", async () => {
  const collection = JSON.parse(await Deno.readTextFile(COLLECTION));
  assert.equal(
    collection.info.schema,
    "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
  );
  assert.deepEqual(collection.auth.bearer, [{ key: "token", value: "{{token}}", type: "string" }]);
});

Deno.test("every request in the Postman collection targets {{baseUrl}} and asserts", async () => {
  const collection = JSON.parse(await Deno.readTextFile(COLLECTION));
  const requests = requestsOf(collection.item);
  assert.ok(requests.length >= 20);
  for (const request of requests) {
    assert.ok(request.request?.url.raw.startsWith("{{baseUrl}}/"), request.name);
    const tests = request.event?.find((event) => event.listen === "test")?.script.exec ?? [];
    assert.ok(tests.join("\n").includes("pm.test("), `${request.name}: no pm.test`);
  }
});

Deno.test("the Postman environment defines baseUrl", async () => {
  const environment = JSON.parse(await Deno.readTextFile(ENVIRONMENT));
  const baseUrl = environment.values.find((value: { key: string }) => value.key === "baseUrl");
  assert.equal(baseUrl.value, "http://localhost:8000");
});

// A value of the kind each collection variable holds, so a body can be checked against its schema.
function sampleOf(variable: string): string {
  if (variable.endsWith("Id")) return crypto.randomUUID();
  if (variable.endsWith("Number")) return "4001234569";
  if (variable.endsWith("Date")) return "2099-01-31";
  if (variable === "email") return "postman@example.test";
  if (variable === "password") return "correct horse battery";
  return "100.00";
}

bankTest(
  "every Postman request fits its documented operation: no field or parameter extra",
  async () => {
    const { app } = await testApp();
    const contract = await loadContract(app);
    const collection = JSON.parse(await Deno.readTextFile(COLLECTION));
    for (const { name, request } of requestsOf(collection.item)) {
      if (!request) continue;
      const url = new URL(request.url.raw.replace(/\{\{(\w+)\}\}/g, (_, v) => {
        return v === "baseUrl" ? "http://localhost" : sampleOf(v);
      }));
      const found = contract.operationFor(request.method, url.pathname);
      assert.ok(found, `${name}: ${request.method} ${url.pathname} is not documented`);
      const parameters = ((found.operation.parameters ?? []) as { name: string; in: string }[])
        .filter((parameter) => parameter.in === "query").map((parameter) => parameter.name);
      for (const key of url.searchParams.keys()) {
        assert.ok(parameters.includes(key), `${name}: query parameter ${key} is not documented`);
      }
      const raw = request.body?.raw;
      const requestBody = found.operation.requestBody as
        | { content: Record<string, { schema: unknown }> }
        | undefined;
      if (!raw) continue;
      assert.ok(requestBody, `${name}: sends a body to an operation that takes none`);
      const body = JSON.parse(raw.replace(/\{\{(\w+)\}\}/g, (_, v) => sampleOf(v)));
      const schema = requestBody.content["application/json"].schema;
      assert.deepEqual(contract.schemaProblems(schema, body), [], name);
    }
  },
);
