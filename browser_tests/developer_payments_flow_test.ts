/**
 * A developer's afternoon in a real browser: an API key, a webhook endpoint that receives a
 * signed test event, a payment to another bank settled on demand and another returned, a card
 * hold placed and partly captured, the sandbox clock advanced, and a statement downloaded.
 * Every page is screenshotted (.screenshots/2x-*.png).
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { call } from "../tests/support/client.ts";
import { runWorkerUntil } from "../tests/support/webhooks.ts";
import { screenshot, sequentialSteps, startBrowserSession } from "./browser.ts";

const PHONE = { width: 390, height: 844 };
// The receiver's ports: inside this suite's range, the first free one is taken.
const RECEIVER_PORT_FIRST = 8790;
const RECEIVER_PORT_LAST = 8799;

Deno.test({
  name: "a developer wires up keys, webhooks, payments, holds and the clock in the browser",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const session = await startBrowserSession();
    const { app, sql, config } = session.app;
    const receiver = startReceiver();
    const context = await session.browser.newContext({
      baseURL: session.baseUrl,
      acceptDownloads: true,
    });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    // Destructive actions ask first (static/forms.js): this developer means them.
    page.on("dialog", (dialog) => dialog.accept());
    const problems: string[] = [];
    page.on("console", (message) => {
      const text = message.text();
      if (message.type() === "error" && !text.startsWith("Failed to load resource")) {
        problems.push(text);
      }
    });
    page.on("pageerror", (error) => problems.push(error.message));
    const step = sequentialSteps(t);
    let apiKey = "";
    try {
      await step("registers and funds an account", async () => {
        await page.goto("/app/register");
        await page.getByLabel("Full name").fill("Thabo Developer");
        await page.getByLabel("Email").fill(`dev-${crypto.randomUUID()}@example.test`);
        await page.getByLabel("Password").fill("correct horse battery");
        await page.getByRole("button", { name: "Create profile" }).click();
        await page.getByRole("button", { name: "Open account" }).click();
        await page.getByRole("heading", { name: /^Account \d{10}$/ }).waitFor();
        await page.getByLabel("Amount (ZAR)").first().fill("1000");
        await page.getByRole("button", { name: "Deposit" }).click();
        await page.locator("#deposit-outcome").getByText("approved").waitFor();
      });

      await step("creates an API key, shown once, that the API accepts", async () => {
        await nav(page, "Developers").click();
        await page.getByRole("heading", { name: "Developers", level: 1 }).waitFor();
        await screenshot(page, "20-developers-empty");
        await page.getByLabel("Key name").fill("Billing server");
        await page.getByRole("button", { name: "Create API key" }).click();
        const field = page.getByLabel("Your new API key");
        apiKey = await field.inputValue();
        assert.match(apiKey, /^sk_test_/);
        assert.equal(await field.getAttribute("readonly"), "");
        await screenshot(page, "21-developers-key-created");
        const accounts = await call(app, "GET", "/accounts", { token: apiKey });
        assert.equal(accounts.status, 200);
      });

      await step("adds a webhook endpoint and a test event reaches it signed", async () => {
        await page.getByLabel("Endpoint URL").fill(receiver.url);
        await page.getByLabel("Description").fill("Local receiver");
        await page.getByRole("button", { name: "Add endpoint" }).click();
        const secret = await page.getByLabel(/^Signing secret of/).inputValue();
        assert.match(secret, /^whsec_/);
        receiver.secret = secret;
        await screenshot(page, "22-developers-endpoint-added");
        await page.getByRole("button", { name: /^Send test event/ }).click();
        await page.getByText("Test event queued").waitFor();
        await runWorkerUntil({ sql, config }, () => receiver.received.length >= 1);
        assert.equal(receiver.received[0].verified, true, "the signature verifies");
        await nav(page, "Developers").click();
        const log = page.locator("table.deliveries");
        await log.getByText("HTTP 200").first().waitFor();
        await log.getByText("succeeded").first().waitFor();
        await screenshot(page, "23-developers-delivery-log");
      });

      await step("sends a payment to another bank and settles it now", async () => {
        await nav(page, "Payments").click();
        await screenshot(page, "24-payments-empty");
        await page.getByLabel("Name").fill("Acme Supplies");
        await page.getByLabel("Bank code").fill("250655");
        await page.getByLabel("Their account number").fill("62001234567");
        await page.getByLabel("Amount", { exact: true }).fill("250");
        await page.getByLabel("Description").fill("Invoice 7");
        await page.getByRole("button", { name: "Send payment" }).click();
        await page.locator("#page-result").getByText("Payment of ZAR 250.00 sent").waitFor();
        const row = page.locator("tr.payment-row").first();
        await row.getByText("pending").waitFor();
        await screenshot(page, "25-payments-sent");
        await row.getByRole("button", { name: /^Settle now/ }).click();
        await page.getByText("Payment settled").waitFor();
        await page.locator("tr.payment-row").first().getByText("settled").waitFor();
      });

      await step("sends one that waits and returns it with a reason", async () => {
        await page.getByLabel("Name").fill("Closed Co");
        await page.getByLabel("Bank code").fill("250655");
        await page.getByLabel("Their account number").fill("9999000009");
        await page.getByLabel("Amount", { exact: true }).fill("40");
        await page.getByRole("button", { name: "Send payment" }).click();
        const row = page.locator("tr.payment-row").first();
        await row.getByText("pending").waitFor();
        await row.getByLabel("Return reason").selectOption("account_closed");
        await row.getByRole("button", { name: /^Return now/ }).click();
        await page.getByText("Payment returned: Account closed").waitFor();
        await screenshot(page, "26-payments-settled-and-returned");
      });

      await step("checks a payee's name before paying, in place", async () => {
        const from = await page.getByLabel("From").locator("option").first().innerText();
        await page.getByLabel("Name").fill("Thabo Developr");
        await page.getByLabel("Bank code").fill("SANDBOX");
        await page.getByLabel("Their account number").fill(from.slice(0, 10));
        await page.getByRole("button", { name: "Check payee" }).click();
        await page.locator("#payee-check").getByText("Close match: the account holder is")
          .waitFor();
        assert.equal(await page.locator("#payee-check strong").innerText(), "Thabo Developer");
        assert.equal(await page.getByLabel("Name").inputValue(), "Thabo Developr", "form kept");
        await screenshot(page, "26b-payments-payee-checked");
      });

      await step("advances the sandbox clock by a day", async () => {
        const before = await page.locator("#clock-now").innerText();
        await page.locator("#sandbox-clock > summary").click();
        await page.getByLabel("Advance by").fill("1");
        await page.getByLabel("Unit").selectOption("days");
        await page.getByRole("button", { name: "Advance clock" }).click();
        await page.getByText("1 day ahead of real time").waitFor();
        assert.notEqual(await page.locator("#clock-now").innerText(), before);
        await screenshot(page, "27-payments-clock-advanced");
      });

      await step("places a hold and captures part of it", async () => {
        await nav(page, "Accounts").click();
        await page.locator("table.accounts tbody tr").first().getByRole("link").click();
        await page.getByLabel("Hold amount (ZAR)").fill("120");
        await page.getByLabel("Merchant").fill("Hotel Sandbox");
        await page.getByRole("button", { name: "Place hold" }).click();
        await page.getByText("Hold of ZAR 120.00 placed").waitFor();
        const held = await page.locator("#account-summary").innerText();
        assert.match(held, /Balance\s+ZAR 750\.00/);
        assert.match(held, /Available\s+ZAR 630\.00/);
        await screenshot(page, "28-account-hold-placed");
        await page.getByLabel("Amount to capture").fill("80");
        await page.getByRole("button", { name: "Capture" }).click();
        await page.getByText("Captured ZAR 80.00 of the hold").waitFor();
        const summary = await page.locator("#account-summary").innerText();
        assert.match(summary, /Balance\s+ZAR 670\.00/);
        assert.match(summary, /Available\s+ZAR 670\.00/);
        await screenshot(page, "29-account-hold-captured");
      });

      await step("downloads the statement as CSV", async () => {
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("button", { name: "Download CSV" }).click(),
        ]);
        const csv = await Deno.readTextFile(await download.path());
        const lines = csv.trim().split("\r\n");
        assert.equal(
          lines[0],
          "transaction_id,created_at,type,description,counterparty,amount,balance_after",
        );
        assert.ok(lines.some((line) => line.includes(",hold_capture,")), csv);
        assert.ok(lines.some((line) => line.includes(",payment_return,")), csv);
      });

      await step("works on a phone-sized screen", async () => {
        await page.setViewportSize(PHONE);
        for (const [path, name] of [["/app/payments", "30"], ["/app/developers", "31"]]) {
          await page.goto(path);
          await screenshot(page, `${name}-phone-${path.split("/").pop()}`);
          const overflow = await page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth",
          );
          assert.equal(overflow, false, `${path} scrolls sideways on a phone`);
        }
        await page.setViewportSize({ width: 1280, height: 900 });
      });

      assert.deepEqual(problems, [], "the browser reported errors (CSP or script)");
    } finally {
      await screenshot(page, "99-last-state-developer").catch(() => {});
      await context.close();
      await session.close();
      await receiver.close();
    }
  },
});

function nav(page: Page, name: string) {
  return page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
}

interface Receiver {
  url: string;
  secret?: string;
  received: { verified: boolean }[];
  close(): Promise<void>;
}

/** A webhook receiver on the first free port of this suite's range. */
function startReceiver(): Receiver {
  const receiver: Receiver = { url: "", received: [], close: () => Promise.resolve() };
  // A path of its own: deliveries left queued by an earlier run to this port are not counted.
  const path = `/webhooks/${crypto.randomUUID()}`;
  for (let port = RECEIVER_PORT_FIRST; port <= RECEIVER_PORT_LAST; port++) {
    try {
      const server = Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, async (request) => {
        const body = await request.text();
        if (new URL(request.url).pathname !== path) return new Response("gone", { status: 410 });
        let verified = false;
        try {
          new Webhook(receiver.secret ?? "").verify(body, Object.fromEntries(request.headers));
          verified = true;
        } catch {
          verified = false;
        }
        receiver.received.push({ verified });
        return new Response("ok");
      });
      receiver.url = `http://127.0.0.1:${port}${path}`;
      receiver.close = () => server.shutdown();
      return receiver;
    } catch (error) {
      if (!(error instanceof Deno.errors.AddrInUse)) throw error;
    }
  }
  throw new Error(`No free port for a receiver in ${RECEIVER_PORT_FIRST}-${RECEIVER_PORT_LAST}`);
}
