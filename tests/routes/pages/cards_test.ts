/** The Cards page: issue, freeze with confirmation, simulate a purchase, capture and reverse. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../../support/app.ts";
import { PageClient } from "../../support/pages.ts";
import { digitRunsOutsideIds } from "../../support/cards.ts";

async function customerWithCard() {
  const { app } = await testApp();
  const visitor = new PageClient(app);
  await visitor.register();
  const opened = await visitor.post("/app/accounts", { currency: "ZAR" });
  const path = opened.headers.get("location")!;
  await visitor.get(path);
  await visitor.post(`${path}/deposit`, { amount: "100" });
  const accountId = path.split("/").pop()!;
  await visitor.get("/app/cards");
  const issued = await visitor.post("/app/cards", { account_id: accountId, name_on_card: "P C" });
  assert.equal(issued.status, 303);
  assert.equal(issued.headers.get("location"), "/app/cards?notice=issued");
  const page = await visitor.get("/app/cards?notice=issued");
  const cardId = /action="\/app\/cards\/([0-9a-f-]{36})\/freeze"/.exec(page.text)![1];
  return { visitor, page, cardId, accountPath: path };
}

function keyOf(text: string, action: string): string {
  const form = text.slice(text.indexOf(`action="${action}"`));
  return /name="idempotency_key" value="([^"]+)"/.exec(form)![1];
}

bankTest("the Cards page issues a card and shows only its last four digits", async () => {
  const { page } = await customerWithCard();
  assert.equal(page.status, 200);
  assert.match(page.text, /Card issued/);
  assert.match(page.text, /•••• [0-9]{4}/);
  assert.deepEqual(digitRunsOutsideIds(page.text), []);
  assert.match(page.text, /href="\/app\/cards"\s+aria-current="page"/);
});

bankTest("freezing needs the confirmation ticked; a frozen card's purchase declines", async () => {
  const { visitor, cardId } = await customerWithCard();
  const unticked = await visitor.post(`/app/cards/${cardId}/freeze`, {});
  assert.equal(unticked.headers.get("location"), "/app/cards?notice=unconfirmed");
  const frozen = await visitor.post(`/app/cards/${cardId}/freeze`, { confirm: "yes" });
  assert.equal(frozen.headers.get("location"), "/app/cards?notice=freeze");
  await visitor.get("/app/cards");
  const purchase = await visitor.post("/app/cards/purchases", {
    card_id: cardId,
    merchant_name: "Corner Cafe",
    mcc: "5812",
    amount: "10",
  });
  assert.equal(purchase.headers.get("location"), "/app/cards?notice=declined_card_inactive");
  const page = await visitor.get(purchase.headers.get("location")!);
  assert.match(page.text, /Purchase declined/);
});

bankTest("a purchase from the page is held; a blank capture takes it all, once", async () => {
  const { visitor, cardId } = await customerWithCard();
  const form = await visitor.get("/app/cards");
  const fields = {
    card_id: cardId,
    merchant_name: "Corner Cafe",
    mcc: "5812",
    amount: "25",
    idempotency_key: keyOf(form.text, "/app/cards/purchases"),
  };
  const first = await visitor.post("/app/cards/purchases", fields);
  assert.equal(first.headers.get("location"), "/app/cards?notice=authorized");
  // The same rendered form posted twice (a double click) authorizes once.
  await visitor.post("/app/cards/purchases", fields);
  const page = await visitor.get("/app/cards");
  const ids = [...page.text.matchAll(/\/app\/card_authorizations\/([0-9a-f-]{36})\/capture/g)];
  assert.equal(ids.length, 1);
  const id = ids[0][1];
  const captured = await visitor.post(`/app/card_authorizations/${id}/capture`, { amount: "" });
  assert.equal(captured.headers.get("location"), "/app/cards?notice=captured");
  const after = await visitor.get("/app/cards");
  assert.match(after.text, /closed/);
  assert.match(after.text, /R\s?25\.00|25\.00/);
  const again = await visitor.post(`/app/card_authorizations/${id}/reverse`, {});
  assert.equal(
    again.headers.get("location"),
    "/app/cards?notice=refused_authorization_not_pending",
  );
});

bankTest("the account page sends a card hold's actions to the Cards page", async () => {
  const { visitor, cardId, accountPath } = await customerWithCard();
  await visitor.post("/app/cards/purchases", {
    card_id: cardId,
    merchant_name: "Corner Cafe",
    mcc: "5411",
    amount: "5",
  });
  const page = await visitor.get(accountPath);
  assert.match(page.text, /<a href="\/app\/cards">On the Cards page<\/a>/);
  assert.doesNotMatch(page.text, /action="\/app\/holds\/[0-9a-f-]{36}\/capture"/);
});

bankTest("the cards list pages 20 at a time with Older and Newer links", async () => {
  const { visitor, accountPath } = await customerWithCard();
  const accountId = accountPath.split("/").pop()!;
  for (let i = 0; i < 20; i++) {
    await visitor.get("/app/cards");
    await visitor.post("/app/cards", { account_id: accountId, name_on_card: `Card ${i}` });
  }
  const cardIds = (text: string) =>
    [
      ...text.matchAll(/action="\/app\/cards\/([0-9a-f-]{36})\/freeze"/g),
    ].map((m) => m[1]);
  const newest = await visitor.get("/app/cards");
  const first = cardIds(newest.text);
  assert.equal(first.length, 20);
  const older = /<a [^>]*rel="next" href="([^"]*cards_older=[^"]+)"[^>]*>Older/.exec(newest.text);
  assert.ok(older, "an Older link for the cards");
  const second = await visitor.get(older[1].replaceAll("&amp;", "&"));
  const rest = cardIds(second.text);
  assert.equal(rest.length, 1, "the first card issued, on its own page");
  assert.equal(new Set([...first, ...rest]).size, 21);
  // The purchase form still offers the newest cards on the older page.
  assert.match(second.text, new RegExp(`<option value="${first[0]}"`));
  const newer = /<a [^>]*rel="prev" href="([^"]*cards_newer=[^"]+)"[^>]*>← Newer/.exec(
    second.text,
  );
  assert.ok(newer, "a Newer link for the cards");
  assert.deepEqual(cardIds((await visitor.get(newer[1].replaceAll("&amp;", "&"))).text), first);
  assert.equal((await visitor.get("/app/cards?cards_older=bogus")).status, 404);
});

bankTest("the card forms take amounts with thousands separators", async () => {
  const { visitor, cardId, accountPath } = await customerWithCard();
  await visitor.get(accountPath);
  await visitor.post(`${accountPath}/deposit`, { amount: "5,000.00" });
  await visitor.get("/app/cards");
  const purchase = await visitor.post("/app/cards/purchases", {
    card_id: cardId,
    merchant_name: "Hotel Sandbox",
    mcc: "5411",
    amount: "1,000.00",
  });
  assert.equal(purchase.headers.get("location"), "/app/cards?notice=authorized");
  const page = await visitor.get("/app/cards");
  assert.match(page.text, /ZAR 1,000\.00/);
  const authorizationId = /action="\/app\/card_authorizations\/([0-9a-f-]{36})\/capture"/.exec(
    page.text,
  )![1];
  const capture = await visitor.post(`/app/card_authorizations/${authorizationId}/capture`, {
    amount: "1,000.00",
  });
  assert.equal(capture.headers.get("location"), "/app/cards?notice=captured");
});
