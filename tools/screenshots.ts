/**
 * `deno task screenshots`: the README's pictures of the main pages (docs/screenshots/*.png),
 * made in Debian's Chromium (playwright-core, never a downloaded browser) from the app served
 * in-process on a fresh embedded database holding the demo customer, so they show what a new
 * user sees after `deno task dev`. Rerun it when a page changes and commit the images.
 */
import type { Page } from "playwright-core";
import { startBrowserSession } from "../browser_tests/browser.ts";
import { DEMO_CUSTOMER, seedDemoData } from "../db/seed.ts";
import { createFraudRules } from "../domain/fraud/mod.ts";
import type { TestApp } from "../tests/support/app.ts";

/** Where the images go; the README links each one (tests/readme_test.ts checks they exist). */
export const SCREENSHOTS_DIR = new URL("../docs/screenshots/", import.meta.url);

/** The viewport of every picture: a laptop screen, one screenful (not the full page) each. */
const VIEWPORT = { width: 1280, height: 800 };

/** The pages pictured, by file name; `:account` is the demo customer's first account. */
export const PAGES: readonly { name: string; path: string }[] = [
  { name: "dashboard", path: "/app" },
  { name: "account", path: "/app/accounts/:account" },
  { name: "transactions", path: "/app/transactions" },
  { name: "payments", path: "/app/payments" },
  { name: "transfers", path: "/app/transfers" },
  { name: "cards", path: "/app/cards" },
  { name: "fx", path: "/app/fx" },
  { name: "developers", path: "/app/developers" },
];

/** The demo customer of `deno task dev`, plus a card, an API key and a webhook endpoint to show. */
async function seed(app: TestApp): Promise<string> {
  const { sql, config } = app;
  await seedDemoData(sql, {
    cost: config.passwordHash,
    rules: createFraudRules(config.fraud),
    now: new Date(),
    clearing: {
      settlementSeconds: config.paymentSettlementSeconds,
      calendar: config.clearingCalendar,
    },
  });
  const [account] = await sql<{ id: string }[]>`
    SELECT a.id FROM accounts a JOIN users u ON u.id = a.user_id
    WHERE u.email = ${DEMO_CUSTOMER.email} ORDER BY a.created_at, a.id LIMIT 1`;
  const token = await accessToken(app);
  await api(app, token, `/accounts/${account.id}/cards`, { name_on_card: "DEMO CUSTOMER" });
  await api(app, token, "/api_keys", { name: "Billing server" });
  await api(app, token, "/webhook_endpoints", {
    url: "http://127.0.0.1:9000/webhooks",
    description: "My local receiver",
  });
  return account.id;
}

async function accessToken(app: TestApp): Promise<string> {
  const { email, password } = DEMO_CUSTOMER;
  const reply = await api(app, "", "/auth/login", { email, password });
  return String(reply.access_token);
}

/** One JSON API call in-process; anything but a 2xx stops the run. */
async function api(
  app: TestApp,
  token: string,
  path: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await app.app.request(path, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}`);
  return await response.json();
}

async function signIn(page: Page): Promise<void> {
  await page.goto("/app/sign-in");
  await page.getByLabel("Email").fill(DEMO_CUSTOMER.email);
  await page.getByLabel("Password").fill(DEMO_CUSTOMER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/app$/);
}

async function main(): Promise<void> {
  // Always a fresh embedded database: pictures of the demo data only, whatever DATABASE_URL is.
  Deno.env.delete("DATABASE_URL");
  const session = await startBrowserSession();
  try {
    const accountId = await seed(session.app);
    const context = await session.browser.newContext({
      baseURL: session.baseUrl,
      viewport: VIEWPORT,
      deviceScaleFactor: 1,
      reducedMotion: "reduce",
    });
    const page = await context.newPage();
    await signIn(page);
    await Deno.mkdir(SCREENSHOTS_DIR, { recursive: true });
    for (const { name, path } of PAGES) {
      await page.goto(path.replace(":account", accountId));
      await page.waitForLoadState("networkidle");
      const file = new URL(`${name}.png`, SCREENSHOTS_DIR);
      await page.screenshot({ path: file.pathname, type: "png", animations: "disabled" });
      console.log(`Wrote docs/screenshots/${name}.png (${(await Deno.stat(file)).size} bytes)`);
    }
    await context.close();
  } finally {
    await session.close();
  }
}

if (import.meta.main) {
  await main();
  // The embedded database's server and pool would keep the process alive: this run is over.
  Deno.exit(0);
}
