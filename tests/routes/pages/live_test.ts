/** Live regions: the payments list keeps itself current, and its polls do not keep a session up. */
import assert from "node:assert/strict";
import { bankTest, manualClock, testApp } from "../../support/app.ts";
import { PageClient, setCookieLine } from "../../support/pages.ts";

async function customerWithPendingPayment(clock = manualClock()) {
  const { app } = await testApp({ clock: clock.now });
  const visitor = new PageClient(app);
  await visitor.register();
  const opened = await visitor.post("/app/accounts", { currency: "ZAR" });
  const path = opened.headers.get("location")!;
  await visitor.get(path);
  await visitor.post(`${path}/deposit`, { amount: "500" });
  const sent = await visitor.submit("/app/payments", {
    from_account_id: path.split("/").pop()!,
    counterparty_name: "Acme Supplies",
    bank_code: "250655",
    account_number: "62001234567",
    amount: "10",
  });
  const id = /id="payment-([0-9a-f-]{36})"/.exec(sent.text)![1];
  return { visitor, id, clock };
}

function liveSource(text: string, id = "payments-live"): string {
  const region = new RegExp(
    `<div id="${id}" class="live-region" hx-get="([^"]+)"\\s+` +
      `hx-trigger="every 2s" hx-swap="outerHTML"`,
  ).exec(text);
  assert.ok(region, `${id} is a live region`);
  return region[1].replaceAll("&amp;", "&");
}

bankTest(
  "the payments list answers 204 while unchanged and itself once a payment settles",
  async () => {
    const { visitor, id } = await customerWithPendingPayment();
    const page = await visitor.get("/app/payments");
    const source = liveSource(page.text);
    const unchanged = await visitor.get(source, { "hx-request": "true" });
    assert.equal(unchanged.status, 204);
    assert.equal(unchanged.text, "");

    await visitor.submit(`/app/payments/${id}/settle`, {});
    const changed = await visitor.get(source, { "hx-request": "true" });
    assert.equal(changed.status, 200);
    assert.match(changed.text, new RegExp(`id="payment-${id}"[\\s\\S]*badge--approved">settled`));
    assert.doesNotMatch(changed.text, /<html/, "the region alone, not a page");
    const next = liveSource(changed.text);
    assert.notEqual(next, source, "the new region names the new state");
    assert.equal((await visitor.get(next, { "hx-request": "true" })).status, 204);
  },
);

bankTest("a live region's poll does not slide the session; a page view does", async () => {
  const { visitor, clock } = await customerWithPendingPayment();
  const source = liveSource((await visitor.get("/app/payments")).text);
  clock.advanceSeconds(120);
  const polled = await visitor.get(source, { "hx-request": "true" });
  assert.equal(polled.status, 204);
  assert.equal(setCookieLine(polled.headers, "bank_session"), undefined);
  const viewed = await visitor.get("/app/payments");
  assert.ok(setCookieLine(viewed.headers, "bank_session"), "a page view renews the session");
});

bankTest("an account's holds list updates itself once a hold is voided", async () => {
  const { visitor } = await customerWithPendingPayment();
  const accounts = await visitor.get("/app/accounts");
  const path = /href="(\/app\/accounts\/[0-9a-f-]{36})"/.exec(accounts.text)![1];
  const placed = await visitor.submit(`${path}/holds`, { amount: "20", description: "Hotel" });
  const id = /action="\/app\/holds\/([0-9a-f-]{36})\/capture"/.exec(placed.text)![1];
  const source = liveSource((await visitor.get(path)).text, "holds-live");
  assert.equal((await visitor.get(source, { "hx-request": "true" })).status, 204);
  await visitor.submit(`/app/holds/${id}/void`, {});
  const changed = await visitor.get(source, { "hx-request": "true" });
  assert.equal(changed.status, 200);
  assert.match(changed.text, /hold-row--voided/);
  const other = new PageClient(visitor.app);
  await other.register();
  assert.equal((await other.get(source, { "hx-request": "true" })).status, 404, "not theirs");
});

bankTest("an endpoint's delivery log updates itself when a delivery is queued", async () => {
  const { visitor } = await customerWithPendingPayment();
  const added = await visitor.submit("/app/developers/endpoints", {
    url: "http://localhost:8799/hooks",
  });
  const id = /action="\/app\/developers\/endpoints\/([0-9a-f-]{36})\/test"/.exec(added.text)![1];
  const source = liveSource(added.text, `deliveries-live-${id}`);
  assert.equal((await visitor.get(source, { "hx-request": "true" })).status, 204);
  await visitor.submit(`/app/developers/endpoints/${id}/test`, {});
  const changed = await visitor.get(source, { "hx-request": "true" });
  assert.equal(changed.status, 200);
  assert.match(
    changed.text,
    /href="\/app\/deliveries\/[0-9a-f-]{36}"/,
    "the queued delivery shows",
  );
  const other = new PageClient(visitor.app);
  await other.register();
  assert.equal((await other.get(source, { "hx-request": "true" })).status, 404, "not theirs");
});
