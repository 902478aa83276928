/** The pages: HTML 404s beside the API's problems, ownership, refusals, CSV, htmx and CSP. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../../support/app.ts";
import { call, fundedAccount, signUp } from "../../support/client.ts";
import { PageClient } from "../../support/pages.ts";

async function signedIn() {
  const { app } = await testApp();
  const visitor = new PageClient(app);
  await visitor.register();
  return { app, visitor };
}

async function openAccount(visitor: PageClient): Promise<string> {
  const opened = await visitor.post("/app/accounts", { currency: "ZAR" });
  const path = opened.headers.get("location")!;
  await visitor.get(path);
  return path.split("/").pop()!;
}

bankTest("GET / redirects a browser to the dashboard", async () => {
  const { app } = await testApp();
  const response = await app.request("/");
  assert.equal(response.status, 302);
  assert.equal(response.headers.get("location"), "/app");
});

bankTest("an unknown page under /app is an HTML 404 page", async () => {
  const { visitor } = await signedIn();
  const page = await visitor.get("/app/no-such-page");
  assert.equal(page.status, 404);
  assert.match(page.headers.get("content-type")!, /^text\/html/);
  assert.match(page.text, /Page not found/);
});

bankTest("an unknown API path stays a problem+json 404 and a wrong method a 405", async () => {
  const { app } = await testApp();
  const missing = await call(app, "GET", "/no-such-endpoint");
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get("content-type"), "application/problem+json");
  const wrongMethod = await call(app, "DELETE", "/accounts");
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.headers.get("content-type"), "application/problem+json");
});

bankTest("another customer's account page is a 404 page, as if it did not exist", async () => {
  const { app, visitor } = await signedIn();
  const other = await signUp(app);
  const theirs = await fundedAccount(app, other, "50");
  const page = await visitor.get(`/app/accounts/${theirs.id}`);
  assert.equal(page.status, 404);
  assert.match(page.text, /Account not found/);
  assert.doesNotMatch(page.text, new RegExp(theirs.account_number));
  const notAnId = await visitor.get("/app/accounts/not-a-uuid");
  assert.equal(notAnId.status, 404);
});

bankTest(
  "depositing into another customer's account from a page is a 404 and moves nothing",
  async () => {
    const { app, visitor } = await signedIn();
    const other = await signUp(app);
    const theirs = await fundedAccount(app, other, "50");
    const page = await visitor.post(`/app/accounts/${theirs.id}/deposit`, { amount: "10" });
    assert.equal(page.status, 404);
    const after = await call(app, "GET", `/accounts/${theirs.id}`, { token: other.token });
    assert.equal(after.body.balance, "50.00");
  },
);

bankTest("filtering the ledger by another customer's account is a 404", async () => {
  const { app, visitor } = await signedIn();
  const other = await signUp(app);
  const theirs = await fundedAccount(app, other, "50");
  const page = await visitor.get(`/app/transactions?account_id=${theirs.id}`);
  assert.equal(page.status, 404);
  const csv = await visitor.get(`/app/transactions.csv?account_id=${theirs.id}`);
  assert.equal(csv.status, 404);
});

bankTest(
  "a refused transfer page shows the API's refusal detail and its ledger entry",
  async () => {
    const { app, visitor } = await signedIn();
    const from = await openAccount(visitor);
    await visitor.post(`/app/accounts/${from}/deposit`, { amount: "30" });
    const payee = await signUp(app);
    const theirs = await fundedAccount(app, payee, "1");
    await visitor.get("/app/transfers");
    const page = await visitor.post("/app/transfers", {
      from_account_id: from,
      to_account_number: theirs.account_number,
      amount: "45",
    }, { "hx-request": "true" });
    assert.equal(page.status, 422);
    assert.match(page.text, /Refused: Insufficient funds/);
    assert.match(page.text, /Cannot transfer ZAR 45\.00: the available balance is ZAR 30\.00/);
    const id = /recorded in your ledger as\s+<span class="mono">([0-9a-f-]{36})</.exec(page.text);
    assert.ok(id, "the refusal names its ledger entry");
    const csv = await visitor.get("/app/transactions.csv?status=rejected");
    assert.match(csv.text, new RegExp(`^${id[1]},.*,transfer,rejected,insufficient_funds,`, "m"));
  },
);

bankTest("a transfer above the fraud limit shows the rule and its explanation", async () => {
  const { visitor } = await signedIn();
  const from = await openAccount(visitor);
  const to = await openAccount(visitor);
  await visitor.post(`/app/accounts/${from}/deposit`, { amount: "200000" });
  await visitor.get("/app/transfers");
  const page = await visitor.post("/app/transfers", {
    from_account_id: from,
    to_account_id: to,
    amount: "150000.01",
  }, { "hx-request": "true" });
  assert.equal(page.status, 422);
  assert.match(page.text, /Fraud check: amount above the per-transfer limit/);
  assert.match(page.text, /exceeds the limit of ZAR 150,000\.00 per transfer/);
  assert.match(page.text, /A single transfer or payment above the limit is refused/);
  assert.match(page.text, /code <code>fraud_rejected<\/code>/);
});

bankTest("a transfer form with a mistyped account number says so and records nothing", async () => {
  const { visitor } = await signedIn();
  const from = await openAccount(visitor);
  await visitor.post(`/app/accounts/${from}/deposit`, { amount: "30" });
  await visitor.get("/app/transfers");
  const page = await visitor.post("/app/transfers", {
    from_account_id: from,
    to_account_number: "1234567890",
    amount: "5",
  }, { "hx-request": "true" });
  assert.equal(page.status, 400);
  assert.match(page.text, /The account number must be 10 digits with a valid check digit/);
  const csv = await visitor.get("/app/transactions.csv?type=transfer");
  assert.equal(csv.text.trim().split("\r\n").length, 1, "only the header row");
});

bankTest(
  "the inline account-number check names a bad check digit and a found account",
  async () => {
    const { app, visitor } = await signedIn();
    const from = await openAccount(visitor);
    const payee = await signUp(app);
    const theirs = await fundedAccount(app, payee, "1");
    const check = (number: string) =>
      visitor.get(
        `/app/transfers/check?field=to_account_number&from_account_id=${from}&to_account_number=${number}`,
        { "hx-request": "true" },
      );
    assert.match((await check("1234567890")).text, /check digit does not match/);
    assert.match((await check("12345")).text, /10 digits; this has 5/);
    assert.match((await check(theirs.account_number)).text, /Account found \(ZAR\)/);
  },
);

bankTest("an invalid amount on a deposit form is shown by the field, with 400", async () => {
  const { visitor } = await signedIn();
  const id = await openAccount(visitor);
  for (const amount of ["", "-5", "1.234", "1e3", "abc"]) {
    const page = await visitor.post(`/app/accounts/${id}/deposit`, { amount }, {
      "hx-request": "true",
    });
    assert.equal(page.status, 400, `amount ${JSON.stringify(amount)}`);
    assert.match(page.text, /aria-invalid="true"/);
  }
});

bankTest("the CSV export neutralises spreadsheet formulas and quotes commas", async () => {
  const { visitor } = await signedIn();
  const id = await openAccount(visitor);
  await visitor.post(`/app/accounts/${id}/deposit`, {
    amount: "1",
    description: '=HYPERLINK("http://evil"), "quoted"',
  });
  const csv = await visitor.get("/app/transactions.csv");
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get("content-type")!, /^text\/csv/);
  assert.match(csv.headers.get("content-disposition")!, /^attachment; filename="transactions-/);
  assert.match(csv.text, /,"'=HYPERLINK\(""http:\/\/evil""\), ""quoted"""\r\n/);
});

bankTest("the transactions filter refuses an impossible date and a reversed range", async () => {
  const { visitor } = await signedIn();
  const bad = await visitor.get("/app/transactions?from=2026-02-31");
  assert.equal(bad.status, 400);
  assert.match(bad.text, /Enter the from date as a real date/);
  const reversed = await visitor.get("/app/transactions?from=2026-05-02&to=2026-05-01");
  assert.equal(reversed.status, 400);
  assert.match(reversed.text, /The to date is before the from date/);
});

bankTest("the ledger pages 25 entries at a time with a working load-more link", async () => {
  const { visitor } = await signedIn();
  const id = await openAccount(visitor);
  for (let i = 1; i <= 27; i++) {
    await visitor.post(`/app/accounts/${id}/deposit`, { amount: String(i) });
  }
  const first = await visitor.get("/app/transactions", { "hx-request": "true" });
  assert.equal((first.text.match(/class="ledger-row /g) ?? []).length, 25);
  const more = /hx-get="(\/app\/transactions\/more\?[^"]+)"/.exec(first.text);
  assert.ok(more, "a load-more link");
  const rest = await visitor.get(more[1].replaceAll("&amp;", "&"), { "hx-request": "true" });
  assert.equal((rest.text.match(/class="ledger-row /g) ?? []).length, 2);
  assert.doesNotMatch(rest.text, /Load more/);
});

bankTest("pages carry a strict CSP and contain no inline script or style", async () => {
  const { visitor } = await signedIn();
  const id = await openAccount(visitor);
  for (
    const path of [
      "/app",
      "/app/accounts",
      `/app/accounts/${id}`,
      "/app/transfers",
      "/app/transactions",
      "/app/payments",
      "/app/developers",
    ]
  ) {
    const page = await visitor.get(path);
    const csp = page.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self'/, path);
    assert.match(csp, /style-src 'self'/, path);
    assert.equal(page.headers.get("cache-control"), "no-store", path);
    assert.doesNotMatch(page.text, /<script(?![^>]*\ssrc=)/, `${path} has an inline script`);
    assert.doesNotMatch(page.text, /\sstyle=/, `${path} has an inline style`);
    assert.doesNotMatch(page.text, /\son[a-z]+=/, `${path} has an inline event handler`);
    assert.ok(page.text.includes("&quot;includeIndicatorStyles&quot;:false"), path);
  }
});

bankTest("htmx and the stylesheet are served by the app itself", async () => {
  const { app } = await testApp();
  const htmx = await app.request("/static/htmx.min.js");
  assert.equal(htmx.status, 200);
  assert.match(htmx.headers.get("content-type")!, /^text\/javascript/);
  assert.match(await htmx.text(), /htmx/);
  const css = await app.request("/static/app.css");
  assert.equal(css.status, 200);
  assert.match(css.headers.get("content-type")!, /^text\/css/);
  const etag = css.headers.get("etag")!;
  const again = await app.request("/static/app.css", { headers: { "if-none-match": etag } });
  assert.equal(again.status, 304);
  const missing = await app.request("/static/secrets.json");
  assert.equal(missing.status, 404);
});

bankTest(
  "the transactions page searches by text and amount, and names its errors from the fields",
  async () => {
    const { app, visitor } = await signedIn();
    const id = await openAccount(visitor);
    for (
      const [amount, description] of [["1500", "Rent November"], ["20", "Coffee"], [
        "700",
        "Rent deposit back",
      ]]
    ) {
      await visitor.post(`/app/accounts/${id}/deposit`, { amount, description });
    }
    const other = await signUp(app);
    const theirs = await fundedAccount(app, other, "1000");
    await call(app, "POST", `/accounts/${theirs.id}/withdraw`, {
      token: other.token,
      body: { amount: "900", description: "Rent of someone else" },
    });
    const found = await visitor.get("/app/transactions?q=rent&amount_min=1,000&amount_max=");
    assert.equal(found.status, 200);
    assert.equal((found.text.match(/class="ledger-row /g) ?? []).length, 1);
    assert.match(found.text, /Rent November/);
    assert.doesNotMatch(found.text, /someone else|Coffee|deposit back/);
    assert.match(found.text, /id="filter-q"[^>]*value="rent"/);
    const rent = await visitor.get("/app/transactions?q=RENT");
    assert.equal((rent.text.match(/class="ledger-row /g) ?? []).length, 2);
    const bad = await visitor.get("/app/transactions?amount_min=abc");
    assert.equal(bad.status, 400);
    assert.match(bad.text, /id="filter-amount_min-error"[^>]*>Enter the smallest amount/);
    assert.match(bad.text, /id="filter-amount-min"[^>]*aria-invalid="true"/);
    const reversed = await visitor.get("/app/transactions?amount_min=10&amount_max=5");
    assert.equal(reversed.status, 400);
    assert.match(reversed.text, /The smallest amount is more than the largest/);
  },
);
