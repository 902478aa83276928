/** The Developers page: API keys, webhook endpoints, delivery logs, events, and their actions. */
import assert from "node:assert/strict";
import { createApp } from "../../../app.ts";
import { createFraudRules } from "../../../domain/fraud/mod.ts";
import { createMemoryLogger } from "../../../routes/logger.ts";
import { bankTest, testApp, testConfig } from "../../support/app.ts";
import { call, fundedAccount, signUp } from "../../support/client.ts";
import { testDatabase } from "../../support/database.ts";
import { PageClient } from "../../support/pages.ts";
import { createEndpoint } from "../../support/webhooks.ts";

// Nothing listens here: deliveries stay queued, which is all these pages need to show.
const HOOK_URL = "http://localhost:8799/hooks";

async function signedIn() {
  const { app } = await testApp();
  const visitor = new PageClient(app);
  const credentials = await visitor.register();
  await visitor.get("/app/developers");
  return { app, visitor, credentials };
}

async function addEndpoint(visitor: PageClient, fields: Record<string, string> = {}) {
  const page = await visitor.submit("/app/developers/endpoints", { url: HOOK_URL, ...fields });
  assert.equal(page.status, 200, page.text);
  const ids = [
    ...page.text.matchAll(/action="\/app\/developers\/endpoints\/([0-9a-f-]{36})\/test"/g),
  ];
  assert.ok(ids.length > 0, "the endpoint is listed with its actions");
  // Endpoints are listed oldest first: the new one is the last.
  return { page, id: ids[ids.length - 1][1] };
}

async function openAccount(visitor: PageClient): Promise<string> {
  const opened = await visitor.post("/app/accounts", { currency: "ZAR" });
  assert.equal(opened.status, 303);
  await visitor.get("/app/developers");
  return opened.headers.get("location")!.split("/").pop()!;
}

bankTest(
  "the Developers page lists keys, endpoints and events and is in the navigation",
  async () => {
    const { visitor } = await signedIn();
    const page = await visitor.get("/app/developers");
    assert.equal(page.status, 200);
    assert.match(page.text, /<h2 id="keys-heading">API keys<\/h2>/);
    assert.match(page.text, /<h2 id="endpoints-heading">Webhook endpoints<\/h2>/);
    assert.match(page.text, /<h2 id="events-heading">Latest events<\/h2>/);
    assert.match(page.text, /href="\/app\/developers"\s+aria-current="page"/);
    assert.match(page.text, /href="\/app\/payments"/);
  },
);

bankTest(
  "a new API key is shown once in a read-only field and works as a bearer credential",
  async () => {
    const { app, visitor } = await signedIn();
    const page = await visitor.submit("/app/developers/api-keys", { name: "Billing server" });
    assert.equal(page.status, 200);
    assert.match(
      page.text,
      /API key &quot;Billing server&quot; created|API key "Billing server" created/,
    );
    const key = /id="shown-secret"[^>]*\sreadonly[^>]*value="(sk_test_[^"]+)"/s.exec(page.text);
    assert.ok(key, "the key sits in a read-only field");
    const accounts = await call(app, "GET", "/accounts", { token: key[1] });
    assert.equal(accounts.status, 200);
    const again = await visitor.get("/app/developers");
    assert.ok(!again.text.includes(key[1]), "the key is never shown again");
    assert.match(again.text, /Billing server/);
  },
);

bankTest("revoking a key from the page stops it at once", async () => {
  const { app, visitor } = await signedIn();
  const created = await visitor.submit("/app/developers/api-keys", { name: "Short-lived" });
  const key = /value="(sk_test_[^"]+)"/.exec(created.text)![1];
  const id = /action="\/app\/developers\/api-keys\/([0-9a-f-]{36})\/revoke"/.exec(created.text)![1];
  const revoked = await visitor.submit(`/app/developers/api-keys/${id}/revoke`, {});
  assert.equal(revoked.status, 200);
  assert.match(revoked.text, /API key revoked/);
  assert.match(revoked.text, /No active API keys/);
  assert.equal((await call(app, "GET", "/accounts", { token: key })).status, 401);
});

