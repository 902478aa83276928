/** API keys: shown once, stored hashed, accepted as bearer credentials, revoked at once. */
import assert from "node:assert/strict";
import { bankTest, manualClock, testApp } from "../support/app.ts";
import { call, deposit, openAccount, signUp } from "../support/client.ts";

interface CreatedKey {
  id: string;
  key: string;
  key_prefix: string;
  last_used_at: string | null;
}

async function createKey(app: Parameters<typeof call>[0], token: string, name = "Server") {
  const reply = await call<CreatedKey>(app, "POST", "/api_keys", { token, body: { name } });
  assert.equal(reply.status, 201);
  return reply.body;
}

bankTest(
  "POST /api_keys shows an sk_test_ key once and stores only its SHA-256 digest",
  async () => {
    const { app, sql } = await testApp();
    const customer = await signUp(app);
    const created = await createKey(app, customer.token, "Billing server");
    assert.match(created.key, /^sk_test_[A-Za-z0-9_-]{43}$/);
    assert.ok(created.key.startsWith(created.key_prefix));
    assert.equal(created.last_used_at, null);
    const listed = await call<{ data: Record<string, unknown>[] }>(app, "GET", "/api_keys", {
      token: customer.token,
    });
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.data.map((key) => key.id), [created.id]);
    assert.equal(listed.body.data[0].key, undefined);
    assert.ok(!JSON.stringify(listed.body).includes(created.key));
    const [stored] = await sql<{ keyHash: string }[]>`
    SELECT key_hash FROM api_keys WHERE id = ${created.id}`;
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(created.key));
    const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    assert.equal(stored.keyHash, hex);
  },
);

bankTest("two keys are never the same", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const first = await createKey(app, customer.token);
  const second = await createKey(app, customer.token);
  assert.notEqual(first.key, second.key);
});

bankTest("an API key works as a bearer credential wherever an access token does", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const { key } = await createKey(app, customer.token);
  const me = await call(app, "GET", "/users/me", { token: key });
  assert.equal(me.status, 200);
  assert.equal(me.body.id, customer.id);
  const account = await call<{ id: string }>(app, "POST", "/accounts", { token: key, body: {} });
  assert.equal(account.status, 201);
  const moved = await deposit(app, { ...customer, token: key }, account.body.id, "5.00");
  assert.equal(moved.status, 201);
});

bankTest("an unknown or malformed sk_test_ key is a 401", async () => {
  const { app } = await testApp();
  for (const token of ["sk_test_nope", `sk_test_${"A".repeat(43)}`]) {
    const reply = await call(app, "GET", "/accounts", { token });
    assert.equal(reply.status, 401);
    assert.equal(reply.body.code, "unauthorized");
  }
});

bankTest("DELETE /api_keys/{id} stops the key at once, on every instance", async () => {
  const first = await testApp();
  const second = await testApp();
  const customer = await signUp(first.app);
  const created = await createKey(first.app, customer.token);
  assert.equal((await call(second.app, "GET", "/accounts", { token: created.key })).status, 200);
  const revoked = await call(first.app, "DELETE", `/api_keys/${created.id}`, {
    token: customer.token,
  });
  assert.equal(revoked.status, 204);
  assert.equal((await call(second.app, "GET", "/accounts", { token: created.key })).status, 401);
  assert.equal((await call(first.app, "GET", "/accounts", { token: created.key })).status, 401);
  const listed = await call<{ data: unknown[] }>(first.app, "GET", "/api_keys", {
    token: customer.token,
  });
  assert.deepEqual(listed.body.data, []);
  const again = await call(first.app, "DELETE", `/api_keys/${created.id}`, {
    token: customer.token,
  });
  assert.equal(again.status, 404);
});

bankTest("last_used_at is written at most once a minute", async () => {
  // Real time (the access token is checked against it), moved by hand from there.
  const start = new Date(Math.floor(Date.now() / 1000) * 1000);
  const clock = manualClock(start);
  const { app } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  const created = await createKey(app, customer.token);
  const lastUsed = async () => {
    const listed = await call<{ data: CreatedKey[] }>(app, "GET", "/api_keys", {
      token: customer.token,
    });
    return listed.body.data[0].last_used_at;
  };
  await call(app, "GET", "/accounts", { token: created.key });
  assert.equal(await lastUsed(), start.toISOString());
  clock.advanceSeconds(59);
  await call(app, "GET", "/accounts", { token: created.key });
  assert.equal(await lastUsed(), start.toISOString());
  clock.advanceSeconds(2);
  await call(app, "GET", "/accounts", { token: created.key });
  assert.equal(await lastUsed(), new Date(start.getTime() + 61_000).toISOString());
});

bankTest("another user's API key is a 404 and never listed", async () => {
  const { app } = await testApp();
  const owner = await signUp(app);
  const stranger = await signUp(app);
  const created = await createKey(app, owner.token);
  const revoke = await call(app, "DELETE", `/api_keys/${created.id}`, { token: stranger.token });
  assert.equal(revoke.status, 404);
  const listed = await call<{ data: unknown[] }>(app, "GET", "/api_keys", {
    token: stranger.token,
  });
  assert.deepEqual(listed.body.data, []);
  assert.equal((await call(app, "GET", "/accounts", { token: created.key })).status, 200);
});

bankTest("POST /api_keys without a valid name is a 400", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  for (const body of [{}, { name: "" }, { name: "   " }, { name: "x".repeat(101) }, { name: 7 }]) {
    const reply = await call(app, "POST", "/api_keys", { token: customer.token, body });
    assert.equal(reply.status, 400, JSON.stringify(body));
    assert.equal(reply.body.code, "validation_error");
  }
});

