/** The bulk transfer form on the transfers page: CSV lines, one batch, Post/Redirect/Get. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../../support/app.ts";
import { balanceOf, fundedAccount, openAccount, signUp } from "../../support/client.ts";
import { PageClient } from "../../support/pages.ts";

async function visitorWithMoney() {
  const { app } = await testApp();
  const visitor = new PageClient(app);
  await visitor.register();
  const opened = await visitor.post("/app/accounts", { currency: "ZAR" });
  const path = opened.headers.get("location")!;
  await visitor.get(path);
  await visitor.post(`${path}/deposit`, { amount: "100" });
  const receiver = await signUp(app);
  const to = await openAccount(app, receiver);
  return { app, visitor, accountId: path.split("/").pop()!, receiver, to };
}

function keyOf(text: string): string {
  const match = /id="bulk-transfer"[\s\S]*?name="idempotency_key" value="([^"]+)"/.exec(text);
  if (!match) throw new Error("the bulk form has no idempotency key");
  return match[1];
}

bankTest("bulk lines post as one batch, redirect, and the page shows the counts", async () => {
  const { app, visitor, accountId, receiver, to } = await visitorWithMoney();
  const page = await visitor.get("/app/transfers");
  assert.match(page.text, /<h2 id="bulk-heading">Bulk transfer<\/h2>/);
  const fields = {
    from_account_id: accountId,
    lines: `${to.account_number},30.00,Rent, March\n${to.account_number},20`,
    atomic: "true",
    idempotency_key: keyOf(page.text),
  };
  const posted = await visitor.post("/app/transfers/bulk", fields);
  assert.equal(posted.status, 303);
  const location = posted.headers.get("location")!;
  assert.match(location, /bulk=posted&approved=2&rejected=0&failed=0/);
  const shown = await visitor.get(location);
  assert.match(shown.text, /Bulk transfer: 2 sent/);
  // The same rendered form posted again (a double click) replays; no more money moves.
  const again = await visitor.post("/app/transfers/bulk", fields);
  assert.equal(again.headers.get("location"), location);
  assert.equal(await balanceOf(app, receiver, to.id), "50.00");
});

bankTest("an all-or-nothing bulk with a refused line sends nothing and says so", async () => {
  const { app, visitor, accountId, receiver, to } = await visitorWithMoney();
  const page = await visitor.get("/app/transfers");
  const posted = await visitor.post("/app/transfers/bulk", {
    from_account_id: accountId,
    lines: `${to.account_number},30\n${to.account_number},500`,
    atomic: "true",
    idempotency_key: keyOf(page.text),
  });
  assert.equal(posted.status, 303);
  const shown = await visitor.get(posted.headers.get("location")!);
  assert.match(shown.text, /Bulk transfer refused: nothing was sent/);
  assert.equal(await balanceOf(app, receiver, to.id), "0.00");
});

bankTest("a malformed bulk line is a 400 naming the line, and nothing moves", async () => {
  const { app, visitor, accountId, receiver, to } = await visitorWithMoney();
  const page = await visitor.get("/app/transfers");
  const posted = await visitor.post("/app/transfers/bulk", {
    from_account_id: accountId,
    lines: `${to.account_number},30\nnot a line`,
    idempotency_key: keyOf(page.text),
  });
  assert.equal(posted.status, 400);
  assert.match(posted.text, /Line 2: write to_account_number,amount,description/);
  assert.equal(await balanceOf(app, receiver, to.id), "0.00");
});

bankTest("the bulk form cannot spend another customer's account", async () => {
  const { app, visitor, to } = await visitorWithMoney();
  const victim = await signUp(app);
  const theirs = await fundedAccount(app, victim, "100");
  const page = await visitor.get("/app/transfers");
  const posted = await visitor.post("/app/transfers/bulk", {
    from_account_id: theirs.id,
    lines: `${to.account_number},30`,
    idempotency_key: keyOf(page.text),
  });
  assert.equal(posted.status, 303);
  assert.match(posted.headers.get("location")!, /bulk=posted&approved=0&rejected=0&failed=1/);
  assert.equal(await balanceOf(app, victim, theirs.id), "100.00");
});
