/** Login throttling: failed logins are counted in the database per email and per client address. */
import assert from "node:assert/strict";
import {
  LOGIN_ATTEMPTS_PER_CLIENT_MAX,
  LOGIN_ATTEMPTS_PER_PAIR_MAX,
  LOGIN_WINDOW_SECONDS,
} from "../../domain/login_throttle.ts";
import { bankTest, manualClock, testApp } from "../support/app.ts";
import { call, signUp } from "../support/client.ts";

type App = Awaited<ReturnType<typeof testApp>>["app"];

// A login from a given client address, as Deno.serve would pass it to the app.
async function loginFrom(app: App, address: string, login: { email: string; password: string }) {
  // Only the login's fields: the body is strict, and a Customer carries more.
  const body = { email: login.email, password: login.password };
  const response = await app.request("/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  }, { remoteAddr: { hostname: address, port: 50_000, transport: "tcp" } });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

function randomAddress(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(2));
  return `198.51.${bytes[0]}.${bytes[1]}`;
}

bankTest(
  "POST /auth/login answers 429 with Retry-After once an email and address have too many attempts",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_PAIR_MAX; i++) {
      const reply = await call(app, "POST", "/auth/login", {
        body: { email: customer.email, password: "wrong password" },
      });
      assert.equal(reply.status, 401);
    }
    const refused = await call(app, "POST", "/auth/login", {
      body: { email: customer.email, password: customer.password },
    });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.code, "rate_limited");
    assert.equal(refused.headers.get("content-type"), "application/problem+json");
    const retryAfter = Number(refused.headers.get("retry-after"));
    assert.ok(retryAfter > 0 && retryAfter <= LOGIN_WINDOW_SECONDS);
  },
);

bankTest("POST /auth/login counts an email's failures whatever its letter case", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  for (let i = 0; i < LOGIN_ATTEMPTS_PER_PAIR_MAX; i++) {
    const email = i % 2 ? customer.email.toUpperCase() : customer.email;
    await call(app, "POST", "/auth/login", { body: { email, password: "wrong password" } });
  }
  const refused = await call(app, "POST", "/auth/login", {
    body: { email: customer.email, password: customer.password },
  });
  assert.equal(refused.status, 429);
});

bankTest("POST /auth/login lets an email in again once its window has passed", async () => {
  const clock = manualClock();
  const { app } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  for (let i = 0; i <= LOGIN_ATTEMPTS_PER_PAIR_MAX; i++) {
    await call(app, "POST", "/auth/login", {
      body: { email: customer.email, password: "wrong password" },
    });
  }
  clock.advanceSeconds(LOGIN_WINDOW_SECONDS + 1);
  const reply = await call(app, "POST", "/auth/login", {
    body: { email: customer.email, password: customer.password },
  });
  assert.equal(reply.status, 200);
});

bankTest("POST /auth/login forgets an email's failures after a success", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const fail = () =>
    call(app, "POST", "/auth/login", {
      body: { email: customer.email, password: "wrong password" },
    });
  for (let i = 0; i < LOGIN_ATTEMPTS_PER_PAIR_MAX - 1; i++) await fail();
  const ok = await call(app, "POST", "/auth/login", {
    body: { email: customer.email, password: customer.password },
  });
  assert.equal(ok.status, 200);
  assert.equal((await fail()).status, 401);
});

bankTest(
  "POST /auth/login answers 429 to a client address that failed for many emails",
  async () => {
    const { app } = await testApp();
    const address = randomAddress();
    const customer = await signUp(app);
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_CLIENT_MAX; i++) {
      const reply = await loginFrom(app, address, {
        email: `nobody-${crypto.randomUUID()}@example.test`,
        password: "guess",
      });
      assert.equal(reply.status, 401);
    }
    const refused = await loginFrom(app, address, customer);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get("retry-after")) > 0);
    const elsewhere = await loginFrom(app, randomAddress(), customer);
    assert.equal(elsewhere.status, 200, "another address is not throttled");
  },
);

bankTest("POST /auth/login throttling holds across two app instances on one database", async () => {
  const first = await testApp();
  const second = await testApp();
  const customer = await signUp(first.app);
  for (let i = 0; i < LOGIN_ATTEMPTS_PER_PAIR_MAX; i++) {
    const app = i % 2 ? first.app : second.app;
    await call(app, "POST", "/auth/login", {
      body: { email: customer.email, password: "wrong password" },
    });
  }
  const refused = await call(second.app, "POST", "/auth/login", {
    body: { email: customer.email, password: customer.password },
  });
  assert.equal(refused.status, 429);
});
