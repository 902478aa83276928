/**
 * A customer's whole day at the bank, in a real browser: sign up, open two accounts, deposit,
 * transfer to another customer by account number, meet an insufficient-funds refusal and a fraud
 * refusal, filter the ledger, export it as CSV, and sign out. Every page is screenshotted.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { call, fundedAccount, signUp } from "../tests/support/client.ts";
import { screenshot, sequentialSteps, startBrowserSession } from "./browser.ts";

const PHONE = { width: 390, height: 844 };

Deno.test({
  name: "a customer banks end to end in the browser",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const session = await startBrowserSession();
    const { app } = session.app;
    const context = await session.browser.newContext({
      baseURL: session.baseUrl,
      acceptDownloads: true,
    });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    // Script errors and CSP violations; a 4xx answer the page explains is not a problem.
    const problems: string[] = [];
    page.on("console", (message) => {
      const text = message.text();
      if (message.type() === "error" && !text.startsWith("Failed to load resource")) {
        problems.push(text);
      }
    });
    page.on("pageerror", (error) => problems.push(error.message));
    // Someone else at the bank, to send money to.
    const payee = await signUp(app, "Payee Person");
    const payeeAccount = await fundedAccount(app, payee, "10");
    const email = `browser-${crypto.randomUUID()}@example.test`;
    // The steps build on each other: after the first failure the rest are skipped.
    const step = sequentialSteps(t);
    try {
      await step("the sign-in page greets a visitor at /", async () => {
        await page.goto("/");
        assert.equal(new URL(page.url()).pathname, "/app/sign-in");
        await page.getByRole("heading", { name: "Sign in" }).waitFor();
        await screenshot(page, "01-sign-in");
      });

      await step("register shows what is wrong, then signs the customer in", async () => {
        await page.getByRole("link", { name: "Open a sandbox profile" }).click();
        await page.getByLabel("Full name").fill("Nomsa Dlamini");
        await page.getByLabel("Email").fill("not-an-email");
        await page.getByLabel("Password").fill("short");
        await page.getByRole("button", { name: "Create profile" }).click();
        await page.getByText("Enter a valid email address").waitFor();
        await page.getByText("That password is too short.").waitFor();
        await screenshot(page, "02-register-invalid");
        await page.getByLabel("Email").fill(email);
        await page.getByLabel("Password").fill("correct horse battery");
        await page.getByRole("button", { name: "Create profile" }).click();
        await page.getByRole("heading", { name: "Welcome, Nomsa" }).waitFor();
        await screenshot(page, "03-dashboard-empty");
      });

      await step("opens two ZAR accounts", async () => {
        await page.getByRole("button", { name: "Open account" }).click();
        await page.getByRole("heading", { name: /^Account \d{10}$/ }).waitFor();
        await nav(page, "Accounts").click();
        await page.getByLabel("Currency").selectOption("ZAR");
        await page.getByRole("button", { name: "Open account" }).click();
        await page.getByRole("heading", { name: /^Account \d{10}$/ }).waitFor();
        await nav(page, "Accounts").click();
        assert.equal(await page.locator("table.accounts tbody tr").count(), 2);
        await screenshot(page, "04-accounts");
      });

      await step("deposits into the first account and sees the new balance in place", async () => {
        await page.locator("table.accounts tbody tr").first().getByRole("link").click();
        await page.getByLabel("Amount (ZAR)").first().fill("1000");
        await page.locator("#deposit-description").fill("Opening deposit");
        await page.getByRole("button", { name: "Deposit" }).click();
        await page.locator("#deposit-outcome").getByText("Deposit of ZAR 1,000.00 approved")
          .waitFor();
        assert.match(await page.locator("#account-summary").innerText(), /ZAR 1,000\.00/);
        assert.equal(
          await page.locator("#deposit-amount").inputValue(),
          "",
          "the amount is cleared",
        );
        assert.equal(await page.locator("#account-history svg").count(), 1, "the chart is drawn");
        await page.locator("#account-ledger").getByText("Opening deposit").waitFor();
        await screenshot(page, "05-account-after-deposit");
      });

      await step("transfers to another customer's account number", async () => {
        await nav(page, "Transfers").click();
        await page.getByLabel("Account number").fill("1234567890");
        await page.locator("#to_account_number-hint").getByText("check digit").waitFor();
        await page.getByLabel("Account number").fill(payeeAccount.account_number);
        await page.locator("#to_account_number-hint").getByText("Account found (ZAR).").waitFor();
        await page.getByLabel("Amount", { exact: true }).fill("250.5");
        await page.locator("#amount-hint").getByText("ZAR 250.50 of ZAR 1,000.00 available")
          .waitFor();
        await page.getByLabel("Description").fill("Lunch money");
        await screenshot(page, "06-transfer-form-checked");
        await page.getByRole("button", { name: "Send money" }).click();
        await page.locator("#transfer-outcome").getByText("Transfer of ZAR 250.50 approved")
          .waitFor();
        assert.match(await page.locator("#transfer-outcome").innerText(), /ZAR 749\.50/);
        assert.match(await page.locator("#transfer-balances").innerText(), /ZAR 749\.50/);
        assert.equal(
          await page.getByLabel("Amount", { exact: true }).inputValue(),
          "",
          "the amount is cleared",
        );
        await screenshot(page, "07-transfer-approved");
      });

      await step("sees an insufficient-funds refusal with its reason", async () => {
        await page.getByLabel("Amount", { exact: true }).fill("5000");
        await page.locator("#amount-hint").getByText("it would be refused").waitFor();
        await page.getByRole("button", { name: "Send money" }).click();
        const outcome = page.locator("#transfer-outcome");
        await outcome.getByText("Refused: Insufficient funds").waitFor();
        assert.match(await outcome.innerText(), /available balance is ZAR 749\.50/);
        await screenshot(page, "08-transfer-insufficient-funds");
      });

      await step("sees a fraud refusal with the rule's explanation", async () => {
        await page.goto("/app/accounts");
        await page.locator("table.accounts tbody tr").first().getByRole("link").click();
        await page.getByLabel("Amount (ZAR)").first().fill("200000");
        await page.getByRole("button", { name: "Deposit" }).click();
        await page.locator("#deposit-outcome").getByText("approved").waitFor();
        await nav(page, "Transfers").click();
        await page.getByLabel("Account number").fill(payeeAccount.account_number);
        await page.getByLabel("Amount", { exact: true }).fill("160000");
        await page.getByRole("button", { name: "Send money" }).click();
        const outcome = page.locator("#transfer-outcome");
        await outcome.getByText("Refused: Fraud check").waitFor();
        const text = await outcome.innerText();
        assert.match(text, /exceeds the limit of ZAR 150,000\.00/);
        assert.match(text, /A single transfer or payment above the limit is refused/);
        await screenshot(page, "09-transfer-fraud-refused");
      });

      await step(
        "the dashboard shows totals, accounts, a chart and the latest entries",
        async () => {
          await nav(page, "Dashboard").click();
          await page.locator(".totals__amount").getByText("ZAR 200,749.50").waitFor();
          assert.equal(await page.locator("svg.chart__svg").count(), 1);
          await screenshot(page, "10-dashboard");
        },
      );

      await step("filters the ledger to refusals and loads no more than it shows", async () => {
        await nav(page, "Transactions").click();
        await screenshot(page, "11-transactions");
        await page.getByLabel("Status").selectOption("rejected");
        await page.getByRole("button", { name: "Apply filters" }).click();
        await page.waitForURL(/status=rejected/);
        const rows = page.locator("#ledger-rows tr.ledger-row");
        await page.waitForFunction(
          "document.querySelectorAll('#ledger-rows tr.ledger-row--approved').length === 0",
        );
        assert.equal(await rows.count(), 2);
        await screenshot(page, "12-transactions-filtered");
      });

      await step("exports what the filter shows as CSV", async () => {
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("link", { name: "Export CSV" }).click(),
        ]);
        const path = await download.path();
        const csv = await Deno.readTextFile(path);
        const lines = csv.trim().split("\r\n");
        assert.equal(lines[0].split(",")[0], "transaction_id");
        assert.equal(lines.length, 3);
        assert.ok(lines.slice(1).every((line) => line.includes(",rejected,")));
      });

      await step("another customer's account is a 404 page", async () => {
        const response = await page.goto(`/app/accounts/${payeeAccount.id}`);
        assert.equal(response?.status(), 404);
        await page.getByRole("heading", { name: "Not found" }).waitFor();
        await screenshot(page, "13-not-found");
      });

      await step("works on a phone-sized screen", async () => {
        await page.setViewportSize(PHONE);
        await page.goto("/app");
        await screenshot(page, "14-phone-dashboard");
        await page.goto("/app/transfers");
        await screenshot(page, "15-phone-transfers");
        await page.goto("/app/transactions");
        await screenshot(page, "16-phone-transactions");
        const overflow = await page.evaluate(
          "document.documentElement.scrollWidth > document.documentElement.clientWidth",
        );
        assert.equal(overflow, false, "the page scrolls sideways on a phone");
        await page.setViewportSize({ width: 1280, height: 900 });
      });

      await step("signs out, and the session is gone", async () => {
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.getByText("You have signed out.").waitFor();
        await screenshot(page, "17-signed-out");
        const cookies = await context.cookies();
        assert.equal(cookies.find((cookie) => cookie.name === "bank_session"), undefined);
        await page.goto("/app/transactions");
        assert.equal(new URL(page.url()).pathname, "/app/sign-in");
      });

      assert.deepEqual(problems, [], "the browser reported errors (CSP or script)");
    } finally {
      await screenshot(page, "99-last-state").catch(() => {});
      await context.close();
      await session.close();
    }
    // The payee's money arrived through the same ledger the API reads.
    const payeeView = await call(app, "GET", `/accounts/${payeeAccount.id}`, {
      token: payee.token,
    });
    assert.equal(payeeView.body.balance, "260.50");
  },
});

function nav(page: Page, name: string) {
  return page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
}
