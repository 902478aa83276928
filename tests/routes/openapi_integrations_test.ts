/** The OpenAPI document describes the integration features. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";
import { call } from "../support/client.ts";

bankTest(
  "GET /openapi.json documents API keys, events, webhooks and Sandbox-Simulate",
  async () => {
    const { app } = await testApp();
    const reply = await call<{
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    }>(app, "GET", "/openapi.json");
    assert.equal(reply.status, 200);
    const { paths } = reply.body;
    for (
      const path of [
        "/api_keys",
        "/api_keys/{id}",
        "/events",
        "/events/{id}",
        "/events/{id}/redeliver",
        "/webhook_endpoints",
        "/webhook_endpoints/{id}",
        "/webhook_endpoints/{id}/deliveries",
      ]
    ) {
      assert.ok(paths[path], path);
    }
    assert.deepEqual(Object.keys(paths["/webhook_endpoints/{id}"]).sort(), [
      "delete",
      "get",
      "patch",
    ]);
    for (
      const path of ["/accounts/{id}/deposit", "/accounts/{id}/withdraw", "/transactions/transfer"]
    ) {
      const names = (paths[path].post.parameters ?? []).map((parameter) => parameter.name);
      assert.ok(names.map((name) => name.toLowerCase()).includes("sandbox-simulate"), path);
    }
  },
);
