/**
 * The dashboard as a developer uses it all day, in Debian's Chromium: a keyboard-only seed flow;
 * reload, Back and double click never repeat a payment, a hold or a test event; a session that
 * ends mid-form comes back to the page with what was typed; and axe-core finds no serious or
 * critical violation on any dashboard page at desktop and phone width.
 */
import assert from "node:assert/strict";
import axe from "axe-core";
import type { BrowserContext, Page } from "playwright-core";
import { NAV_ITEMS } from "../views/nav.ts";
import { sequentialSteps, startBrowserSession } from "./browser.ts";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
// axe-core's own source, injected into each page (never fetched from a CDN).
const AXE_SOURCE = axe.source;

Deno.test({
  name: "the dashboard never repeats an action, survives a session expiry and passes axe",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const session = await startBrowserSession();
    const { sql } = session.app;
    // bypassCSP only so the test can inject axe-core; the app's own policy is tested elsewhere.
    const context = await session.browser.newContext({ baseURL: session.baseUrl, bypassCSP: true });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on("dialog", (dialog) => dialog.accept());
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    const step = sequentialSteps(t);
    const email = `dash-${crypto.randomUUID()}@example.test`;
    const password = "correct horse battery";
    let accountPath = "";
    try {
      await step("registers, opens and funds an account with the keyboard only", async () => {
        await page.goto("/app/register");
        await tabTo(page, "Full name");
        await page.keyboard.type("Keyboard User");
        await tabTo(page, "Email");
        await page.keyboard.type(email);
        await tabTo(page, "Password");
        await page.keyboard.type(password);
        await page.keyboard.press("Enter");
        await page.waitForURL(/\/app$/);
        await page.goto("/app/accounts");
        await tabTo(page, "Open account");
        await page.keyboard.press("Enter");
        await page.getByRole("heading", { name: /^Account \d{10}$/ }).waitFor();
        accountPath = new URL(page.url()).pathname;
        await tabTo(page, "Amount (ZAR)");
        await page.keyboard.type("1,000.00");
        await page.keyboard.press("Enter");
        await page.locator("#deposit-outcome").getByText("approved").waitFor();
        // Focus moves to the result once htmx has settled the swap.
        await page.waitForFunction(`document.activeElement?.classList.contains("notice")`);
      });

      await step(
        "a double-clicked payment, reloaded and gone Back over, is sent once",
        async () => {
          await page.goto("/app/payments");
          await page.getByLabel("Name", { exact: true }).fill("Acme Supplies");
          await page.getByLabel("Bank code").fill("250655");
          await page.getByLabel("Their account number").fill("62001234567");
          await page.getByLabel("Amount", { exact: true }).fill("7");
          // 100 characters without a break: the payments table must wrap it, not widen the page.
          await page.getByLabel("Description").fill("y".repeat(100));
          await page.getByRole("button", { name: "Send payment" }).dblclick();
          await page.locator("#page-result").getByText("Payment of ZAR 7.00 sent").waitFor();
          assert.match(page.url(), /\/app\/payments\?done=/);
          await page.reload();
          await page.locator("#page-result").getByText("Payment of ZAR 7.00 sent").waitFor();
          await page.goBack();
          await page.goForward();
          assert.equal(await count(sql, "payments", email), 1);
          assert.equal(await count(sql, "payment_out", email), 1);
        },
      );

      await step("a hold placed twice over by reload and Back is one hold", async () => {
        await page.goto(accountPath);
        await page.getByLabel("Hold amount (ZAR)").fill("20");
        await page.getByRole("button", { name: "Place hold" }).dblclick();
        await page.locator("#page-result").getByText("Hold of ZAR 20.00 placed").waitFor();
        await page.reload();
        await page.goBack();
        await page.waitForLoadState();
        await page.goForward();
        assert.equal(await count(sql, "holds", email), 1);
      });

      await step("a test event sent with a double click and a reload is queued once", async () => {
        await page.goto("/app/developers");
        await page.getByLabel("Endpoint URL").fill("http://localhost:8799/hooks");
        // 100 characters without a break: the page must wrap it, not widen.
        await page.getByLabel("Description").fill("x".repeat(100));
        await page.getByRole("button", { name: "Add endpoint" }).click();
        await page.getByLabel(/^Signing secret of/).waitFor();
        const before = await count(sql, "webhook_deliveries", email);
        await page.getByRole("button", { name: /^Send test event/ }).dblclick();
        await page.getByText("Test event queued").waitFor();
        await page.reload();
        await page.getByText("Test event queued").waitFor();
        assert.equal(await count(sql, "webhook_deliveries", email), before + 1);
      });

      await step("a session that ended mid-form comes back with the typed amount", async () => {
        await page.goto(accountPath);
        await page.getByLabel("Amount (ZAR)").first().fill("12.34");
        // The browser drops the cookie when the token expires; this is that moment.
        await dropSession(context);
        await page.getByRole("button", { name: "Deposit" }).click();
        await page.waitForURL(/\/app\/sign-in\?.*expired=1/);
        await page.getByText("Your session expired").waitFor();
        await page.getByLabel("Email").fill(email);
        await page.getByLabel("Password").fill(password);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(new RegExp(`${accountPath}$`));
        await page.getByText("what you typed is back in the form").waitFor();
        assert.equal(await page.getByLabel("Amount (ZAR)").first().inputValue(), "12.34");
        assert.equal(await count(sql, "deposits of 12.34", email), 0, "nothing moved meanwhile");
      });

      await step(
        "every page passes axe, shows the banner and never scrolls sideways, at both widths",
        async () => {
          const firstLink = async (path: string, prefix: string) => {
            await page.goto(path);
            return (await page.locator(`a[href^='${prefix}']`).first().getAttribute("href"))!;
          };
          const details = [
            await firstLink("/app/payments", "/app/payments/"),
            await firstLink("/app/developers", "/app/events/"),
            await firstLink("/app/developers", "/app/deliveries/"),
            await firstLink("/app/transactions", "/app/transactions/"),
            await firstLink(accountPath, "/app/holds/"),
          ];
          // Every page of the main navigation, an account, and a detail page of each kind.
          const pages = [
            ...NAV_ITEMS.map((item) => item.href),
            accountPath,
            ...details,
          ];
          assert.ok(pages.includes("/app/cards") && pages.includes("/app/debit_orders"));
          const found: string[] = [];
          for (const viewport of [DESKTOP, PHONE]) {
            await page.setViewportSize(viewport);
            for (const path of pages) {
              found.push(...await axeViolations(page, path, viewport.width));
              found.push(...await layoutProblems(page, path, viewport.width));
            }
            // The toolbar's panels open: their forms are checked too.
            await page.goto("/app");
            for (const summary of await page.locator(".toolbar summary").all()) {
              await summary.click();
            }
            found.push(...await axeViolations(page, undefined, viewport.width));
            found.push(...await layoutProblems(page, "/app (toolbar open)", viewport.width));
          }
          const guest = await session.browser.newContext({
            baseURL: session.baseUrl,
            bypassCSP: true,
          });
          const signIn = await guest.newPage();
          for (const path of ["/app/sign-in", "/app/register"]) {
            found.push(...await axeViolations(signIn, path, DESKTOP.width));
          }
          await guest.close();
          assert.deepEqual(found, []);
        },
      );
      assert.deepEqual(problems, [], "no script errors");
    } finally {
      await context.close();
      await session.close();
    }
  },
});

