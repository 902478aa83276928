/** CSRF: every state-changing form needs the session's token and a same-origin request. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../../support/app.ts";
import { call } from "../../support/client.ts";
import { PageClient } from "../../support/pages.ts";

async function customerWithAccount() {
  const { app } = await testApp();
  const visitor = new PageClient(app);
  const credentials = await visitor.register();
  const opened = await visitor.post("/app/accounts", { currency: "ZAR" });
  assert.equal(opened.status, 303);
  const path = opened.headers.get("location")!;
  await visitor.get(path);
  return { app, visitor, path, accountId: path.split("/").pop()!, credentials };
}

async function balanceShown(visitor: PageClient, path: string): Promise<string> {
  const page = await visitor.get(path);
  return /class="summary__amount">([^<]+)</.exec(page.text)![1];
}

bankTest("a deposit form with no CSRF token is refused with 403 and moves nothing", async () => {
  const { visitor, path } = await customerWithAccount();
  const page = await visitor.post(`${path}/deposit`, { amount: "100", _csrf: "" });
  assert.equal(page.status, 403);
  assert.match(page.text, /This form has expired/);
  assert.equal(await balanceShown(visitor, path), "ZAR 0.00");
});

bankTest("a deposit form with a forged CSRF token is refused with 403", async () => {
  const { visitor, path } = await customerWithAccount();
  const forged = visitor.csrfToken.slice(0, -2) + (visitor.csrfToken.endsWith("AA") ? "BB" : "AA");
  const page = await visitor.post(`${path}/deposit`, { amount: "100", _csrf: forged });
  assert.equal(page.status, 403);
  assert.equal(await balanceShown(visitor, path), "ZAR 0.00");
});

bankTest("a CSRF token from another customer's session is refused", async () => {
  const { app, visitor, path } = await customerWithAccount();
  const other = new PageClient(app);
  await other.register();
  const page = await visitor.post(`${path}/deposit`, { amount: "100", _csrf: other.csrfToken });
  assert.equal(page.status, 403);
});

bankTest("a form posted from another origin is refused even with a valid token", async () => {
  const { visitor, path } = await customerWithAccount();
  const page = await visitor.post(`${path}/deposit`, { amount: "100" }, {
    origin: "https://evil.example",
    "sec-fetch-site": "cross-site",
  });
  assert.equal(page.status, 403);
  assert.equal(await balanceShown(visitor, path), "ZAR 0.00");
});

bankTest("a form without the CSRF cookie is refused", async () => {
  const { visitor, path } = await customerWithAccount();
  visitor.cookies.delete("bank_csrf");
  const page = await visitor.post(`${path}/deposit`, { amount: "100" });
  assert.equal(page.status, 403);
});

bankTest("the sign-out and sign-in forms need the token too", async () => {
  const { app } = await testApp();
  const visitor = new PageClient(app);
  await visitor.register();
  assert.equal((await visitor.post("/app/sign-out", { _csrf: "" })).status, 403);
  assert.ok(visitor.cookies.has("bank_session"), "still signed in");
  const stranger = new PageClient(app);
  await stranger.get("/app/sign-in");
  const page = await stranger.post("/app/sign-in", { email: "a@b.c", password: "x", _csrf: "" });
  assert.equal(page.status, 403);
});

bankTest("a deposit form with the token moves money on the same ledger as the API", async () => {
  const { app, visitor, path, accountId, credentials } = await customerWithAccount();
  const page = await visitor.post(`${path}/deposit`, { amount: "125.50", description: "Cash" });
  assert.equal(page.status, 200);
  assert.match(page.text, /Deposit of ZAR 125\.50 approved/);
  assert.equal(await balanceShown(visitor, path), "ZAR 125.50");
  const login = await call<{ access_token: string }>(app, "POST", "/auth/login", {
    body: credentials,
  });
  const ledger = await call<{ data: Record<string, unknown>[] }>(
    app,
    "GET",
    `/transactions?account_id=${accountId}`,
    { token: login.body.access_token },
  );
  assert.equal(ledger.body.data.length, 1);
  assert.equal(ledger.body.data[0].amount, "125.50");
  assert.equal(ledger.body.data[0].description, "Cash");
});
