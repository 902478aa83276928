/** Browser sessions: the token in a cookie with the right flags, expiry, and sign-out. */
import assert from "node:assert/strict";
import { issueAccessToken, signAccessToken } from "../../../routes/auth/tokens.ts";
import { bankTest, testApp } from "../../support/app.ts";
import { PageClient, setCookieLine } from "../../support/pages.ts";

bankTest("signing in sets an HttpOnly, SameSite=Lax session cookie scoped to /app", async () => {
  const { app, config } = await testApp();
  const visitor = new PageClient(app);
  const { email, password } = await visitor.register();
  const fresh = new PageClient(app);
  await fresh.get("/app/sign-in");
  const page = await fresh.post("/app/sign-in", { email, password });
  assert.equal(page.status, 303);
  assert.equal(page.headers.get("location"), "/app");
  const cookie = setCookieLine(page.headers, "bank_session");
  assert.ok(cookie, "a session cookie is set");
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Lax/);
  assert.match(cookie, /; Path=\/app/);
  assert.match(cookie, new RegExp(`; Max-Age=${config.accessTokenTtlSeconds}(;|$)`));
  assert.doesNotMatch(cookie, /; Secure/, "no Secure flag over plain http");
});

bankTest("signing in over https marks the session cookie Secure", async () => {
  const { app } = await testApp();
  const { email, password } = await new PageClient(app).register();
  const visitor = new PageClient(app, "https://bank.example");
  await visitor.get("/app/sign-in");
  const page = await visitor.post("/app/sign-in", { email, password });
  assert.equal(page.status, 303);
  assert.match(setCookieLine(page.headers, "bank_session") ?? "", /; Secure/);
  assert.match(setCookieLine(page.headers, "bank_csrf") ?? "", /; Secure/);
});

bankTest("a wrong password re-shows the form with 401 and sets no session", async () => {
  const { app } = await testApp();
  const { email } = await new PageClient(app).register();
  const visitor = new PageClient(app);
  await visitor.get("/app/sign-in");
  const page = await visitor.post("/app/sign-in", { email, password: "wrong password" });
  assert.equal(page.status, 401);
  assert.match(page.text, /The email or password is incorrect/);
  assert.equal(setCookieLine(page.headers, "bank_session"), undefined);
});

bankTest("a page without a session redirects to sign-in and remembers where it was", async () => {
  const { app } = await testApp();
  const page = await new PageClient(app).get("/app/transactions?status=rejected");
  assert.equal(page.status, 303);
  const location = new URL(page.headers.get("location")!, "http://localhost");
  assert.equal(location.pathname, "/app/sign-in");
  assert.equal(location.searchParams.get("next"), "/app/transactions?status=rejected");
});

bankTest("an htmx request without a session is told to redirect with HX-Redirect", async () => {
  const { app } = await testApp();
  const page = await new PageClient(app).get("/app/transfers/check?field=amount", {
    "hx-request": "true",
  });
  assert.equal(page.status, 200);
  assert.equal(page.headers.get("hx-redirect"), "/app/sign-in");
});

bankTest("an expired session is refused and sent to sign in again", async () => {
  const { app, config } = await testApp();
  const visitor = new PageClient(app);
  await visitor.register();
  const token = visitor.cookies.get("bank_session")!;
  const { sub } = JSON.parse(atob(token.split(".")[1].replaceAll("-", "+").replaceAll("_", "/")));
  const ttlSeconds = config.accessTokenTtlSeconds;
  const expired = await issueAccessToken(sub, {
    secret: config.jwtSecret,
    ttlSeconds,
    now: new Date(Date.now() - (ttlSeconds + 60) * 1000),
    generation: 0,
  });
  visitor.cookies.set("bank_session", expired);
  const page = await visitor.get("/app");
  assert.equal(page.status, 303);
  assert.match(page.headers.get("location")!, /^\/app\/sign-in\?.*expired=1/);
  assert.match(setCookieLine(page.headers, "bank_session") ?? "", /Max-Age=0/);
  const signIn = await visitor.get(page.headers.get("location")!);
  assert.match(signIn.text, /Your session expired/);
});

