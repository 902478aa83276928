/** The shipped Postman collection: v2.1, every request on {{baseUrl}} and asserting its answer. */
import assert from "node:assert/strict";

const COLLECTION = new URL("../postman/bank_api_sandbox.postman_collection.json", import.meta.url);
const ENVIRONMENT = new URL("../postman/local.postman_environment.json", import.meta.url);

interface Item {
  name: string;
  item?: Item[];
  request?: { url: { raw: string } };
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
