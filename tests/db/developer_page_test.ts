/** The Developers page data: the user's own keys, endpoints, deliveries and events, no secrets. */
import assert from "node:assert/strict";
import { loadDeveloperPage } from "../../db/developer_page.ts";
import { bankTest, testApp } from "../support/app.ts";
import { call, openAccount, signUp } from "../support/client.ts";
import { createEndpoint } from "../support/webhooks.ts";

bankTest(
  "loadDeveloperPage reads the user's own keys, endpoints and events, without secrets",
  async () => {
    const { app, sql } = await testApp();
    const customer = await signUp(app);
    const stranger = await signUp(app);
    await call(app, "POST", "/api_keys", { token: customer.token, body: { name: "Server" } });
    const endpoint = await createEndpoint(app, customer, { url: "http://127.0.0.1:8599/page" });
    await openAccount(app, customer);
    await openAccount(app, stranger);
    const page = await loadDeveloperPage(sql, customer.id, new Date());
    assert.deepEqual(page.apiKeys.map((key) => key.name), ["Server"]);
    assert.equal(page.endpoints.length, 1);
    assert.equal(page.endpoints[0].endpoint.id, endpoint.id);
    assert.equal("secret" in page.endpoints[0].endpoint, false);
    assert.deepEqual(page.endpoints[0].deliveries.map((d) => d.eventType), ["account.created"]);
    assert.deepEqual(page.events.map((event) => event.type), ["account.created"]);
    assert.ok(
      !JSON.stringify(page, (_k, v) => typeof v === "bigint" ? String(v) : v).includes(
        endpoint.secret,
      ),
    );
  },
);