bankTest(
  "signing out clears the session cookie and the old token's forms stop working",
  async () => {
    const { app } = await testApp();
    const visitor = new PageClient(app);
    await visitor.register();
    const stolenToken = visitor.csrfToken;
    const stolenSession = visitor.cookies.get("bank_session")!;
    const page = await visitor.post("/app/sign-out", {});
    assert.equal(page.status, 303);
    assert.equal(page.headers.get("location"), "/app/sign-in?signed_out=1");
    assert.match(setCookieLine(page.headers, "bank_session") ?? "", /Max-Age=0/);
    assert.equal(visitor.cookies.has("bank_session"), false);
    assert.equal((await visitor.get("/app")).status, 303);
    // The signed-out browser's old form token is bound to the old nonce and session.
    visitor.cookies.set("bank_session", stolenSession);
    const replay = await visitor.post("/app/accounts", { currency: "ZAR", _csrf: stolenToken });
    // The revoked session is found ended before the form is looked at: to sign in, not acted on.
    assert.equal(replay.status, 303);
    assert.match(replay.headers.get("location")!, /^\/app\/sign-in\?.*expired=1/);
    const bare = await visitor.post("/app/accounts", { currency: "ZAR", _csrf: stolenToken });
    assert.equal(bare.status, 303, "and with no session at all, the same");
  },
);

bankTest("sign-in never redirects to another site, whatever `next` says", async () => {
  const { app } = await testApp();
  const { email, password } = await new PageClient(app).register();
  for (const next of ["https://evil.example/", "//evil.example/app", "/app/../evil", "/docs"]) {
    const visitor = new PageClient(app);
    await visitor.get("/app/sign-in");
    const page = await visitor.post("/app/sign-in", { email, password, next });
    assert.equal(page.headers.get("location"), "/app", `next=${next}`);
  }
});

bankTest(
  "repeated wrong passwords on the sign-in page are throttled like the API's login",
  async () => {
    const { app } = await testApp();
    const { email, password } = await new PageClient(app).register();
    const visitor = new PageClient(app);
    await visitor.get("/app/sign-in");
    for (let i = 0; i < 5; i++) {
      const page = await visitor.post("/app/sign-in", { email, password: "wrong password" });
      assert.equal(page.status, 401, `attempt ${i + 1}`);
    }
    const throttled = await visitor.post("/app/sign-in", { email, password });
    assert.equal(throttled.status, 429);
    assert.ok(Number(throttled.headers.get("retry-after")) > 0);
    assert.match(throttled.text, /Too many failed sign-ins/);
    assert.equal(setCookieLine(throttled.headers, "bank_session"), undefined);
  },
);

bankTest("signing out revokes the session: its old cookie is sent to sign in again", async () => {
  const { app } = await testApp();
  const visitor = new PageClient(app);
  await visitor.register();
  const oldCookie = visitor.cookies.get("bank_session")!;
  assert.equal((await visitor.post("/app/sign-out", {})).status, 303);
  visitor.cookies.set("bank_session", oldCookie);
  const page = await visitor.get("/app");
  assert.equal(page.status, 303);
  assert.match(page.headers.get("location")!, /^\/app\/sign-in/);
});

// A session cookie as the dashboard would have issued it, signed in and last refreshed earlier.
async function sessionCookie(
  secret: string,
  userId: string,
  times: { signedInSecondsAgo: number; issuedSecondsAgo: number; expiresInSeconds: number },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return await signAccessToken({
    sub: userId,
    sid: crypto.randomUUID(),
    gen: 0,
    auth_time: now - times.signedInSecondsAgo,
    iat: now - times.issuedSecondsAgo,
    exp: now + times.expiresInSeconds,
  }, secret);
}

function userIdOf(visitor: PageClient): string {
  const token = visitor.cookies.get("bank_session")!;
  return JSON.parse(atob(token.split(".")[1].replaceAll("-", "+").replaceAll("_", "/"))).sub;
}

bankTest(
  "activity slides the session: a page visit renews the cookie for the idle time",
  async () => {
    const { app, config } = await testApp();
    const visitor = new PageClient(app);
    await visitor.register();
    const idle = config.session.idleSeconds;
    visitor.cookies.set(
      "bank_session",
      await sessionCookie(config.jwtSecret, userIdOf(visitor), {
        signedInSecondsAgo: 600,
        issuedSecondsAgo: 600,
        expiresInSeconds: idle - 600,
      }),
    );
    const page = await visitor.get("/app");
    assert.equal(page.status, 200);
    const cookie = setCookieLine(page.headers, "bank_session") ?? "";
    assert.match(cookie, new RegExp(`; Max-Age=(${idle}|${idle - 1})(;|$)`));
    // A token issued under a minute ago is kept as it is: no new cookie on every request.
    const next = await visitor.get("/app");
    assert.equal(setCookieLine(next.headers, "bank_session"), undefined);
  },
);

