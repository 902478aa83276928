/**
 * Issue #15's "Found" items, each as a user meets it in Debian's Chromium: every movement form
 * (double-clicked, reloaded, gone Back over) moves money once; ids copy to the clipboard; events
 * and deliveries open with their payload and exchange; /docs and /openapi.json are linked; the
 * toolbar simulates money in and says what an advance made fall due; a bad period or a zero advance
 * is said in place; a hold's result is in view on a phone; destructive actions ask; money reads one
 * way; and the session renews with activity, while an expired one goes to sign-in and back.
 * Time is the app's manual clock: the session's minutes pass without waiting for them.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { Sql } from "../db/client.ts";
import { manualClock } from "../tests/support/app.ts";
import {
  call,
  type Customer,
  fundedAccount,
  type Requestable,
  signUp,
} from "../tests/support/client.ts";
import { issueCard } from "../tests/support/cards.ts";
import { createEndpoint, runWorkerUntil } from "../tests/support/webhooks.ts";
import { sequentialSteps, startBrowserSession } from "./browser.ts";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
// SESSION_IDLE_SECONDS' default: a quarter of an hour without a request ends the session.
const IDLE_SECONDS = 900;

Deno.test({
  name: "the issue's found items stay fixed in the browser",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const clock = manualClock();
    const session = await startBrowserSession({
      clock: clock.now,
      env: { FRAUD_MAX_TRANSFERS: "1000" },
    });
    const { app, sql, config } = session.app;
    const receiver = startReceiver();
    // bypassCSP only so waitForFunction may evaluate its checks; the policy is tested elsewhere.
    const context = await session.browser.newContext({
      baseURL: session.baseUrl,
      bypassCSP: true,
    });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: session.baseUrl,
    });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const dialogs: string[] = [];
    let acceptDialogs = true;
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      acceptDialogs ? dialog.accept() : dialog.dismiss();
    });
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    const step = sequentialSteps(t);
    const customer = await signUp(app, "Found Items");
    const account = await fundedAccount(app, customer, "5000");
    const payee = await fundedAccount(app, await signUp(app, "Payee"), "1");
    const accountPath = `/app/accounts/${account.id}`;
    const rows = () => ledgerRows(sql, customer.id);
    try {
      await step("signs in", async () => {
        await signIn(page, customer);
        await page.waitForURL(/\/app$/);
      });

      await step(
        "ids copy; an event and a delivery open; /docs and the document are linked",
        async () => {
          await createEndpoint(app, customer, { url: receiver.url });
          await call(app, "POST", `/accounts/${account.id}/deposit`, {
            token: customer.token,
            body: { amount: "1.00", description: "Webhook trigger" },
          });
          await runWorkerUntil({ sql, config, clock: clock.now }, () => receiver.received > 0);
          await page.goto("/app/transactions");
          const copy = page.getByRole("button", { name: /^Copy Transaction id / }).first();
          const id = (await copy.getAttribute("aria-label"))!.split(" ").pop()!;
          await copy.click();
          await page.getByRole("status").getByText("Copied to the clipboard").waitFor();
          assert.equal(await page.evaluate<string>("navigator.clipboard.readText()"), id);
          await page.goto("/app/developers");
          await page.getByRole("link", { name: /^Delivery .*: details$/ }).first().click();
          await page.getByRole("heading", { name: /^Delivery of / }).waitFor();
          const delivery = await page.locator("main").innerText();
          assert.match(delivery, /webhook-signature/i, "the request headers sent");
          assert.match(delivery, /200/, "the response status");
          assert.match(delivery, /received by the test/, "the response body's excerpt");
          await page.getByRole("link", { name: /^[0-9a-f-]{36}$/ }).first().click();
          await page.getByRole("heading", { name: /^Event / }).waitFor();
          assert.match(await page.locator("main").innerText(), /"type": "/, "the event's JSON");
          // Both are linked from every page; /docs itself (Swagger UI, axe) has its own browser
          // test in tests/routes/docs_browser_test.ts.
          for (const [name, href] of [["API docs", "/docs"], ["OpenAPI", "/openapi.json"]]) {
            assert.equal(await page.getByRole("link", { name }).getAttribute("href"), href);
          }
          const docs = await page.request.get("/docs");
          assert.match(await docs.text(), /swagger-ui/);
          const document = await (await page.request.get("/openapi.json")).json();
          assert.match(document.openapi, /^3\./);
        },
      );

      await step(
        "every movement form, double-clicked, reloaded and gone Back over, moves once",
        async () => {
          await page.goto(accountPath);
          await once(page, rows, async () => {
            await page.getByLabel("Amount (ZAR)").first().fill("1,234.56");
            await page.locator("#deposit-submit").dblclick();
            await page.locator("#deposit-outcome").getByText("ZAR 1,234.56 approved").waitFor();
            // Focus moves to the result the swap brought.
            await page.waitForFunction(`document.activeElement?.closest("#deposit-outcome")`);
          });
          await page.goto(accountPath);
          await once(page, rows, async () => {
            await page.locator("#withdraw-amount").fill("34.56");
            await page.locator("#withdraw-submit").dblclick();
            await page.locator("#withdraw-outcome").getByText("ZAR 34.56 approved").waitFor();
            // The deposit card no longer shows a balance the withdrawal made old.
            assert.doesNotMatch(await page.locator("#deposit-card").innerText(), /New balance/);
          });
          await page.goto("/app/transfers");
          await once(page, rows, async () => {
            await page.getByLabel("Account number").fill(payee.account_number);
            await page.getByLabel("Amount", { exact: true }).fill("1,000.00");
            await page.getByRole("button", { name: "Send money" }).dblclick();
            await page.locator("#transfer-outcome").getByText("ZAR 1,000.00 approved").waitFor();
          });
          const inbound = () => count(sql, "inbound", customer.id);
          await once(page, inbound, async () => {
            await page.getByText("Simulate an incoming payment").click();
            await page.getByLabel("Incoming sum").fill("2,000.00");
            await page.getByRole("button", { name: "Simulate incoming payment" }).dblclick();
            await page.locator("#page-result").getByText("ZAR 2,000.00").first().waitFor();
          });
          await issueCard(app, customer, account.id);
          await page.goto("/app/cards");
          await once(page, () => count(sql, "authorizations", customer.id), async () => {
            await page.locator("#purchase-amount").fill("1,000.00");
            await page.getByRole("button", { name: "Authorize purchase" }).dblclick();
            await page.getByText("Purchase authorized").waitFor();
          });
          await page.goto("/app/payments");
          const offset = () => clockOffset(app, customer);
          await once(page, offset, async () => {
            await page.locator("#sandbox-clock > summary").click();
            await page.getByRole("button", { name: "+1 hour" }).dblclick();
            await page.getByText("Clock advanced to").waitFor();
          }, 3600);
        },
      );

      await step(
        "the toolbar says what fell due; a zero advance or a bad period is said in place",
        async () => {
          await call(app, "POST", "/payments", {
            token: customer.token,
            body: {
              from_account_id: account.id,
              amount: "12.00",
              counterparty: { name: "Acme", bank_code: "250655", account_number: "62001234567" },
            },
          });
          await page.goto("/app/transactions");
          await page.locator("#sandbox-clock > summary").click();
          await page.getByRole("button", { name: "+1 day" }).click();
          await page.getByText("Fell due: 1 payment settled, 0 payments returned").waitFor();
          assert.equal(new URL(page.url()).pathname, "/app/transactions", "back where it was");
          const before = await clockOffset(app, customer);
          await page.locator("#sandbox-clock > summary").click();
          await page.getByLabel("Advance by").fill("0");
          await page.getByRole("button", { name: "Advance clock" }).click();
          await page.locator("#page-result").getByText("The clock did not move").waitFor();
          await page.getByRole("heading", { name: "Transactions", level: 1 }).waitFor();
          assert.equal(await clockOffset(app, customer), before);
          await page.goto(accountPath);
          await page.getByLabel("From", { exact: true }).fill("2026-05-02");
          await page.getByLabel("To", { exact: true }).fill("2026-05-01");
          await page.getByRole("button", { name: "Download CSV" }).click();
          await page.locator("#statement-from-error").getByText("after the To date").waitFor();
          assert.equal(
            await page.getByLabel("From", { exact: true }).getAttribute("aria-invalid"),
            "true",
          );
        },
      );

      await step("on a phone a hold's result is in view; voiding asks first", async () => {
        await page.setViewportSize(PHONE);
        await page.goto(accountPath);
        await page.getByLabel("Hold amount (ZAR)").fill("20");
        await page.getByRole("button", { name: "Place hold" }).click();
        const result = page.locator("#page-result");
        await result.getByText("Hold of ZAR 20.00 placed").waitFor();
        // Scrolled to the result's top (the redirect's #page-result), with focus on it.
        await page.waitForFunction(`(() => {
          const result = document.querySelector("#page-result");
          return Math.abs(result.getBoundingClientRect().top) < 2 &&
            document.activeElement === result;
        })()`);
        const holds = () => count(sql, "active holds", customer.id);
        const active = await holds();
        acceptDialogs = false;
        await page.locator("#holds-live").getByRole("button", { name: /^Void/ }).first().click();
        assert.match(dialogs.at(-1) ?? "", /^Void this hold\?/);
        assert.equal(await holds(), active, "dismissed: nothing changed");
        acceptDialogs = true;
        await page.locator("#holds-live").getByRole("button", { name: /^Void/ }).first().click();
        await page.locator("#page-result").getByText(/voided/i).waitFor();
        assert.equal(await holds(), active - 1);
        await page.setViewportSize(DESKTOP);
      });

      await step("money reads one way on every page", async () => {
        for (
          const path of ["/app", accountPath, "/app/transactions", "/app/payments", "/app/cards"]
        ) {
          await page.goto(path);
          const text = await page.locator("main").innerText();
          assert.match(text, /ZAR \d{1,3}(,\d{3})*\.\d{2}/, `${path} shows money`);
          // In one cell, a space apart (cells are tab-separated in innerText).
          assert.doesNotMatch(text, /\d\.\d{2} ZAR\b/, `${path}: the currency goes first`);
          assert.doesNotMatch(text, /(?<![\d,])\d{4,}\.\d{2}\b/, `${path}: thousands are grouped`);
        }
      });

      await step(
        "activity renews the session; an expired one goes to sign-in and back",
        async () => {
          // Two-thirds of the idle time, twice: each visit renews it, so it never lapses.
          for (const path of ["/app/payments", "/app/transactions"]) {
            clock.advanceSeconds(IDLE_SECONDS * 2 / 3);
            await page.goto(path);
            assert.equal(new URL(page.url()).pathname, path, "still signed in");
          }
          clock.advanceSeconds(IDLE_SECONDS + 1);
          await page.reload();
          await page.waitForURL(/\/app\/sign-in\?/);
          await page.getByText("Your session expired").waitFor();
          await signIn(page, customer);
          await page.waitForURL(/\/app\/transactions$/);
          // An htmx form after the expiry: HX-Redirect to sign-in, and back with what was typed.
          await page.goto(accountPath);
          await page.getByLabel("Amount (ZAR)").first().fill("7.77");
          clock.advanceSeconds(IDLE_SECONDS + 1);
          const before = await rows();
          await page.locator("#deposit-submit").click();
          await page.waitForURL(/\/app\/sign-in\?.*expired=1/);
          await page.getByText("Your session expired").waitFor();
          await signIn(page, customer);
          await page.waitForURL(new RegExp(`${accountPath}$`));
          assert.equal(await page.getByLabel("Amount (ZAR)").first().inputValue(), "7.77");
          assert.equal(await rows(), before, "nothing moved meanwhile");
        },
      );

      assert.deepEqual(problems, [], "no script errors");
    } finally {
      await context.close();
      await session.close();
      await receiver.close();
    }
  },
});

// Signs in on the sign-in page (the one the browser is on, when it was sent there).
async function signIn(page: Page, customer: Customer) {
  if (!new URL(page.url()).pathname.endsWith("/sign-in")) await page.goto("/app/sign-in");
  await page.getByLabel("Email").fill(customer.email);
  await page.getByLabel("Password").fill(customer.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * Runs a form's submission, then reloads, goes Back and Forward: what `measure` counts moved by
 * `by` exactly (one row, or the clock's seconds), never twice.
 */
