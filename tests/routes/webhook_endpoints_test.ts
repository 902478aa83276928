/** Webhook endpoints: CRUD, ownership, and which URLs are accepted where. */
import assert from "node:assert/strict";
import { createApp } from "../../app.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";
import { createMemoryLogger } from "../../routes/logger.ts";
import { bankTest, testApp, testConfig } from "../support/app.ts";
import { call, signUp } from "../support/client.ts";
import { testDatabase } from "../support/database.ts";
import { createEndpoint } from "../support/webhooks.ts";

/** A production app whose resolver answers from a fixed table (no DNS in tests). */
async function productionApp(dns: Record<string, string[]>) {
  const { sql } = await testDatabase();
  const config = testConfig({ APP_ENV: "production", WEBHOOK_ALLOW_PRIVATE: "false" });
  return createApp({
    sql,
    config,
    clock: () => new Date(),
    fraudRules: createFraudRules(config.fraud),
    log: createMemoryLogger(),
    resolveHost: (name) => Promise.resolve(dns[name] ?? []),
  });
}

bankTest("POST /webhook_endpoints shows a whsec_ secret once; reads never show it", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const created = await call(app, "POST", "/webhook_endpoints", {
    token: customer.token,
    body: { url: "http://localhost:8500/hooks", description: "Ledger sync" },
  });
  assert.equal(created.status, 201);
  assert.match(String(created.body.secret), /^whsec_[A-Za-z0-9+/]{32}$/);
  assert.equal(created.body.url, "http://localhost:8500/hooks");
  assert.deepEqual(created.body.event_types, []);
  assert.equal(created.body.enabled, true);
  const one = await call(app, "GET", `/webhook_endpoints/${created.body.id}`, {
    token: customer.token,
  });
  assert.equal(one.status, 200);
  assert.equal(one.body.secret, undefined);
  const all = await call<{ data: Record<string, unknown>[] }>(app, "GET", "/webhook_endpoints", {
    token: customer.token,
  });
  assert.deepEqual(all.body.data, [one.body]);
});

bankTest("PATCH /webhook_endpoints/{id} changes only the fields given", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const endpoint = await createEndpoint(app, customer, {
    url: "http://localhost:8500/a",
    description: "first",
  });
  const patched = await call(app, "PATCH", `/webhook_endpoints/${endpoint.id}`, {
    token: customer.token,
    body: { enabled: false, event_types: ["account.created"] },
  });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.enabled, false);
  assert.deepEqual(patched.body.event_types, ["account.created"]);
  assert.equal(patched.body.url, "http://localhost:8500/a");
  assert.equal(patched.body.description, "first");
  const cleared = await call(app, "PATCH", `/webhook_endpoints/${endpoint.id}`, {
    token: customer.token,
    body: { description: null, url: "https://example.com/b" },
  });
  assert.equal(cleared.body.description, null);
  assert.equal(cleared.body.url, "https://example.com/b");
  assert.equal(cleared.body.enabled, false);
});

bankTest("DELETE /webhook_endpoints/{id} removes it; a second delete is a 404", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const endpoint = await createEndpoint(app, customer, { url: "http://localhost:8500/a" });
  const path = `/webhook_endpoints/${endpoint.id}`;
  assert.equal((await call(app, "DELETE", path, { token: customer.token })).status, 204);
  assert.equal((await call(app, "GET", path, { token: customer.token })).status, 404);
  assert.equal((await call(app, "DELETE", path, { token: customer.token })).status, 404);
});

bankTest("another user's webhook endpoint is a 404 for every operation", async () => {
  const { app } = await testApp();
  const owner = await signUp(app);
  const stranger = await signUp(app);
  const endpoint = await createEndpoint(app, owner, { url: "http://localhost:8500/a" });
  const path = `/webhook_endpoints/${endpoint.id}`;
  const token = stranger.token;
  assert.equal((await call(app, "GET", path, { token })).status, 404);
  assert.equal((await call(app, "PATCH", path, { token, body: { enabled: false } })).status, 404);
  assert.equal((await call(app, "GET", `${path}/deliveries`, { token })).status, 404);
  assert.equal((await call(app, "DELETE", path, { token })).status, 404);
  const list = await call<{ data: unknown[] }>(app, "GET", "/webhook_endpoints", { token });
  assert.deepEqual(list.body.data, []);
  const still = await call(app, "GET", path, { token: owner.token });
  assert.equal(still.body.enabled, true);
});

