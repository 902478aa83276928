import assert from "node:assert/strict";
import { sign } from "hono/jwt";
import { bankTest, manualClock, testApp } from "../support/app.ts";
import { call, signUp } from "../support/client.ts";

const uniqueEmail = () => `u-${crypto.randomUUID()}@example.test`;

bankTest("POST /auth/register answers 201 with the user and never the password", async () => {
  const { app } = await testApp();
  const email = uniqueEmail();
  const reply = await call(app, "POST", "/auth/register", {
    body: { name: "Thandi", email, password: "long enough password" },
  });
  assert.equal(reply.status, 201);
  assert.deepEqual(Object.keys(reply.body).sort(), ["created_at", "email", "id", "name"]);
  assert.equal(reply.body.email, email);
  assert.doesNotMatch(JSON.stringify(reply.body), /password|argon/i);
});

bankTest("POST /users registers exactly like /auth/register", async () => {
  const { app } = await testApp();
  const reply = await call(app, "POST", "/users", {
    body: { name: "Sipho", email: uniqueEmail(), password: "long enough password" },
  });
  assert.equal(reply.status, 201);
  assert.equal(reply.body.name, "Sipho");
});

bankTest("registering an email taken in another letter case answers 409 email_taken", async () => {
  const { app } = await testApp();
  const email = uniqueEmail();
  await call(app, "POST", "/auth/register", {
    body: { name: "A", email, password: "long enough password" },
  });
  const again = await call(app, "POST", "/auth/register", {
    body: { name: "B", email: email.toUpperCase(), password: "another password" },
  });
  assert.equal(again.status, 409);
  assert.equal(again.body.code, "email_taken");
});

bankTest(
  "registering with a bad email, short password or no name answers 400 per field",
  async () => {
    const { app } = await testApp();
    const reply = await call(app, "POST", "/auth/register", {
      body: { name: "", email: "not-an-email", password: "short" },
    });
    assert.equal(reply.status, 400);
    const errors = reply.body.errors as Record<string, string[]>;
    assert.ok(errors.name && errors.email && errors.password);
  },
);

bankTest("POST /auth/login answers a bearer token with its lifetime", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const reply = await call(app, "POST", "/auth/login", {
    body: { email: customer.email.toUpperCase(), password: customer.password },
  });
  assert.equal(reply.status, 200);
  assert.equal(reply.body.token_type, "bearer");
  assert.equal(reply.body.expires_in, 900);
  assert.equal(typeof reply.body.access_token, "string");
});

bankTest("login answers the same for an unknown email and a wrong password", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const wrongPassword = await call(app, "POST", "/auth/login", {
    body: { email: customer.email, password: "not the password" },
  });
  const unknownEmail = await call(app, "POST", "/auth/login", {
    body: { email: uniqueEmail(), password: "not the password" },
  });
  assert.equal(wrongPassword.status, 401);
  assert.deepEqual(unknownEmail, wrongPassword);
});

bankTest("GET /users/me answers the authenticated user", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const reply = await call(app, "GET", "/users/me", { token: customer.token });
  assert.equal(reply.status, 200);
  assert.equal(reply.body.id, customer.id);
});

bankTest("GET /users/{id} answers yourself and 404 for anyone else", async () => {
  const { app } = await testApp();
  const me = await signUp(app);
  const other = await signUp(app);
  assert.equal((await call(app, "GET", `/users/${me.id}`, { token: me.token })).status, 200);
  const reply = await call(app, "GET", `/users/${other.id}`, { token: me.token });
  assert.equal(reply.status, 404);
  assert.equal(reply.body.code, "not_found");
});

bankTest("a request without a token answers 401 problem", async () => {
  const { app } = await testApp();
  const reply = await call(app, "GET", "/accounts");
  assert.equal(reply.status, 401);
  assert.equal(reply.headers.get("content-type"), "application/problem+json");
  assert.equal(reply.body.code, "unauthorized");
});

bankTest("a garbage token answers 401", async () => {
  const { app } = await testApp();
  for (const token of ["garbage", "a.b.c", "Bearer", "x".repeat(5000)]) {
    assert.equal((await call(app, "GET", "/accounts", { token })).status, 401, token.slice(0, 20));
  }
});

bankTest("a token signed with another secret answers 401", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const now = Math.floor(Date.now() / 1000);
  const forged = await sign(
    { sub: customer.id, iat: now, exp: now + 600 },
    "another-secret-another-secret-another-secret",
    "HS256",
  );
  assert.equal((await call(app, "GET", "/users/me", { token: forged })).status, 401);
});

