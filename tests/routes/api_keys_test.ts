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