bankTest("webhook URLs must be http or https, without credentials", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  for (
    const url of [
      "ftp://example.com/x",
      "javascript:alert(1)",
      "file:///etc/passwd",
      "example.com/hook",
      "http://user:pass@example.com/hook",
      "",
      `https://example.com/${"a".repeat(2048)}`,
    ]
  ) {
    const reply = await call(app, "POST", "/webhook_endpoints", {
      token: customer.token,
      body: { url },
    });
    assert.equal(reply.status, 400, url);
    assert.equal(reply.body.code, "validation_error");
  }
});

bankTest("unknown event types are a 400", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const reply = await call(app, "POST", "/webhook_endpoints", {
    token: customer.token,
    body: { url: "http://localhost:8500/a", event_types: ["money.printed"] },
  });
  assert.equal(reply.status, 400);
});

bankTest(
  "with WEBHOOK_ALLOW_PRIVATE=true, localhost and loopback receivers are allowed",
  async () => {
    const { app } = await testApp({
      env: { APP_ENV: "development", WEBHOOK_ALLOW_PRIVATE: "true" },
    });
    const customer = await signUp(app);
    for (const url of ["http://localhost:3000/hooks", "http://127.0.0.1:8500/hooks"]) {
      const reply = await call(app, "POST", "/webhook_endpoints", {
        token: customer.token,
        body: { url },
      });
      assert.equal(reply.status, 201, url);
    }
  },
);

bankTest(
  "in production, loopback, private, link-local and metadata addresses are refused",
  async () => {
    const app = await productionApp({});
    const customer = await signUp(app);
    const refused = [
      "http://127.0.0.1/hooks",
      "http://127.1.2.3:8080/hooks",
      "http://2130706433/hooks",
      "http://0.0.0.0/hooks",
      "http://10.0.0.5/hooks",
      "http://172.16.3.4/hooks",
      "http://192.168.1.10/hooks",
      "http://100.64.0.1/hooks",
      "http://169.254.169.254/latest/meta-data/",
      "http://[::1]/hooks",
      "http://[::ffff:127.0.0.1]/hooks",
      "http://[fd00:ec2::254]/hooks",
      "http://[fe80::1]/hooks",
      "http://localhost/hooks",
      "http://api.localhost/hooks",
      "http://metadata.google.internal/computeMetadata/v1/",
    ];
    for (const url of refused) {
      const reply = await call(app, "POST", "/webhook_endpoints", {
        token: customer.token,
        body: { url },
      });
      assert.equal(reply.status, 400, url);
      assert.equal(reply.body.code, "validation_error", url);
    }
  },
);

bankTest("in production, a name resolving to a private address is refused", async () => {
  const app = await productionApp({
    "hooks.example.com": ["93.184.215.14"],
    "sneaky.example.com": ["93.184.215.14", "10.1.2.3"],
    "rebind.example.com": ["::1"],
  });
  const customer = await signUp(app);
  for (const host of ["sneaky.example.com", "rebind.example.com", "nowhere.example.com"]) {
    const reply = await call(app, "POST", "/webhook_endpoints", {
      token: customer.token,
      body: { url: `https://${host}/hooks` },
    });
    assert.equal(reply.status, 400, host);
  }
  const accepted = await call(app, "POST", "/webhook_endpoints", {
    token: customer.token,
    body: { url: "https://hooks.example.com/hooks" },
  });
  assert.equal(accepted.status, 201);
  const patched = await call(app, "PATCH", `/webhook_endpoints/${accepted.body.id}`, {
    token: customer.token,
    body: { url: "https://sneaky.example.com/hooks" },
  });
  assert.equal(patched.status, 400);
});

bankTest("in production, a public address is accepted", async () => {
  const app = await productionApp({});
  const customer = await signUp(app);
  const reply = await call(app, "POST", "/webhook_endpoints", {
    token: customer.token,
    body: { url: "https://93.184.215.14/hooks" },
  });
  assert.equal(reply.status, 201);
});
