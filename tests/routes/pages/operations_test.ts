/**
 * The pages run the API's operations: a rendered form carries its own idempotency key (a
 * re-submit replays), a page movement keeps the request's deadline, and time is the app's clock.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { elapsedMs } from "../../../db/serializable.ts";
import { createFraudRules } from "../../../domain/fraud/mod.ts";
import { createMemoryLogger } from "../../../routes/logger.ts";
import type { PageEnv } from "../../../routes/pages/page_env.ts";
import { pageRoutes } from "../../../routes/pages/mod.ts";
import { bankTest, manualClock, testApp, testConfig } from "../../support/app.ts";
import { testDatabase } from "../../support/database.ts";
import { type Page, PageClient } from "../../support/pages.ts";

/** The idempotency key of the first form posting to `action` in a rendered page. */
function formKey(page: Page, action: string): string {
  const start = page.text.indexOf(`action="${action}"`);
  assert.ok(start !== -1, `the page has a form posting to ${action}`);
  const key = /name="idempotency_key" value="([^"]+)"/.exec(page.text.slice(start));
  assert.ok(key, `the form posting to ${action} carries an idempotency key`);
  return key[1];
}

async function signedInWithAccount(clock?: () => Date) {
  const { app, sql } = await testApp({ clock });
  const visitor = new PageClient(app);
  await visitor.register();
  const opened = await visitor.post("/app/accounts", { currency: "ZAR" });
  const path = opened.headers.get("location")!;
  return { app, sql, visitor, path, accountId: path.split("/").pop()! };
}

async function ledgerOf(sql: Awaited<ReturnType<typeof testApp>>["sql"], accountId: string) {
  return await sql<{ type: string; amount: bigint; createdAt: Date }[]>`
    SELECT type, amount, created_at FROM transactions
    WHERE from_account_id = ${accountId} OR to_account_id = ${accountId} ORDER BY seq`;
}

bankTest("a deposit form submitted twice with its rendered key deposits once", async () => {
  const { sql, visitor, path, accountId } = await signedInWithAccount();
  const page = await visitor.get(path);
  const key = formKey(page, `/app/accounts/${accountId}/deposit`);
  const first = await visitor.post(`${path}/deposit`, { amount: "25", idempotency_key: key });
  const again = await visitor.post(`${path}/deposit`, { amount: "25", idempotency_key: key });
  assert.equal(first.status, 200);
  assert.equal(again.status, 200);
  const entry = (text: string) =>
    /Ledger entry <span class="mono">([0-9a-f-]{36})</.exec(text)?.[1];
  assert.ok(entry(first.text));
  assert.equal(entry(again.text), entry(first.text), "the re-submit shows the first deposit");
  assert.equal((await ledgerOf(sql, accountId)).length, 1);
  const [account] = await sql<{ balance: bigint }[]>`
    SELECT balance FROM accounts WHERE id = ${accountId}`;
  assert.equal(account.balance, 2500n);
});

bankTest(
  "a transfer form re-submitted with its key moves money once; htmx hands the form a new key",
  async () => {
    const { sql, visitor, path, accountId } = await signedInWithAccount();
    await visitor.post(`${path}/deposit`, { amount: "100" });
    const saving = await visitor.post("/app/accounts", { currency: "ZAR" });
    const toId = saving.headers.get("location")!.split("/").pop()!;
    const page = await visitor.get("/app/transfers");
    const key = formKey(page, "/app/transfers");
    const fields = { from_account_id: accountId, to_account_id: toId, amount: "30" };
    const htmx = { "hx-request": "true" };
    const first = await visitor.post("/app/transfers", { ...fields, idempotency_key: key }, htmx);
    const again = await visitor.post("/app/transfers", { ...fields, idempotency_key: key }, htmx);
    assert.equal(first.status, 200);
    assert.equal(again.status, 200);
    const transfers = (await ledgerOf(sql, accountId)).filter((row) => row.type === "transfer");
    assert.equal(transfers.length, 1);
    assert.match(first.text, /name="idempotency_key" value="[^"]+" id="transfer-idempotency-key"/);
    assert.doesNotMatch(first.text, new RegExp(`value="${key}"`));
  },
);

