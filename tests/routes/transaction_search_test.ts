import assert from "node:assert/strict";
import { bankTest, manualClock, testApp } from "../support/app.ts";
import {
  call,
  type Customer,
  fundedAccount,
  openAccount,
  signUp,
  transfer,
} from "../support/client.ts";
import { sendPayment } from "../support/payments.ts";

type Page = {
  data: {
    id: string;
    type: string;
    amount: string;
    description: string | null;
    created_at: string;
  }[];
  next_cursor: string | null;
};

async function list(app: Parameters<typeof call>[0], customer: Customer, query: string) {
  return await call<Page>(app, "GET", `/transactions?${query}`, { token: customer.token });
}

const amounts = (page: Page) => page.data.map((entry) => entry.amount);

bankTest("GET /transactions?q= finds text in the description, any case", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const a = await fundedAccount(app, customer, "100");
  const b = await openAccount(app, customer);
  await transfer(app, customer, {
    from_account_id: a.id,
    to_account_id: b.id,
    amount: "7",
    description: "Monthly RENT 50%",
  });
  await transfer(app, customer, {
    from_account_id: a.id,
    to_account_id: b.id,
    amount: "3",
    description: "Groceries",
  });
  const rent = await list(app, customer, "q=rent");
  assert.equal(rent.status, 200);
  assert.deepEqual(amounts(rent.body), ["7.00"]);
  // LIKE's wildcards are text here: "%" matches only a percent sign.
  assert.deepEqual(amounts((await list(app, customer, "q=50%25")).body), ["7.00"]);
  assert.deepEqual(amounts((await list(app, customer, "q=_")).body), []);
});

bankTest(
  "GET /transactions?q= finds the counterparty: a payment's party, a transfer's other account",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const a = await fundedAccount(app, customer, "100");
    const other = await signUp(app, "Other Person");
    const theirs = await openAccount(app, other);
    const paid = await sendPayment(app, customer, {
      from_account_id: a.id,
      amount: "4",
      counterpartyNumber: "62009876543",
    });
    assert.equal(paid.status, 201);
    await transfer(app, customer, {
      from_account_id: a.id,
      to_account_number: theirs.account_number,
      amount: "2",
    });
    assert.deepEqual(amounts((await list(app, customer, "q=acme")).body), ["4.00"]);
    assert.deepEqual(amounts((await list(app, customer, "q=62009876543")).body), ["4.00"]);
    assert.deepEqual(amounts((await list(app, customer, `q=${theirs.account_number}`)).body), [
      "2.00",
    ]);
    // The receiver finds the sender's account by its number, and not the sender's refusals.
    assert.deepEqual(amounts((await list(app, other, `q=${a.account_number}`)).body), ["2.00"]);
  },
);

bankTest(
  "GET /transactions filters by an inclusive amount range in the account's currency",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "100");
    for (const amount of ["5", "10.50", "20"]) {
      await call(app, "POST", `/accounts/${account.id}/withdraw`, {
        token: customer.token,
        body: { amount },
      });
    }
    assert.deepEqual(amounts((await list(app, customer, "amount_min=10.50&amount_max=20")).body), [
      "20.00",
      "10.50",
    ]);
    assert.deepEqual(amounts((await list(app, customer, "amount_max=10.49")).body), ["5.00"]);
    assert.deepEqual(
      amounts((await list(app, customer, `account_id=${account.id}&amount_min=50`)).body),
      ["100.00"],
    );
  },
);

bankTest("GET /transactions filters by a created_after/created_before range", async () => {
  const start = Math.floor(Date.now() / 1000) * 1000;
  const clock = manualClock(new Date(start));
  const { app } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  for (const amount of ["1", "2", "3"]) {
    await call(app, "POST", `/accounts/${account.id}/deposit`, {
      token: customer.token,
      body: { amount },
    });
    clock.advanceSeconds(60);
  }
  const at = (seconds: number) => new Date(start + seconds * 1000).toISOString();
  const middle = await list(app, customer, `created_after=${at(60)}&created_before=${at(120)}`);
  assert.equal(middle.status, 200);
  assert.deepEqual(amounts(middle.body), ["2.00"]);
  // An offset is honoured: 02:00 ahead is the same instant as the UTC time two hours earlier.
  const shifted = new Date(start + 60_000 + 2 * 3600_000).toISOString().replace("Z", "+02:00");
  assert.deepEqual(
    amounts((await list(app, customer, `created_after=${encodeURIComponent(shifted)}`)).body),
    [
      "3.00",
      "2.00",
    ],
  );
});

bankTest("GET /transactions filters page with the cursor and keep their filter", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  for (let i = 1; i <= 5; i++) {
    await call(app, "POST", `/accounts/${account.id}/deposit`, {
      token: customer.token,
      body: { amount: String(i), description: i % 2 ? "odd" : "even" },
    });
  }
  const first = await list(app, customer, "q=odd&limit=2");
  assert.deepEqual(amounts(first.body), ["5.00", "3.00"]);
  const second = await list(app, customer, `q=odd&limit=2&cursor=${first.body.next_cursor}`);
  assert.deepEqual(amounts(second.body), ["1.00"]);
  assert.equal(second.body.next_cursor, null);
});

bankTest("GET /transactions search never shows another user's rows", async () => {
  const { app } = await testApp();
  const mine = await signUp(app);
  const theirs = await signUp(app, "Someone Else");
  await fundedAccount(app, mine, "12");
  const their = await fundedAccount(app, theirs, "12");
  await sendPayment(app, theirs, { from_account_id: their.id, amount: "12" });
  const found = await list(app, mine, "q=acme&amount_min=1&created_after=2000-01-01T00:00:00Z");
  assert.deepEqual(found.body.data, []);
  const everything = await list(app, mine, "amount_min=12&amount_max=12");
  assert.equal(everything.body.data.length, 1);
  assert.equal((await list(app, mine, `account_id=${their.id}&q=acme`)).status, 404);
});

bankTest("GET /transactions refuses bad search values with a 400", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  await fundedAccount(app, customer, "10");
  for (
    const query of [
      "q=",
      `q=${"x".repeat(101)}`,
      "amount_min=-1",
      "amount_min=1e3",
      "amount_min=1,000",
      "amount_max=1.005",
      "amount_min=0",
      "amount_min=10&amount_max=5",
      "created_after=yesterday",
      "created_after=2026-11-01T10:00:00",
      "created_after=2026-11-02T00:00:00Z&created_before=2026-11-01T00:00:00Z",
      "amount=5",
      "search=rent",
    ]
  ) {
    const reply = await list(app, customer, query);
    assert.equal(reply.status, 400, query);
  }
});

bankTest("GET /transactions amounts need account_id across currencies", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const zar = await fundedAccount(app, customer, "10");
  const jpy = await fundedAccount(app, customer, "1000", "JPY");
  assert.equal((await list(app, customer, "amount_min=5")).status, 400);
  assert.deepEqual(
    amounts((await list(app, customer, `account_id=${jpy.id}&amount_min=999`)).body),
    ["1000"],
  );
  assert.equal((await list(app, customer, `account_id=${jpy.id}&amount_min=1.5`)).status, 400);
  assert.deepEqual(
    amounts((await list(app, customer, `account_id=${zar.id}&amount_min=1.5`)).body),
    ["10.00"],
  );
});