bankTest("the session never slides past its absolute cap from sign-in", async () => {
  const { app, config } = await testApp();
  const visitor = new PageClient(app);
  await visitor.register();
  const { maxSeconds } = config.session;
  visitor.cookies.set(
    "bank_session",
    await sessionCookie(config.jwtSecret, userIdOf(visitor), {
      signedInSecondsAgo: maxSeconds - 100,
      issuedSecondsAgo: 300,
      expiresInSeconds: 50,
    }),
  );
  const page = await visitor.get("/app");
  assert.equal(page.status, 200);
  const maxAge = Number(
    /Max-Age=(\d+)/.exec(setCookieLine(page.headers, "bank_session") ?? "")?.[1],
  );
  assert.ok(maxAge >= 99 && maxAge <= 100, `Max-Age ${maxAge}`);
});

bankTest("in production the session cookie is Secure even over plain http", async () => {
  const { app } = await testApp({ env: { APP_ENV: "production" } });
  const visitor = new PageClient(app);
  await visitor.get("/app/register");
  const page = await visitor.post("/app/register", {
    name: "Prod",
    email: `p-${crypto.randomUUID()}@example.test`,
    password: "correct horse battery",
  });
  assert.equal(page.status, 303);
  assert.match(setCookieLine(page.headers, "bank_session") ?? "", /; Secure/);
  assert.match(setCookieLine(page.headers, "bank_csrf") ?? "", /; Secure/);
});

// The browser drops the session cookie when its token expires; the marker cookie stays.
function dropExpiredSession(visitor: PageClient) {
  assert.ok(visitor.cookies.has("bank_signed_in"), "signing in left the marker");
  visitor.cookies.delete("bank_session");
}

bankTest("a page after the session ran out says so, and sign-in comes back to it", async () => {
  const { app } = await testApp();
  const visitor = new PageClient(app);
  const { email, password } = await visitor.register();
  dropExpiredSession(visitor);
  const page = await visitor.get("/app/payments");
  assert.equal(page.status, 303);
  assert.equal(page.headers.get("location"), "/app/sign-in?next=%2Fapp%2Fpayments&expired=1");
  const signIn = await visitor.get(page.headers.get("location")!);
  assert.match(signIn.text, /Your session expired/);
  const back = await visitor.post("/app/sign-in", { email, password, next: "/app/payments" });
  assert.equal(back.headers.get("location"), "/app/payments");
});

bankTest(
  "a form posted after the session ended goes to sign-in, not to a CSRF refusal",
  async () => {
    const { app, sql } = await testApp();
    const visitor = new PageClient(app);
    const { email } = await visitor.register();
    await visitor.get("/app/accounts");
    dropExpiredSession(visitor);
    const page = await visitor.post("/app/accounts", { currency: "ZAR" }, {
      referer: "http://localhost/app/accounts",
    });
    assert.equal(page.status, 303);
    assert.equal(page.headers.get("location"), "/app/sign-in?next=%2Fapp%2Faccounts&expired=1");
    const [{ count }] = await sql<{ count: number }[]>`
    SELECT count(*)::int AS count FROM accounts a JOIN users u ON u.id = a.user_id
    WHERE u.email = ${email}`;
    assert.equal(count, 0, "nothing was done");
  },
);

bankTest("an htmx form after the session ended is told HX-Redirect, back to its page", async () => {
  const { app } = await testApp();
  const visitor = new PageClient(app);
  await visitor.register();
  const opened = await visitor.post("/app/accounts", { currency: "ZAR" });
  const path = opened.headers.get("location")!;
  await visitor.get(path);
  dropExpiredSession(visitor);
  const page = await visitor.post(`${path}/deposit`, { amount: "10" }, {
    "hx-request": "true",
    "hx-current-url": `http://localhost${path}`,
  });
  assert.equal(page.status, 200);
  assert.equal(page.text, "", "nothing is swapped over the form (what was typed stays)");
  assert.equal(
    page.headers.get("hx-redirect"),
    `/app/sign-in?next=${encodeURIComponent(path)}&expired=1`,
  );
});