/** Presses Tab until the element named `name` has focus (at most 60 presses). */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    // A string, evaluated in the page (this file is type-checked without the DOM's types).
    const focused = await page.evaluate<string>(`(() => {
      const element = document.activeElement;
      if (!element) return "";
      const label = element.labels?.[0]?.textContent ?? "";
      return label.trim() + "|" + (element.textContent ?? "").trim();
    })()`);
    if (focused.split("|").includes(name)) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

async function dropSession(context: BrowserContext): Promise<void> {
  const kept = (await context.cookies()).filter((cookie) => cookie.name !== "bank_session");
  await context.clearCookies();
  await context.addCookies(kept);
}

/**
 * What is wrong with the page's layout as shown: a sideways scroll (an unbroken 100-character
 * description must wrap, not widen the page), or no test-mode banner.
 */
async function layoutProblems(page: Page, path: string, width: number): Promise<string[]> {
  const problems: string[] = [];
  const scrollWidth = await page.evaluate<number>(`document.documentElement.scrollWidth`);
  if (scrollWidth > width + 1) problems.push(`${path} @${width}px: ${scrollWidth}px wide`);
  const banner = page.getByText("Sandbox — test mode.");
  if (!(await banner.isVisible())) problems.push(`${path} @${width}px: no test-mode banner`);
  return problems;
}

/** axe-core's serious and critical violations on `path` (or the page as it is). */
async function axeViolations(page: Page, path: string | undefined, width: number) {
  if (path) await page.goto(path);
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<{ id: string; impact: string; nodes: number }[]>(
    `axe.run(document, { resultTypes: ["violations"] }).then((result) =>
      result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))`,
  );
  const where = path ?? new URL(page.url()).pathname + " (toolbar open)";
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${where} @${width}px: ${v.impact} ${v.id} (${v.nodes})`);
}

// What the database holds for the user: counted by what the check is about.
async function count(
  sql: import("../db/client.ts").Sql,
  what: string,
  email: string,
): Promise<number> {
  const user = sql`(SELECT id FROM users WHERE email = ${email})`;
  const query = what === "payments"
    ? sql`SELECT count(*)::int AS n FROM payments p JOIN accounts a ON a.id = p.account_id
          WHERE a.user_id = ${user}`
    : what === "payment_out"
    ? sql`SELECT count(*)::int AS n FROM transactions t JOIN accounts a ON a.id = t.from_account_id
          WHERE a.user_id = ${user} AND t.type = 'payment_out'`
    : what === "holds"
    ? sql`SELECT count(*)::int AS n FROM holds h JOIN accounts a ON a.id = h.account_id
          WHERE a.user_id = ${user}`
    : what === "webhook_deliveries"
    ? sql`SELECT count(*)::int AS n FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
          WHERE e.user_id = ${user}`
    : sql`SELECT count(*)::int AS n FROM transactions t JOIN accounts a ON a.id = t.to_account_id
          WHERE a.user_id = ${user} AND t.type = 'deposit' AND t.amount = 1234`;
  const [{ n }] = await query as unknown as { n: number }[];
  return n;
}