async function once(
  page: Page,
  measure: () => Promise<number>,
  submit: () => Promise<void>,
  by = 1,
) {
  const before = await measure();
  await submit();
  await page.reload();
  await page.goBack();
  await page.waitForLoadState();
  await page.goForward();
  await page.waitForLoadState();
  assert.equal(await measure(), before + by);
}

async function clockOffset(app: Requestable, customer: Customer) {
  const reply = await call<{ offset_seconds: number }>(app, "GET", "/simulations/clock", {
    token: customer.token,
  });
  return reply.body.offset_seconds;
}

// Every ledger row on the user's accounts, either side.
async function ledgerRows(sql: Sql, userId: string): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM transactions t
    WHERE t.from_account_id IN (SELECT id FROM accounts WHERE user_id = ${userId})
       OR t.to_account_id IN (SELECT id FROM accounts WHERE user_id = ${userId})`;
  return n;
}

// What the checks count, by name: the user's inbound payments, authorizations, active holds.
function count(sql: Sql, what: "inbound" | "authorizations" | "active holds", userId: string) {
  const counts = {
    inbound: () =>
      sql<{ n: number }[]>`SELECT count(*)::int AS n FROM payments
        WHERE user_id = ${userId} AND direction = 'inbound'`,
    authorizations: () =>
      sql<{ n: number }[]>`SELECT count(*)::int AS n FROM card_authorizations
        WHERE user_id = ${userId}`,
    "active holds": () =>
      sql<{ n: number }[]>`SELECT count(*)::int AS n FROM holds
        WHERE user_id = ${userId} AND status = 'active'`,
  };
  return counts[what]().then(([{ n }]) => n);
}

/** A webhook receiver on a free port, answering 200 with a body the detail page excerpts. */
function startReceiver() {
  const receiver = { url: "", received: 0, close: () => Promise.resolve() };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    await request.text();
    receiver.received++;
    return new Response("received by the test", { headers: { "x-receiver": "browser-test" } });
  });
  receiver.url = `http://127.0.0.1:${server.addr.port}/hooks`;
  receiver.close = () => server.shutdown();
  return receiver;
}
