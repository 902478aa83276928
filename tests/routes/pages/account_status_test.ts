/** The account page's status card: freeze, unfreeze and close, Post/Redirect/Get. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../../support/app.ts";
import { call, fundedAccount, signUp } from "../../support/client.ts";
import { PageClient } from "../../support/pages.ts";

async function customerWithAccount(amount?: string) {
  const { app } = await testApp();
  const visitor = new PageClient(app);
  await visitor.register();
  const opened = await visitor.post("/app/accounts", { currency: "ZAR" });
  const path = opened.headers.get("location")!;
  await visitor.get(path);
  if (amount) await visitor.post(`${path}/deposit`, { amount });
  return { app, visitor, path };
}

// The hidden Idempotency-Key field of the form posting to `action`.
function formKey(text: string, action: string): string {
  const form = text.slice(text.indexOf(`action="${action}"`));
  const key = /name="idempotency_key" value="([^"]+)"/.exec(form.slice(0, form.indexOf("</form>")));
  assert.ok(key, `the ${action} form carries its own Idempotency-Key`);
  return key[1];
}

bankTest("the account page shows the status; freeze and unfreeze redirect back to it", async () => {
  const { visitor, path } = await customerWithAccount();
  const page = await visitor.get(path);
  assert.match(page.text, /id="account-status"><span class="badge badge--approved">active/);
  const key = formKey(page.text, `${path}/freeze`);
  const frozen = await visitor.post(`${path}/freeze`, {
    reason: "Travelling",
    idempotency_key: key,
  });
  assert.equal(frozen.status, 303);
  assert.equal(frozen.headers.get("location"), path);
  const after = await visitor.get(path);
  assert.match(after.text, /badge--pending">frozen/);
  assert.match(after.text, /Travelling/);
  assert.match(after.text, new RegExp(`action="${path}/unfreeze"`));
  const unfrozen = await visitor.post(`${path}/unfreeze`, {
    idempotency_key: formKey(after.text, `${path}/unfreeze`),
  });
  assert.equal(unfrozen.status, 303);
  assert.match((await visitor.get(path)).text, /badge--approved">active/);
});

bankTest("closing asks for a ticked confirmation, then closes the empty account", async () => {
  const { visitor, path } = await customerWithAccount();
  const page = await visitor.get(path);
  const key = formKey(page.text, `${path}/close`);
  const unconfirmed = await visitor.post(`${path}/close`, { idempotency_key: key });
  assert.equal(unconfirmed.status, 400);
  assert.match(unconfirmed.text, /Tick the box to confirm/);
  assert.match(unconfirmed.text, /badge--approved">active/, "still open");
  const closed = await visitor.post(`${path}/close`, { confirm: "yes", idempotency_key: key });
  assert.equal(closed.status, 303);
  const after = await visitor.get(path);
  assert.match(after.text, /badge--muted">closed/);
  assert.match(after.text, /This account is closed/);
  assert.doesNotMatch(after.text, new RegExp(`action="${path}/freeze"`));
});

bankTest("closing an account with money shows the 409 and leaves it open", async () => {
  const { visitor, path } = await customerWithAccount("10");
  const page = await visitor.get(path);
  const reply = await visitor.post(`${path}/close`, {
    confirm: "yes",
    idempotency_key: formKey(page.text, `${path}/close`),
  });
  assert.equal(reply.status, 409);
  assert.match(reply.text, /Cannot close the account: its balance is ZAR 10\.00/);
  assert.match(reply.text, /badge--approved">active/);
});

bankTest("another customer's account cannot be frozen from the pages", async () => {
  const { app, visitor } = await customerWithAccount();
  const other = await signUp(app);
  const theirs = await fundedAccount(app, other, "5");
  const page = await visitor.post(`/app/accounts/${theirs.id}/freeze`, {});
  assert.equal(page.status, 404);
  const after = await call<{ status: string }>(app, "GET", `/accounts/${theirs.id}`, {
    token: other.token,
  });
  assert.equal(after.body.status, "active");
});
