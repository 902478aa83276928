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

function liveSource(text: string): string {
  const region = /<div id="payments-live" class="live-region" hx-get="([^"]+)"\s+hx-trigger="every 2s" hx-swap="outerHTML"/
    .exec(text);
  assert.ok(region, "the payments list is a live region");
  return region[1].replaceAll("&amp;", "&");
}

bankTest("the payments list answers 204 while unchanged and itself once a payment settles", async () => {
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
});

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
