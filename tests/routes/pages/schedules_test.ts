/** The Standing orders and Debit orders pages: create, list, cancel or dispute after confirming. */
import assert from "node:assert/strict";
import { localDate } from "../../../domain/business_days.ts";
import { addDays } from "../../../domain/public_holidays.ts";
import { bankTest, testApp, testConfig } from "../../support/app.ts";
import { PageClient } from "../../support/pages.ts";

const ZONE = testConfig().clearingCalendar.timeZone;

async function customerWithMoney() {
  const { app } = await testApp();
  const visitor = new PageClient(app);
  await visitor.register();
  const opened = await visitor.post("/app/accounts", { currency: "ZAR" });
  const path = opened.headers.get("location")!;
  const account = await visitor.get(path);
  await visitor.post(`${path}/deposit`, { amount: "1000" });
  const number = /\b(\d{10})\b/.exec(account.text)![1];
  return { visitor, accountId: path.split("/").pop()!, number };
}

function keyOf(text: string): string {
  return /name="idempotency_key" value="([^"]+)"/.exec(text)![1];
}

bankTest(
  "a standing order created on the page redirects to the list, and cancels after confirming",
  async () => {
    const { visitor, accountId } = await customerWithMoney();
    const page = await visitor.get("/app/standing_orders");
    assert.equal(page.status, 200);
    assert.match(page.text, /No standing orders yet/);
    const form = {
      from_account_id: accountId,
      amount: "100",
      counterparty_name: "Landlord",
      bank_code: "250655",
      account_number: "62001234567",
      interval: "monthly",
      start_date: addDays(localDate(new Date(), ZONE), 3),
      count: "",
      end_date: "",
      description: "Rent",
      idempotency_key: keyOf(page.text),
    };
    const created = await visitor.post("/app/standing_orders", form);
    assert.equal(created.status, 303);
    assert.equal(created.headers.get("location"), "/app/standing_orders?done=created");
    // The same rendered form posted twice creates one standing order.
    assert.equal((await visitor.post("/app/standing_orders", form)).status, 303);
    const list = await visitor.get("/app/standing_orders?done=created");
    assert.match(list.text, /Standing order created/);
    const ids = [...list.text.matchAll(/id="schedule-([0-9a-f-]{36})"/g)].map((m) => m[1]);
    assert.equal(ids.length, 1);
    const confirm = await visitor.get(`/app/standing_orders/${ids[0]}/cancel`);
    assert.match(confirm.text, /Cancel this standing order\?/);
    const cancelled = await visitor.post(`/app/standing_orders/${ids[0]}/cancel`, {
      idempotency_key: keyOf(confirm.text),
    });
    assert.equal(cancelled.status, 303);
    const after = await visitor.get("/app/standing_orders?done=cancelled");
    assert.match(after.text, /cancelled<\/td>/);
  },
);

bankTest("a debit order simulated on the page is listed, and a bad date is a 400", async () => {
  const { visitor, number } = await customerWithMoney();
  const page = await visitor.get("/app/debit_orders");
  const form = {
    account_number: number,
    amount: "150",
    creditor_name: "Gym Co",
    reference: "M-1",
    collect_on: "",
    idempotency_key: keyOf(page.text),
  };
  const created = await visitor.post("/app/debit_orders", form);
  assert.equal(created.status, 303);
  const list = await visitor.get("/app/debit_orders?done=simulated");
  assert.match(list.text, /Gym Co/);
  assert.match(list.text, /scheduled<\/td>/);
  const bad = await visitor.post("/app/debit_orders", {
    ...form,
    collect_on: "2020-01-01",
    idempotency_key: crypto.randomUUID(),
  });
  assert.equal(bad.status, 400);
});
