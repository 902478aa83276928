/** Statements: JSON and CSV, checked against the ledger. */
import assert from "node:assert/strict";
import { bankTest, manualClock, testApp } from "../support/app.ts";
import { call, fundedAccount, openAccount, signUp, transfer } from "../support/client.ts";
import { advanceClock, placeHold, sendPayment } from "../support/payments.ts";

interface StatementJson {
  opening_balance: string;
  closing_balance: string;
  total_in: string;
  total_out: string;
  entries: { transaction_id: string; type: string; amount: string; balance_after: string }[];
}

// Near real time (access tokens are checked against it); periods below span two days so a
// run near midnight UTC still sees its entries.
const START = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const DAY = 86_400;
// day() names UTC dates: these tests read the days in UTC (the time_zone tests below do not).
const UTC_DAYS = { BANK_TIME_ZONE: "UTC" };

function day(offsetDays: number): string {
  return new Date(START.getTime() + offsetDays * DAY * 1000).toISOString().slice(0, 10);
}

bankTest(
  "a statement lists approved entries with running balances that match the ledger",
  async () => {
    const { app, sql } = await testApp({ clock: manualClock(START).now, env: UTC_DAYS });
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const other = await openAccount(app, customer);
    await transfer(app, customer, {
      from_account_id: account.id,
      to_account_id: other.id,
      amount: "100",
    });
    await transfer(app, customer, {
      from_account_id: account.id,
      to_account_id: other.id,
      amount: "5000",
    });
    await sendPayment(app, customer, {
      from_account_id: account.id,
      amount: "200",
      counterpartyNumber: "9999000001",
    });
    await advanceClock(app, customer, 60);
    const reply = await call<StatementJson>(
      app,
      "GET",
      `/accounts/${account.id}/statement?from=${day(0)}&to=${day(1)}`,
      { token: customer.token },
    );
    assert.equal(reply.status, 200);
    const statement = reply.body;
    assert.deepEqual(statement.entries.map((e) => [e.type, e.amount, e.balance_after]), [
      ["deposit", "1000.00", "1000.00"],
      ["transfer", "-100.00", "900.00"],
      ["payment_out", "-200.00", "700.00"],
      ["payment_return", "200.00", "900.00"],
    ]);
    assert.equal(statement.opening_balance, "0.00");
    assert.equal(statement.closing_balance, "900.00");
    assert.equal(statement.total_in, "1200.00");
    assert.equal(statement.total_out, "300.00");
    // The stored balance after each entry agrees with the statement's running balance.
    const stored = await sql<{ id: string; after: bigint }[]>`
    SELECT id, CASE WHEN to_account_id = ${account.id} THEN to_balance_after
                    ELSE from_balance_after END AS after
    FROM transactions WHERE status = 'approved'
      AND (from_account_id = ${account.id} OR to_account_id = ${account.id})`;
    const byId = new Map(stored.map((row) => [row.id, row.after]));
    for (const entry of statement.entries) {
      assert.equal(
        Number(byId.get(entry.transaction_id)) / 100,
        Number(entry.balance_after),
        entry.transaction_id,
      );
    }
  },
);

bankTest("a statement's opening balance is the ledger before the period", async () => {
  const { app } = await testApp({ clock: manualClock(START).now, env: UTC_DAYS });
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "300");
  await advanceClock(app, customer, 2 * DAY);
  const hold = await placeHold(app, customer, account.id, { amount: "50" });
  await call(app, "POST", `/holds/${hold.body.id}/capture`, {
    token: customer.token,
    body: { amount: "20" },
  });
  const reply = await call<StatementJson>(
    app,
    "GET",
    `/accounts/${account.id}/statement?from=${day(1)}&to=${day(2)}`,
    { token: customer.token },
  );
  assert.equal(reply.body.opening_balance, "300.00");
  assert.deepEqual(reply.body.entries.map((e) => [e.type, e.amount, e.balance_after]), [
    ["hold_capture", "-20.00", "280.00"],
  ]);
  assert.equal(reply.body.closing_balance, "280.00");
  const account_ = await call(app, "GET", `/accounts/${account.id}`, { token: customer.token });
  assert.equal(account_.body.balance, reply.body.closing_balance);
});

