/** The foreign exchange page: a quote, then the transfer that uses it, both Post/Redirect/Get. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../../support/app.ts";
import { PageClient } from "../../support/pages.ts";

async function customerWithTwoCurrencies() {
  const { app } = await testApp();
  const visitor = new PageClient(app);
  await visitor.register();
  const zar = await visitor.post("/app/accounts", { currency: "ZAR" });
  const zarPath = zar.headers.get("location") ?? "";
  await visitor.get(zarPath);
  await visitor.post(`${zarPath}/deposit`, { amount: "1000" });
  await visitor.get("/app/accounts");
  const usd = await visitor.post("/app/accounts", { currency: "USD" });
  const usdPath = usd.headers.get("location") ?? "";
  return { visitor, zarPath, usdPath };
}

const field = (text: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]+)"`).exec(text)?.[1] ?? "";

bankTest("the FX page quotes, then converts with the quote, each form redirected", async () => {
  const { visitor, zarPath, usdPath } = await customerWithTwoCurrencies();
  const page = await visitor.get("/app/fx");
  assert.equal(page.status, 200);
  assert.match(page.text, /Mid rates per 1 ZAR/);
  const quoted = await visitor.post("/app/fx/quotes", {
    from_currency: "ZAR",
    to_currency: "USD",
    sell_amount: "100",
  });
  assert.equal(quoted.status, 303);
  const quotePage = await visitor.get(quoted.headers.get("location") ?? "");
  assert.match(quotePage.text, /5\.68 USD|USD 5\.68|5\.68/);
  const form = {
    fx_quote_id: field(quotePage.text, "fx_quote_id"),
    amount: field(quotePage.text, "amount"),
    idempotency_key: field(quotePage.text, "idempotency_key"),
    from_account_id: zarPath.split("/").pop() ?? "",
    to_account_id: usdPath.split("/").pop() ?? "",
  };
  assert.equal(form.amount, "100.00");
  const sent = await visitor.post("/app/fx/transfers", form);
  assert.equal(sent.status, 303);
  const location = sent.headers.get("location") ?? "";
  assert.match(location, /^\/app\/fx\?transaction=/);
  const done = await visitor.get(location);
  assert.match(done.text, /Converted/);
  // The same rendered form posted again replays its answer: the money moved once.
  const again = await visitor.post("/app/fx/transfers", form);
  assert.equal(again.status, 303);
  assert.equal(again.headers.get("location"), location);
  const account = await visitor.get(zarPath);
  assert.match(account.text, /900\.00/);
});

bankTest(
  "the FX page refuses a quote with too many decimals (400) and a used quote (409)",
  async () => {
    const { visitor, zarPath, usdPath } = await customerWithTwoCurrencies();
    await visitor.get("/app/fx");
    const bad = await visitor.post("/app/fx/quotes", {
      from_currency: "ZAR",
      to_currency: "USD",
      sell_amount: "1.001",
    });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /decimal places/);
    const quoted = await visitor.post("/app/fx/quotes", {
      from_currency: "ZAR",
      to_currency: "USD",
      sell_amount: "10",
    });
    const quotePage = await visitor.get(quoted.headers.get("location") ?? "");
    const form = {
      fx_quote_id: field(quotePage.text, "fx_quote_id"),
      amount: field(quotePage.text, "amount"),
      from_account_id: zarPath.split("/").pop() ?? "",
      to_account_id: usdPath.split("/").pop() ?? "",
    };
    const first = await visitor.post("/app/fx/transfers", {
      ...form,
      idempotency_key: crypto.randomUUID(),
    });
    assert.equal(first.status, 303);
    const second = await visitor.post("/app/fx/transfers", {
      ...form,
      idempotency_key: crypto.randomUUID(),
    });
    assert.equal(second.status, 409);
    assert.match(second.text, /already used/);
    const account = await visitor.get(zarPath);
    assert.match(account.text, /990\.00/);
  },
);