bankTest("a payment form re-submitted with its key sends one payment", async () => {
  const { sql, visitor, path, accountId } = await signedInWithAccount();
  await visitor.post(`${path}/deposit`, { amount: "500" });
  const key = formKey(await visitor.get("/app/payments"), "/app/payments");
  const fields = {
    from_account_id: accountId,
    counterparty_name: "Acme Supplies",
    bank_code: "250655",
    account_number: "62001234567",
    amount: "100",
    idempotency_key: key,
  };
  const first = await visitor.post("/app/payments", fields);
  const again = await visitor.post("/app/payments", fields);
  assert.equal(first.status, 303);
  // The second post of the same rendered form runs nothing: it goes to the first one's result.
  assert.equal(again.headers.get("location"), first.headers.get("location"));
  const payments = await sql`SELECT id FROM payments WHERE account_id = ${accountId}`;
  assert.equal(payments.length, 1);
});

bankTest("opening an account from a re-submitted form opens one account", async () => {
  const { app, sql } = await testApp();
  const visitor = new PageClient(app);
  await visitor.register();
  const key = formKey(await visitor.get("/app/accounts"), "/app/accounts");
  const first = await visitor.post("/app/accounts", { currency: "USD", idempotency_key: key });
  const again = await visitor.post("/app/accounts", { currency: "USD", idempotency_key: key });
  assert.equal(again.headers.get("location"), first.headers.get("location"));
  const accountId = first.headers.get("location")!.split("/").pop()!;
  const [owner] = await sql<{ userId: string }[]>`
    SELECT user_id FROM accounts WHERE id = ${accountId}`;
  const accounts = await sql`SELECT id FROM accounts WHERE user_id = ${owner.userId}`;
  assert.equal(accounts.length, 1);
});

bankTest("a page deposit past its request's deadline posts nothing", async () => {
  const { sql } = await testDatabase();
  const config = testConfig();
  const deps = {
    sql,
    config,
    clock: () => new Date(),
    fraudRules: createFraudRules(config.fraud),
    log: createMemoryLogger(),
  };
  // The pages as the app mounts them, with a request whose deadline has already passed.
  const app = new Hono<PageEnv>();
  app.use("*", async (c, next) => {
    c.set("deps", deps);
    c.set("requestId", crypto.randomUUID());
    c.set("commitBy", elapsedMs() - 1);
    await next();
  });
  app.route("/", pageRoutes());
  const visitor = new PageClient(app);
  await visitor.register();
  const opened = await visitor.post("/app/accounts", { currency: "ZAR" });
  const path = opened.headers.get("location")!;
  await visitor.get(path);
  const page = await visitor.post(`${path}/deposit`, { amount: "10" });
  assert.equal(page.status, 503);
  assert.match(page.text, /nothing was posted/);
  assert.equal((await ledgerOf(sql, path.split("/").pop()!)).length, 0);
});

bankTest("the pages read the app's clock: ledger dates and hold expiry follow it", async () => {
  // Stopped at one instant: real time moves on, so a row dated exactly then is dated by it.
  const clock = manualClock();
  const start = clock.now().toISOString();
  const { sql, visitor, path, accountId } = await signedInWithAccount(clock.now);
  await visitor.get(path);
  await visitor.post(`${path}/deposit`, { amount: "100" });
  await visitor.get(path);
  await visitor.post(`${path}/holds`, { amount: "40", expires_in_seconds: "30" });
  const [deposit] = await ledgerOf(sql, accountId);
  assert.equal(deposit.createdAt.toISOString(), start);
  // Past the hold's 30 s, and short of the 60 s after which the session cookie is renewed (a
  // token issued on an app clock ahead of real time would not verify yet).
  clock.advanceSeconds(45);
  // By the app's clock the hold has expired: all 100.00 is available again.
  const hint = await visitor.get(
    `/app/transfers/check?field=amount&amount=50&from_account_id=${accountId}`,
  );
  assert.match(hint.text, /ZAR 50\.00 of ZAR 100\.00 available/);
  const accountPage = await visitor.get(path);
  assert.match(accountPage.text, /id="available-amount">ZAR 100\.00</);
});