bankTest("an API key without a name is refused by its field and none is made", async () => {
  const { visitor } = await signedIn();
  for (const name of ["", "   ", "x".repeat(101)]) {
    const page = await visitor.submit("/app/developers/api-keys", { name });
    assert.equal(page.status, 400, JSON.stringify(name));
    assert.match(page.text, /Give the key a name of 1 to 100 characters/);
    assert.match(page.text, /id="key-name"[^>]*aria-invalid="true"/s);
    assert.doesNotMatch(page.text, /value="sk_test_/);
  }
});

bankTest("adding an endpoint shows its signing secret once and lists it enabled", async () => {
  const { visitor } = await signedIn();
  const { page } = await addEndpoint(visitor, {
    description: "Ledger sync",
    "type:payment.settled": "on",
  });
  assert.match(page.text, /Endpoint added/);
  assert.match(page.text, /value="whsec_[A-Za-z0-9+/]{32}"/);
  assert.match(page.text, /Ledger sync ·\s*payment\.settled/);
  assert.match(page.text, /badge--approved">Enabled/);
  assert.doesNotMatch((await visitor.get("/app/developers")).text, /whsec_/);
});

bankTest(
  "an endpoint URL the API refuses is refused by the page with the API's reason",
  async () => {
    const { visitor } = await signedIn();
    for (const url of ["ftp://example.com/hooks", "not a url", "", "http://exa mple.com/"]) {
      const page = await visitor.submit("/app/developers/endpoints", { url });
      assert.equal(page.status, 400, url);
      assert.match(page.text, /id="endpoint-url"[^>]*aria-invalid="true"/s, url);
      assert.match(page.text, /No webhook endpoints yet/, url);
    }
    const ftp = await visitor.submit("/app/developers/endpoints", { url: "ftp://example.com/x" });
    assert.match(ftp.text, /The URL must use http or https|The URL [^<]*http/);
  },
);

bankTest("in production the page refuses a loopback endpoint like the API does", async () => {
  const { sql } = await testDatabase();
  const config = testConfig({ APP_ENV: "production", WEBHOOK_ALLOW_PRIVATE: "false" });
  const app = createApp({
    sql,
    config,
    clock: () => new Date(),
    fraudRules: createFraudRules(config.fraud),
    log: createMemoryLogger(),
    resolveHost: () => Promise.resolve(["127.0.0.1"]),
  });
  const visitor = new PageClient(app);
  await visitor.register();
  await visitor.get("/app/developers");
  for (const url of ["http://127.0.0.1/hooks", "http://hooks.example.com/x"]) {
    const page = await visitor.submit("/app/developers/endpoints", { url });
    assert.equal(page.status, 400, url);
    assert.match(page.text, /No webhook endpoints yet/, url);
  }
});

bankTest("an endpoint is disabled, enabled and deleted from the page", async () => {
  const { visitor } = await signedIn();
  const { id } = await addEndpoint(visitor);
  const disabled = await visitor.submit(`/app/developers/endpoints/${id}/disable`, {});
  assert.equal(disabled.status, 200);
  assert.match(disabled.text, /badge--muted">Disabled/);
  const enabled = await visitor.submit(`/app/developers/endpoints/${id}/enable`, {});
  assert.match(enabled.text, /badge--approved">Enabled/);
  const deleted = await visitor.submit(`/app/developers/endpoints/${id}/delete`, {});
  assert.equal(deleted.status, 200);
  assert.match(deleted.text, /Endpoint deleted/);
  assert.match(deleted.text, /No webhook endpoints yet/);
});

bankTest("send test event says so when the customer has no events yet", async () => {
  const { visitor } = await signedIn();
  const { id } = await addEndpoint(visitor);
  const page = await visitor.submit(`/app/developers/endpoints/${id}/test`, {});
  assert.equal(page.postStatus, 303, "answered by its result page (Post/Redirect/Get)");
  assert.match(page.text, /You have no events yet/);
  assert.match(page.text, /No deliveries to this endpoint yet/);
});

bankTest("send test event queues the latest event to that endpoint only", async () => {
  const { visitor } = await signedIn();
  const first = await addEndpoint(visitor);
  const second = await addEndpoint(visitor);
  assert.notEqual(first.id, second.id);
  await openAccount(visitor);
  const before = await visitor.get("/app/developers");
  const queuedBefore = (before.text.match(/badge--pending">pending/g) ?? []).length;
  const page = await visitor.submit(`/app/developers/endpoints/${first.id}/test`, {});
  assert.equal(page.status, 200);
  assert.match(page.text, /Test event queued/);
  assert.match(page.text, /Your latest account\.created event/);
  assert.equal((page.text.match(/badge--pending">pending/g) ?? []).length, queuedBefore + 1);
  const logs = page.text.slice(0, page.text.indexOf('id="events-heading"')).split(
    'class="endpoint"',
  );
  const firstLog = logs.find((part) => part.includes(`${first.id}/test`))!;
  const secondLog = logs.find((part) => part.includes(`${second.id}/test`))!;
  assert.equal((firstLog.match(/<code>account\.created<\/code>/g) ?? []).length, 2);
  assert.equal((secondLog.match(/<code>account\.created<\/code>/g) ?? []).length, 1);
});

bankTest(
  "send test event to a disabled endpoint says to enable it and queues nothing",
  async () => {
    const { visitor } = await signedIn();
    const { id } = await addEndpoint(visitor);
    await openAccount(visitor);
    await visitor.submit(`/app/developers/endpoints/${id}/disable`, {});
    const page = await visitor.submit(`/app/developers/endpoints/${id}/test`, {});
    assert.equal(page.postStatus, 303, "answered by its result page (Post/Redirect/Get)");
    assert.match(page.text, /This endpoint is disabled/);
  },
);

bankTest("the delivery log shows each delivery's status, attempts and next attempt", async () => {
  const { visitor } = await signedIn();
  await addEndpoint(visitor);
  await openAccount(visitor);
  const page = await visitor.get("/app/developers");
  const row = /<table class="deliveries[^"]*">[\s\S]*?<tbody>\s*<tr>([\s\S]*?)<\/tr>/.exec(
    page.text,
  );
  assert.ok(row, "a delivery row");
  assert.match(row[1], /<code>account\.created<\/code>/);
  assert.match(row[1], /badge--pending">pending/);
  assert.match(row[1], /<td data-label="Attempts" class="numeric">0<\/td>/);
  assert.match(row[1], /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\s*<\/td>\s*$/);
});

bankTest("redeliver queues an event again to every enabled endpoint that takes it", async () => {
  const { visitor } = await signedIn();
  await addEndpoint(visitor);
  await addEndpoint(visitor, { "type:payment.settled": "on" });
  await openAccount(visitor);
  const page = await visitor.get("/app/developers");
  const eventId = /action="\/app\/developers\/events\/([0-9a-f-]{36})\/redeliver"/.exec(page.text)!;
  const redelivered = await visitor.submit(`/app/developers/events/${eventId[1]}/redeliver`, {});
  assert.equal(redelivered.status, 200);
  assert.match(redelivered.text, /Event queued for 1 endpoint</);
});

bankTest(
  "another customer's endpoint, key and event are 404 pages and stay unchanged",
  async () => {
    const { app, visitor } = await signedIn();
    const other = await signUp(app);
    const endpoint = await createEndpoint(app, other, { url: HOOK_URL });
    await fundedAccount(app, other, "5");
    const key = await call(app, "POST", "/api_keys", { token: other.token, body: { name: "k" } });
    const events = await call<{ data: { id: string }[] }>(app, "GET", "/events", {
      token: other.token,
    });
    for (
      const path of [
        `/app/developers/endpoints/${endpoint.id}/disable`,
        `/app/developers/endpoints/${endpoint.id}/delete`,
        `/app/developers/endpoints/${endpoint.id}/test`,
        `/app/developers/api-keys/${key.body.id}/revoke`,
        `/app/developers/events/${events.body.data[0].id}/redeliver`,
        "/app/developers/endpoints/not-a-uuid/enable",
      ]
    ) {
      const page = await visitor.post(path, {});
      assert.equal(page.status, 404, path);
      assert.match(page.text, /not found\. It does not exist, or it is not yours/, path);
    }
    const theirs = await call(app, "GET", `/webhook_endpoints/${endpoint.id}`, {
      token: other.token,
    });
    assert.equal(theirs.body.enabled, true);
    assert.equal(
      (await call(app, "GET", "/accounts", { token: String(key.body.key) })).status,
      200,
    );
  },
);

bankTest("Developers forms without the CSRF token are refused and change nothing", async () => {
  const { visitor } = await signedIn();
  const { id } = await addEndpoint(visitor);
  const key = await visitor.submit("/app/developers/api-keys", { name: "Kept", _csrf: "" });
  assert.equal(key.status, 403);
  const del = await visitor.submit(`/app/developers/endpoints/${id}/delete`, { _csrf: "" });
  assert.equal(del.status, 403);
  const page = await visitor.get("/app/developers");
  assert.match(page.text, /No active API keys/);
  assert.match(page.text, new RegExp(`${id}/delete`));
});

bankTest("the events list pages 20 at a time with Older and Newer links", async () => {
  const { visitor } = await signedIn();
  const opened = await visitor.post("/app/accounts", { currency: "ZAR" });
  const path = opened.headers.get("location")!;
  await visitor.get(path);
  for (let i = 1; i <= 21; i++) await visitor.post(`${path}/deposit`, { amount: String(i) });
  const eventIds = (text: string) => [
    ...new Set([...text.matchAll(/href="\/app\/events\/([0-9a-f-]{36})"/g)].map((m) => m[1])),
  ];
  const newest = await visitor.get("/app/developers");
  const first = eventIds(newest.text);
  assert.equal(first.length, 20);
  const older = /<a [^>]*rel="next" href="([^"]*events_older=[^"]+)"[^>]*>Older/.exec(newest.text);
  assert.ok(older, "an Older link for the events");
  const second = await visitor.get(older[1].replaceAll("&amp;", "&"));
  const rest = eventIds(second.text);
  assert.ok(rest.length >= 2, "the older events");
  assert.equal(new Set([...first, ...rest]).size, first.length + rest.length);
  const newer = /<a [^>]*rel="prev" href="([^"]*events_newer=[^"]+)"[^>]*>← Newer/.exec(
    second.text,
  );
  assert.ok(newer, "a Newer link for the events");
  assert.deepEqual(eventIds((await visitor.get(newer[1].replaceAll("&amp;", "&"))).text), first);
  assert.equal((await visitor.get("/app/developers?events_older=bogus")).status, 404);
});

bankTest("an endpoint's delivery log pages 20 at a time, and its poll keeps the page", async () => {
  const { visitor } = await signedIn();
  const { id } = await addEndpoint(visitor);
  const opened = await visitor.post("/app/accounts", { currency: "ZAR" });
  const path = opened.headers.get("location")!;
  await visitor.get(path);
  // account.created and 21 deposits: 22 deliveries to the endpoint.
  for (let i = 1; i <= 21; i++) await visitor.post(`${path}/deposit`, { amount: String(i) });
  const deliveryIds = (text: string) => [
    ...new Set([...text.matchAll(/href="\/app\/deliveries\/([0-9a-f-]{36})"/g)].map((m) => m[1])),
  ];
  const newest = await visitor.get("/app/developers");
  const first = deliveryIds(newest.text);
  assert.equal(first.length, 20);
  const older = /<a [^>]*rel="next" href="([^"]*deliveries_older=[^"]+)"[^>]*>Older/.exec(
    newest.text,
  );
  assert.ok(older, "an Older link for the deliveries");
  const olderPath = older[1].replaceAll("&amp;", "&");
  assert.match(olderPath, new RegExp(`deliveries_endpoint=${id}&`));
  assert.match(olderPath, new RegExp(`#endpoint-${id}$`));
  const second = await visitor.get(olderPath);
  const rest = deliveryIds(second.text);
  assert.equal(rest.length, 2);
  assert.equal(new Set([...first, ...rest]).size, 22);
  // The log's poll carries its window: it answers the older page, not the newest.
  const poll = /hx-get="([^"]*\/deliveries\/live\?[^"]*deliveries_older=[^"]+)"/.exec(second.text);
  assert.ok(poll, "the poll names the window");
  const polled = await visitor.get(poll[1].replaceAll("&amp;", "&").replace(/&v=[^&]+/, "&v=x"));
  assert.deepEqual(deliveryIds(polled.text), rest);
  const newer = /<a [^>]*rel="prev" href="([^"]*deliveries_newer=[^"]+)"[^>]*>← Newer/.exec(
    second.text,
  );
  assert.ok(newer, "a Newer link for the deliveries");
  assert.deepEqual(deliveryIds((await visitor.get(newer[1].replaceAll("&amp;", "&"))).text), first);
  const bogus = `/app/developers?deliveries_endpoint=${id}&deliveries_older=bogus`;
  assert.equal((await visitor.get(bogus)).status, 404);
  // Nothing listens at HOOK_URL: disabled, its 22 deliveries leave the shared queue alone.
  await visitor.get("/app/developers");
  await visitor.submit(`/app/developers/endpoints/${id}/disable`, {});
});