bankTest("a token with alg none answers 401", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const encode = (value: unknown) =>
    btoa(JSON.stringify(value)).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: "none", typ: "JWT" })}.${
    encode({ sub: customer.id, iat: now, exp: now + 600 })
  }.`;
  assert.equal((await call(app, "GET", "/users/me", { token: unsigned })).status, 401);
});

bankTest("an expired token answers 401", async () => {
  const { app, config } = await testApp();
  const customer = await signUp(app);
  const past = Math.floor(Date.now() / 1000) - 3600;
  const expired = await sign(
    { sub: customer.id, iat: past, exp: past + 900 },
    config.jwtSecret,
    "HS256",
  );
  assert.equal((await call(app, "GET", "/users/me", { token: expired })).status, 401);
});

bankTest("a token that worked answers 401 once it has expired", async () => {
  const { app, config } = await testApp();
  const customer = await signUp(app);
  const now = Math.floor(Date.now() / 1000);
  const shortLived = await sign(
    { sub: customer.id, sid: crypto.randomUUID(), gen: 0, auth_time: now, iat: now, exp: now + 1 },
    config.jwtSecret,
    "HS256",
  );
  assert.equal((await call(app, "GET", "/users/me", { token: shortLived })).status, 200);
  await new Promise((resolve) => setTimeout(resolve, (now + 1) * 1000 - Date.now() + 50));
  assert.equal((await call(app, "GET", "/users/me", { token: shortLived })).status, 401);
});

bankTest("a token that worked under one secret answers 401 under another", async () => {
  const { app, config } = await testApp();
  const customer = await signUp(app);
  assert.equal((await call(app, "GET", "/users/me", { token: customer.token })).status, 200);
  const { app: rotated } = await testApp({ env: { JWT_SECRET: `${config.jwtSecret}-rotated` } });
  assert.equal((await call(rotated, "GET", "/users/me", { token: customer.token })).status, 401);
});

bankTest("a tampered copy of a token that worked answers 401", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  assert.equal((await call(app, "GET", "/users/me", { token: customer.token })).status, 200);
  const [header, payload, signature] = customer.token.split(".");
  const flipped = signature.at(-2) === "A" ? "B" : "A";
  const tampered = `${header}.${payload}.${signature.slice(0, -2)}${flipped}${signature.at(-1)}`;
  assert.equal((await call(app, "GET", "/users/me", { token: tampered })).status, 401);
});

bankTest("a token without exp answers 401", async () => {
  const { app, config } = await testApp();
  const customer = await signUp(app);
  const forever = await sign({ sub: customer.id }, config.jwtSecret, "HS256");
  assert.equal((await call(app, "GET", "/users/me", { token: forever })).status, 401);
});

bankTest(
  "POST /auth/logout ends that token's session on every instance and no other session",
  async () => {
    const first = await testApp();
    const second = await testApp();
    const customer = await signUp(first.app);
    const other = await call<{ access_token: string }>(first.app, "POST", "/auth/login", {
      body: { email: customer.email, password: customer.password },
    });
    assert.equal(
      (await call(second.app, "GET", "/users/me", { token: customer.token })).status,
      200,
    );
    const reply = await call(first.app, "POST", "/auth/logout", { token: customer.token });
    assert.equal(reply.status, 204);
    assert.equal(
      (await call(second.app, "GET", "/users/me", { token: customer.token })).status,
      401,
    );
    const me = await call(second.app, "GET", "/users/me", { token: other.body.access_token });
    assert.equal(me.status, 200);
    const again = await call(first.app, "POST", "/auth/logout", { token: customer.token });
    assert.equal(again.status, 401);
  },
);

bankTest(
  "session checks asked together are each answered for their own token",
  async () => {
    // The checks of concurrent requests go to the database together (db/coalesced_reads.ts):
    // a signed-out or superseded token among live ones must still be refused, and only it.
    const { app } = await testApp();
    const live = await signUp(app);
    const signedOut = await signUp(app);
    const superseded = await signUp(app);
    assert.equal((await call(app, "POST", "/auth/logout", { token: signedOut.token })).status, 204);
    const changed = await call(app, "POST", "/auth/password", {
      token: superseded.token,
      body: { current_password: superseded.password, new_password: "another new password" },
    });
    assert.equal(changed.status, 204);
    const tokens = Array.from({ length: 30 }, (_, i) => [live, signedOut, superseded][i % 3]);
    const replies = await Promise.all(
      tokens.map((customer) => call(app, "GET", "/users/me", { token: customer.token })),
    );
    assert.deepEqual(
      replies.map((reply) => reply.status),
      tokens.map((customer) => customer === live ? 200 : 401),
    );
    for (const [i, reply] of replies.entries()) {
      if (reply.status === 200) assert.equal(reply.body.id, tokens[i].id);
    }
  },
);

bankTest("POST /auth/password changes the password: the old one no longer logs in", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const reply = await call(app, "POST", "/auth/password", {
    token: customer.token,
    body: { current_password: customer.password, new_password: "a brand new password" },
  });
  assert.equal(reply.status, 204);
  const old = await call(app, "POST", "/auth/login", {
    body: { email: customer.email, password: customer.password },
  });
  assert.equal(old.status, 401);
  const fresh = await call<{ access_token: string }>(app, "POST", "/auth/login", {
    body: { email: customer.email, password: "a brand new password" },
  });
  assert.equal(fresh.status, 200);
  const me = await call(app, "GET", "/users/me", { token: fresh.body.access_token });
  assert.equal(me.status, 200);
});

bankTest(
  "POST /auth/password with a wrong current password answers 422 and changes nothing",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const reply = await call(app, "POST", "/auth/password", {
      token: customer.token,
      body: { current_password: "not the password", new_password: "a brand new password" },
    });
    assert.equal(reply.status, 422);
    assert.equal(reply.body.code, "current_password_incorrect");
    assert.equal((await call(app, "GET", "/users/me", { token: customer.token })).status, 200);
    const login = await call(app, "POST", "/auth/login", {
      body: { email: customer.email, password: customer.password },
    });
    assert.equal(login.status, 200);
  },
);

bankTest("POST /auth/password refuses a short new password with 400 on new_password", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const reply = await call(app, "POST", "/auth/password", {
    token: customer.token,
    body: { current_password: customer.password, new_password: "short" },
  });
  assert.equal(reply.status, 400);
  assert.ok((reply.body.errors as Record<string, unknown>).new_password);
});

bankTest("two password changes made with one token: only the first happens", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const [a, b] = await Promise.all(
    ["first new password", "second new password"].map((next) =>
      call(app, "POST", "/auth/password", {
        token: customer.token,
        body: { current_password: customer.password, new_password: next },
      })
    ),
  );
  assert.deepEqual([a.status, b.status].sort(), [204, 401]);
});

bankTest(
  "an API key can neither log out nor change the password: 403 insufficient_scope",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const created = await call<{ key: string }>(app, "POST", "/api_keys", {
      token: customer.token,
      body: { name: "Admin", scopes: ["admin"] },
    });
    const logout = await call(app, "POST", "/auth/logout", { token: created.body.key });
    const password = await call(app, "POST", "/auth/password", {
      token: created.body.key,
      body: { current_password: customer.password, new_password: "a brand new password" },
    });
    for (const reply of [logout, password]) {
      assert.equal(reply.status, 403);
      assert.equal(reply.body.code, "insufficient_scope");
    }
    assert.equal((await call(app, "GET", "/users/me", { token: customer.token })).status, 200);
  },
);

bankTest("every 401 carries a WWW-Authenticate: Bearer challenge", async () => {
  const { app } = await testApp();
  const none = await call(app, "GET", "/accounts");
  assert.equal(none.status, 401);
  assert.equal(none.headers.get("www-authenticate"), 'Bearer realm="bank-api-sandbox"');
  for (const token of ["garbage", "sk_test_nope"]) {
    const bad = await call(app, "GET", "/accounts", { token });
    assert.equal(bad.status, 401);
    assert.equal(
      bad.headers.get("www-authenticate"),
      'Bearer realm="bank-api-sandbox", error="invalid_token"',
    );
  }
});

bankTest(
  "API answers carrying tokens, balances or problems are Cache-Control: no-store",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const replies = [
      await call(app, "POST", "/auth/login", {
        body: { email: customer.email, password: customer.password },
      }),
      await call(app, "POST", "/accounts", { token: customer.token, body: {} }),
      await call(app, "GET", "/accounts", { token: customer.token }),
      await call(app, "GET", `/accounts/${crypto.randomUUID()}`, { token: customer.token }),
      await call(app, "GET", "/accounts"),
    ];
    for (const reply of replies) assert.equal(reply.headers.get("cache-control"), "no-store");
  },
);

bankTest("access tokens are judged on the injected clock, not the wall clock", async () => {
  // An hour ahead of real time: a token issued now says so in its iat, and must still count.
  const clock = manualClock(new Date(Date.now() + 3_600_000));
  const { app } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  assert.equal((await call(app, "GET", "/accounts", { token: customer.token })).status, 200);
  // Past its lifetime on that clock (15 minutes), though not on the wall clock's.
  clock.advanceSeconds(901);
  const expired = await call(app, "GET", "/accounts", { token: customer.token });
  assert.equal(expired.status, 401);
});