bankTest(
  "with Accept: text/csv the statement's entries come as CSV with a header row",
  async () => {
    const { app } = await testApp({ clock: manualClock(START).now, env: UTC_DAYS });
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "10");
    await call(app, "POST", `/accounts/${account.id}/withdraw`, {
      token: customer.token,
      body: { amount: "2.5", description: '=HYPERLINK("x"), "quoted"' },
    });
    const response = await app.request(
      `/accounts/${account.id}/statement?from=${day(0)}&to=${day(1)}`,
      { headers: { authorization: `Bearer ${customer.token}`, accept: "text/csv" } },
    );
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/csv/);
    const lines = (await response.text()).trimEnd().split("\r\n");
    assert.equal(
      lines[0],
      "transaction_id,created_at,type,description,counterparty,amount,balance_after",
    );
    assert.equal(lines.length, 3);
    assert.match(lines[1], /,deposit,,,10\.00,10\.00$/);
    assert.match(lines[2], /,withdraw,"'=HYPERLINK\(""x""\), ""quoted""",,-2\.50,7\.50$/);
  },
);

bankTest("another user's statement is a 404", async () => {
  const { app } = await testApp();
  const owner = await signUp(app);
  const stranger = await signUp(app);
  const account = await fundedAccount(app, owner, "10");
  const reply = await call(app, "GET", `/accounts/${account.id}/statement`, {
    token: stranger.token,
  });
  assert.equal(reply.status, 404);
});

bankTest("a statement period that is backwards, too long or not a date is a 400", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "10");
  for (
    const query of [
      "from=2026-02-01&to=2026-01-31",
      "from=2024-01-01&to=2026-01-01",
      "from=2026-13-01&to=2026-12-01",
      "from=yesterday",
      "to=2026-02-30",
    ]
  ) {
    const reply = await call(app, "GET", `/accounts/${account.id}/statement?${query}`, {
      token: customer.token,
    });
    assert.equal(reply.status, 400, query);
  }
});

bankTest(
  "statement time_zone decides where the days begin (default BANK_TIME_ZONE, Johannesburg)",
  async () => {
    // 23:30 UTC is already the next day in Johannesburg (UTC+2): the customer's clock goes to
    // the next 23:30 UTC and deposits there.
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await openAccount(app, customer);
    const next = new Date(Date.now() + 86_400_000);
    const at = new Date(`${next.toISOString().slice(0, 10)}T23:30:00Z`);
    const moved = await call(app, "POST", "/simulations/clock/advance", {
      token: customer.token,
      body: { to: at.toISOString() },
    });
    assert.equal(moved.status, 200);
    await call(app, "POST", `/accounts/${account.id}/deposit`, {
      token: customer.token,
      body: { amount: "40" },
    });
    const localDay = new Date(at.getTime() + 86_400_000).toISOString().slice(0, 10);
    const statement = async (query: string) =>
      await call<StatementJson & { time_zone: string }>(
        app,
        "GET",
        `/accounts/${account.id}/statement?from=${localDay}&to=${localDay}${query}`,
        { token: customer.token },
      );
    const local = await statement("");
    assert.equal(local.status, 200);
    assert.equal(local.body.time_zone, "Africa/Johannesburg");
    assert.deepEqual(local.body.entries.map((e) => e.amount), ["40.00"]);
    const utc = await statement("&time_zone=UTC");
    assert.equal(utc.body.time_zone, "UTC");
    assert.deepEqual(utc.body.entries, []);
    assert.equal(utc.body.opening_balance, "40.00", "in UTC the deposit was the day before");
    const bad = await statement("&time_zone=Mars%2FOlympus");
    assert.equal(bad.status, 400);
  },
);

bankTest(
  "statement entries name their counterparty: a payment's, a transfer's account",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const payee = await signUp(app);
    const account = await fundedAccount(app, customer, "100");
    const theirs = await openAccount(app, payee);
    await transfer(app, customer, {
      from_account_id: account.id,
      to_account_id: theirs.id,
      amount: "10",
    });
    await sendPayment(app, customer, { from_account_id: account.id, amount: "5" });
    const reply = await call<{ entries: { type: string; counterparty: string | null }[] }>(
      app,
      "GET",
      `/accounts/${account.id}/statement`,
      { token: customer.token },
    );
    assert.deepEqual(reply.body.entries.map((e) => [e.type, e.counterparty]), [
      ["deposit", null],
      ["transfer", theirs.account_number],
      ["payment_out", "Acme Supplies, 250655 62001234567"],
    ]);
  },
);
