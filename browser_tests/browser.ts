/**
 * Browser tests' harness: the app served on a local port, and Debian's Chromium driven by
 * playwright-core. No browser is ever downloaded: CHROMIUM_PATH (default /usr/bin/chromium)
 * must exist, and `.ci/run` installs it with apt when missing.
 */
import { type Browser, chromium, type Page } from "playwright-core";
import { type TestApp, testApp } from "../tests/support/app.ts";

/** Where Chromium is; Debian's package puts it here. */
export const CHROMIUM_PATH = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";

/** Where screenshots go: git-ignored, beside the repository's root. */
export const SCREENSHOT_DIR = new URL("../.screenshots/", import.meta.url);

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

/** A running app and browser, and how to stop both. */
export interface BrowserSession {
  app: TestApp;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Serves the app on 127.0.0.1 (BROWSER_TEST_PORT, else a free port) and launches Chromium;
 * `clock` replaces real time (tests/support/app.ts manualClock) where a test moves time itself.
 */
export async function startBrowserSession(
  options: { env?: Record<string, string>; clock?: () => Date } = {},
): Promise<BrowserSession> {
  const app = await testApp({ env: options.env, clock: options.clock });
  const port = Number(Deno.env.get("BROWSER_TEST_PORT") ?? "0");
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => {} },
    app.app.fetch,
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  return {
    app,
    baseUrl: `http://127.0.0.1:${server.addr.port}`,
    browser,
    async close() {
      await browser.close();
      await server.shutdown();
    },
  };
}

/** Saves a full-page screenshot as .screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOT_DIR).pathname, fullPage: true });
}

/**
 * A test's steps in order, each skipped once one has failed (they build on each other): the
 * returned `step` runs `fn` as a step of `t`.
 */
export function sequentialSteps(
  t: Deno.TestContext,
): (name: string, fn: () => Promise<void>) => Promise<void> {
  let failed = false;
  return async (name, fn) => {
    failed = failed || !(await t.step({ name, ignore: failed, fn }));
  };
}
