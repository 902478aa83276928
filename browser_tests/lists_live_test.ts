/**
 * Live state and lists in Debian's Chromium: a pending payment turns settled on the open page,
 * with no reload, when another request (the API, as a developer's server would) advances the
 * sandbox clock; the payments and cards lists page Older and Newer; the transaction search
 * narrows by text, by an amount range ("1,000.00" as typed) and by dates.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  call,
  type Customer,
  fundedAccount,
  type Requestable,
  signUp,
} from "../tests/support/client.ts";
import { issueCard } from "../tests/support/cards.ts";
import { sequentialSteps, startBrowserSession } from "./browser.ts";

// A counterparty number whose payment stays pending until settled or returned by hand.
const MANUAL_NUMBER = "9999000009";
const DAY_SECONDS = 86_400;

Deno.test({
  name: "lists page and search, and a pending payment settles in view without a reload",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    // 26 payments in a row: the velocity rule would refuse the sixth within its window.
    const session = await startBrowserSession({ env: { FRAUD_MAX_TRANSFERS: "1000" } });
    const { app } = session.app;
    const context = await session.browser.newContext({ baseURL: session.baseUrl });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    const step = sequentialSteps(t);
    const customer = await signUp(app, "Lists Person");
    const account = await fundedAccount(app, customer, "100000");
    const api = apiOf(app, customer);
    try {
      await step("signs in", async () => {
        await page.goto("/app/sign-in");
        await page.getByLabel("Email").fill(customer.email);
        await page.getByLabel("Password").fill(customer.password);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(/\/app$/);
      });

      await step("a pending payment turns settled on the open page", async () => {
        // 25 that wait for a hand, then one that settles when its time comes: 26 payments.
        for (let i = 0; i < 25; i++) await api.pay(account.id, MANUAL_NUMBER, `Wait ${i}`);
        const settling = await api.pay(account.id, "62001234567", "Settles by itself");
        await page.goto("/app/payments");
        const row = page.locator(`#payment-${settling}`);
        await row.getByText("pending").waitFor();
        // A mark on this document: a reload or a navigation would lose it.
        await page.evaluate(`window.sameDocument = true`);
        await api.advance(DAY_SECONDS);
        await row.getByText("settled").waitFor();
        assert.equal(await page.evaluate<boolean>(`window.sameDocument === true`), true);
        assert.equal(await page.locator("tr.payment-row--pending").count(), 24);
      });

      await step("the payments list pages Older and Newer", async () => {
        const rows = page.locator("#payments-live tr.payment-row");
        assert.equal(await rows.count(), 25);
        const newest = await rows.first().getAttribute("id");
        await page.getByRole("navigation", { name: "Payments pages" })
          .getByRole("link", { name: "Older →" }).click();
        await page.waitForURL(/[?&]older=/);
        await rows.first().waitFor();
        assert.equal(await rows.count(), 1, "the oldest payment, on its own page");
        await page.locator("#payments-live").getByText("Wait 0").waitFor();
        await page.getByRole("link", { name: "← Newer" }).click();
        await page.waitForURL(/[?&]newer=/);
        await page.locator(`#${newest}`).waitFor();
        assert.equal(await rows.count(), 25);
      });

      await step("the cards list pages Older and Newer", async () => {
        for (let i = 0; i < 21; i++) {
          await issueCard(app, customer, account.id, { name_on_card: `Card ${i}` });
        }
        await page.goto("/app/cards");
        const rows = page.locator("section[aria-labelledby='cards-heading'] tbody tr");
        assert.equal(await rows.count(), 20);
        await page.getByRole("navigation", { name: "Cards pages" })
          .getByRole("link", { name: "Older →" }).click();
        await page.waitForURL(/cards_older=/);
        await rows.getByText("Card 0", { exact: true }).waitFor();
        assert.equal(await rows.count(), 1);
        await page.getByRole("navigation", { name: "Cards pages" })
          .getByRole("link", { name: "← Newer" }).click();
        await page.waitForURL(/cards_newer=/);
        await rows.getByText("Card 20", { exact: true }).waitFor();
        assert.equal(await rows.count(), 20);
      });

      await step("the transaction search narrows by text, amount and date", async () => {
        await api.deposit(account.id, "1500.00", "Rent for March");
        await api.deposit(account.id, "35.00", "Coffee beans");
        // Three days on: the next entry falls on a later date than those before.
        await api.advance(3 * DAY_SECONDS);
        await api.deposit(account.id, "1000.00", "Rent for April");
        await page.goto("/app/transactions");
        await search(page, { Search: "rent" });
        assert.deepEqual(await descriptions(page), ["Rent for April", "Rent for March"]);
        await search(page, {
          Search: "",
          "Smallest amount": "1,000.00",
          "Largest amount": "1,200",
        });
        assert.deepEqual(await descriptions(page), ["Rent for April"]);
        await search(page, { "Smallest amount": "30", "Largest amount": "40" });
        assert.deepEqual(await descriptions(page), ["Coffee beans"]);
        // From the day before the later date (UTC): only what came after the advance.
        await search(page, {
          "Smallest amount": "",
          "Largest amount": "",
          "From date": await api.date(-1),
        });
        assert.deepEqual(await descriptions(page), ["Rent for April"]);
        await search(page, { "From date": "", "To date": await api.date(-2) });
        const before = await descriptions(page);
        assert.ok(
          before.includes("Rent for March") && before.includes("Coffee beans"),
          `${before}`,
        );
        assert.ok(!before.includes("Rent for April"), `${before}`);
      });

      assert.deepEqual(problems, [], "no script errors");
    } finally {
      await context.close();
      await session.close();
    }
  },
});

/** The customer's API, as their own server calls it. */
function apiOf(app: Requestable, customer: Customer) {
  const post = (path: string, body: unknown) =>
    call<{ id: string }>(app, "POST", path, { token: customer.token, body });
  return {
    async pay(from: string, number: string, description: string): Promise<string> {
      const reply = await post("/payments", {
        from_account_id: from,
        amount: "1.00",
        counterparty: { name: "Acme Supplies", bank_code: "250655", account_number: number },
        description,
      });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      return reply.body.id;
    },
    async deposit(accountId: string, amount: string, description: string): Promise<void> {
      const reply = await post(`/accounts/${accountId}/deposit`, { amount, description });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
    },
    async advance(seconds: number): Promise<void> {
      const reply = await post("/simulations/clock/advance", { seconds });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
    },
    /** The sandbox clock's date (UTC) `days` from its now, as a date field takes it. */
    async date(days: number): Promise<string> {
      const clock = await call<{ now: string }>(app, "GET", "/simulations/clock", {
        token: customer.token,
      });
      const at = new Date(clock.body.now).getTime() + days * DAY_SECONDS * 1000;
      return new Date(at).toISOString().slice(0, 10);
    },
  };
}

// Fills the named filters and applies them: htmx swaps the results in and pushes the address.
async function search(page: Page, fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
  const swapped = page.evaluate(`new Promise((settled) =>
    document.addEventListener("htmx:afterSettle", () => settled(true), { once: true }))`);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await swapped;
  const query = new URL(page.url()).searchParams;
  const names: Record<string, string> = {
    Search: "q",
    "Smallest amount": "amount_min",
    "Largest amount": "amount_max",
    "From date": "from",
    "To date": "to",
  };
  for (const [label, value] of Object.entries(fields)) {
    assert.equal(query.get(names[label]) ?? "", value, "the address names the filter");
  }
}

async function descriptions(page: Page): Promise<string[]> {
  const texts = await page.locator("#ledger-rows tr.ledger-row .ledger-row__description")
    .allInnerTexts();
  return texts.map((text) => text.trim());
}