bankTest("an API key cannot be created without credentials", async () => {
  const { app } = await testApp();
  const reply = await call(app, "POST", "/api_keys", { body: { name: "x" } });
  assert.equal(reply.status, 401);
});

bankTest(
  "an API key's account is the key owner's: another user's account stays a 404",
  async () => {
    const { app } = await testApp();
    const owner = await signUp(app);
    const stranger = await signUp(app);
    const strangersAccount = await openAccount(app, stranger);
    const { key } = await createKey(app, owner.token);
    const reply = await call(app, "GET", `/accounts/${strangersAccount.id}`, { token: key });
    assert.equal(reply.status, 404);
  },
);

async function keyWith(
  app: Parameters<typeof call>[0],
  token: string,
  body: Record<string, unknown>,
) {
  return await call<CreatedKey & { scopes: string[]; expires_at: string | null; code?: string }>(
    app,
    "POST",
    "/api_keys",
    { token, body: { name: "Scoped", ...body } },
  );
}

bankTest(
  "a key made without scopes has read and money and no expiry, shown when listed",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const created = await keyWith(app, customer.token, {});
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.scopes, ["read", "money"]);
    assert.equal(created.body.expires_at, null);
    const listed = await call<{ data: Record<string, unknown>[] }>(app, "GET", "/api_keys", {
      token: customer.token,
    });
    assert.deepEqual(listed.body.data[0].scopes, ["read", "money"]);
    assert.equal(listed.body.data[0].expires_at, null);
  },
);

bankTest("a read key reads, and answers 403 insufficient_scope to anything else", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const { body } = await keyWith(app, customer.token, { scopes: ["read"] });
  assert.equal((await call(app, "GET", "/accounts", { token: body.key })).status, 200);
  const open = await call(app, "POST", "/accounts", { token: body.key, body: {} });
  assert.equal(open.status, 403);
  assert.equal(open.headers.get("content-type"), "application/problem+json");
  assert.equal(open.body.code, "insufficient_scope");
  assert.equal(
    open.headers.get("www-authenticate"),
    'Bearer realm="bank-api-sandbox", error="insufficient_scope", scope="money"',
  );
});

bankTest("a money key moves money but gets 403 on every /api_keys operation", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const own = await keyWith(app, customer.token, { scopes: ["money"] });
  const account = await call<{ id: string }>(app, "POST", "/accounts", {
    token: own.body.key,
    body: {},
  });
  assert.equal(account.status, 201);
  const moved = await deposit(app, { ...customer, token: own.body.key }, account.body.id, "5.00");
  assert.equal(moved.status, 201);
  const replies = [
    await call(app, "GET", "/api_keys", { token: own.body.key }),
    await call(app, "POST", "/api_keys", { token: own.body.key, body: { name: "x" } }),
    await call(app, "DELETE", `/api_keys/${own.body.id}`, { token: own.body.key }),
  ];
  for (const reply of replies) {
    assert.equal(reply.status, 403);
    assert.equal(reply.body.code, "insufficient_scope");
  }
});

bankTest("an admin key makes keys, of any scope, that expire no later than itself", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
  const admin = await keyWith(app, customer.token, { scopes: ["admin"], expires_at: expiresAt });
  assert.equal(admin.body.expires_at, expiresAt);
  const inherited = await keyWith(app, admin.body.key, { scopes: ["read"] });
  assert.equal(inherited.status, 201);
  assert.equal(inherited.body.expires_at, expiresAt);
  const sooner = new Date(Date.now() + 60_000).toISOString();
  const shorter = await keyWith(app, admin.body.key, { expires_at: sooner });
  assert.equal(shorter.body.expires_at, sooner);
  const longer = await keyWith(app, admin.body.key, {
    expires_at: new Date(Date.now() + 7_200_000).toISOString(),
  });
  assert.equal(longer.status, 403);
  assert.equal(longer.body.code, "insufficient_scope");
});

bankTest("an expired key is a 401 and is no longer listed", async () => {
  const start = new Date();
  const clock = manualClock(start);
  const { app } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  const created = await keyWith(app, customer.token, {
    expires_at: new Date(start.getTime() + 60_000).toISOString(),
  });
  assert.equal((await call(app, "GET", "/accounts", { token: created.body.key })).status, 200);
  clock.advanceSeconds(60);
  const expired = await call(app, "GET", "/accounts", { token: created.body.key });
  assert.equal(expired.status, 401);
  assert.equal(expired.body.code, "unauthorized");
  const listed = await call<{ data: unknown[] }>(app, "GET", "/api_keys", {
    token: customer.token,
  });
  assert.deepEqual(listed.body.data, []);
});

bankTest("a key made by a key stops when its maker expires", async () => {
  const start = new Date();
  const clock = manualClock(start);
  const { app, sql } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  const maker = await keyWith(app, customer.token, { scopes: ["admin"] });
  const made = await keyWith(app, maker.body.key, {});
  // The maker's expiry moved up after the fact (as an operator might): the made key follows it.
  await sql`UPDATE api_keys SET expires_at = ${new Date(start.getTime() + 1_000)}
            WHERE id = ${maker.body.id}`;
  clock.advanceSeconds(2);
  assert.equal((await call(app, "GET", "/accounts", { token: made.body.key })).status, 401);
});

bankTest(
  "POST /api_keys refuses an unknown or repeated scope and a past expiry with 400",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const bodies = [
      { scopes: ["root"] },
      { scopes: [] },
      { scopes: ["read", "read"] },
      { expires_at: "2001-01-01T00:00:00Z" },
      { expires_at: "tomorrow" },
    ];
    for (const body of bodies) {
      const reply = await keyWith(app, customer.token, body);
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.equal(reply.body.code, "validation_error");
    }
  },
);
