/**
 * /docs in a real browser (Debian's Chromium, never downloaded): the reference renders, every
 * request it makes goes to the app, "try it" reaches the server with a token, and axe-core finds
 * no serious or critical violation. Here rather than in tests/: Chromium is the costliest thing
 * the suite ran (about a fifth of `deno task test`'s CPU), and CI runs this folder on its own.
 */
import assert from "node:assert/strict";
import axe from "axe-core";
import { openAccount, signUp } from "../tests/support/client.ts";
import { SCREENSHOT_DIR, startBrowserSession } from "./browser.ts";

// axe-core's own source, injected into the page (never fetched from a CDN).
const AXE_SOURCE = axe.source;
const SCREENSHOT_PATH = new URL("docs.png", SCREENSHOT_DIR);
const TRY_IT_SCREENSHOT_PATH = new URL("docs_try_it.png", SCREENSHOT_DIR);

Deno.test({
  name: "GET /docs renders the reference from the app alone and 'try it' calls the server",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const session = await startBrowserSession();
    const { app } = session.app;
    const customer = await signUp(app);
    await openAccount(app, customer);
    const origin = session.baseUrl;
    const browser = session.browser;
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
      const requested: string[] = [];
      const consoleErrors: string[] = [];
      page.on("request", (request) => requested.push(request.url()));
      page.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(message.text());
      });
      page.on("pageerror", (error) => consoleErrors.push(error.message));

      const response = await page.goto(`${origin}/docs`);
      assert.equal(response?.status(), 200);
      await page.locator(".opblock-summary-path", { hasText: "/transactions/transfer" }).first()
        .waitFor();
      assert.match(await page.locator(".info .title").innerText(), /Bank API Sandbox/);
      await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: SCREENSHOT_PATH.pathname });

      // Authorize with the customer's token, then run GET /accounts from the page.
      await page.locator("button.authorize").first().click();
      await page.locator(".auth-container input[type=text]").first().fill(customer.token);
      await page.locator(".auth-btn-wrapper button.authorize").first().click();
      await page.locator("button.btn-done").first().click();
      const operation = page.locator("#operations-Accounts-get_accounts");
      await operation.locator(".opblock-summary").click();
      const answered = page.waitForResponse((reply) =>
        reply.url() === `${origin}/accounts` && reply.request().method() === "GET"
      );
      await operation.locator("button.execute").click();
      const reply = await answered;
      assert.equal(reply.status(), 200);
      assert.equal(reply.request().headers()["authorization"], `Bearer ${customer.token}`);
      // The page shows the live answer it received.
      await operation.locator(".live-responses-table td.response-col_status", { hasText: "200" })
        .waitFor();

      await operation.screenshot({ path: TRY_IT_SCREENSHOT_PATH.pathname });

      const elsewhere = requested.filter((url) =>
        !url.startsWith(`${origin}/`) && !url.startsWith("data:")
      );
      assert.deepEqual(elsewhere, [], "requests that left the app");
      assert.ok(requested.includes(`${origin}/openapi.json`), "the document was not loaded");
      assert.deepEqual(consoleErrors, [], "errors in the page (a CSP violation shows here)");
    } finally {
      await session.close();
    }
  },
});

Deno.test({
  name: "GET /docs has no serious or critical axe violation at desktop and phone width",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const session = await startBrowserSession();
    const origin = session.baseUrl;
    const browser = session.browser;
    const found: string[] = [];
    try {
      for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
        // bypassCSP only so the test can inject axe-core; the page's own policy is tested above.
        const context = await browser.newContext({ viewport, bypassCSP: true });
        const page = await context.newPage();
        await page.goto(`${origin}/docs`);
        await page.locator(".opblock-summary-path", { hasText: "/transactions/transfer" }).first()
          .waitFor();
        // One operation open, as a reader trying it sees it (its parameters, its selects).
        const operation = page.locator("#operations-Transactions-get_transactions");
        await operation.locator(".opblock-summary").click();
        await operation.locator(".parameters").first().waitFor();
        await page.evaluate(AXE_SOURCE);
        const violations = await page.evaluate<
          { id: string; impact: string; nodes: string[] }[]
        >(
          `axe.run(document, { resultTypes: ["violations"] }).then((result) =>
            result.violations.map((v) => ({ id: v.id, impact: v.impact,
              nodes: v.nodes.slice(0, 6).map((n) => n.target.join(" ")) })))`,
        );
        for (const v of violations) {
          if (v.impact === "serious" || v.impact === "critical") {
            found.push(`@${viewport.width}px: ${v.impact} ${v.id} ${v.nodes.join(" | ")}`);
          }
        }
        await context.close();
      }
    } finally {
      await session.close();
    }
    assert.deepEqual(found, []);
  },
});
