import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";
import { call, fundedAccount, openAccount, signUp, transfer } from "../support/client.ts";

type Page = {
  data: { id: string; type: string; status: string; amount: string }[];
  next_cursor: string | null;
};

bankTest("GET /transactions lists the ledger newest first with every field", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "5");
  await call(app, "POST", `/accounts/${account.id}/withdraw`, {
    token: customer.token,
    body: { amount: "2" },
  });
  const reply = await call<Page>(app, "GET", "/transactions", { token: customer.token });
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body.data.map((entry) => entry.type), ["withdraw", "deposit"]);
  assert.deepEqual(Object.keys(reply.body.data[0]).sort(), [
    "amount",
    "created_at",
    "currency",
    "description",
    "from_account_id",
    "id",
    "reason",
    "status",
    "to_account_id",
    "type",
  ]);
  assert.equal(reply.body.next_cursor, null);
});

bankTest("GET /transactions pages with an opaque cursor and never repeats an entry", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  for (let i = 1; i <= 7; i++) {
    await call(app, "POST", `/accounts/${account.id}/deposit`, {
      token: customer.token,
      body: { amount: String(i) },
    });
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: string = cursor ? `?limit=3&cursor=${cursor}` : "?limit=3";
    const reply: { body: Page } = await call<Page>(app, "GET", `/transactions${query}`, {
      token: customer.token,
    });
    seen.push(...reply.body.data.map((entry) => entry.amount));
    cursor = reply.body.next_cursor;
    pages++;
  } while (cursor && pages < 10);
  assert.equal(pages, 3);
  assert.deepEqual(seen, ["7.00", "6.00", "5.00", "4.00", "3.00", "2.00", "1.00"]);
});

bankTest("GET /transactions filters by account, type and status", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const a = await fundedAccount(app, customer, "100");
  const b = await fundedAccount(app, customer, "1");
  await transfer(app, customer, { from_account_id: a.id, to_account_id: b.id, amount: "10" });
  await transfer(app, customer, { from_account_id: b.id, to_account_id: a.id, amount: "1000" });
  const rejected = await call<Page>(app, "GET", "/transactions?status=rejected", {
    token: customer.token,
  });
  assert.deepEqual(rejected.body.data.map((entry) => entry.amount), ["1000.00"]);
  const transfers = await call<Page>(app, "GET", "/transactions?type=transfer&status=approved", {
    token: customer.token,
  });
  assert.deepEqual(transfers.body.data.map((entry) => entry.amount), ["10.00"]);
  const ofB = await call<Page>(app, "GET", `/transactions?account_id=${b.id}`, {
    token: customer.token,
  });
  assert.deepEqual(ofB.body.data.map((entry) => entry.amount), ["1000.00", "10.00", "1.00"]);
});

bankTest("a transfer between two of your own accounts is listed once", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const a = await fundedAccount(app, customer, "100");
  const b = await openAccount(app, customer);
  const moved = await transfer(app, customer, {
    from_account_id: a.id,
    to_account_id: b.id,
    amount: "10",
  });
  const reply = await call<Page>(app, "GET", "/transactions?type=transfer", {
    token: customer.token,
  });
  assert.deepEqual(reply.body.data.map((entry) => entry.id), [moved.body.id]);
});

bankTest(
  "GET /transactions refuses a forged cursor, a bad filter and an oversized limit with 400",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    for (
      const query of [
        "cursor=abc",
        "cursor=Zm9v",
        "type=refund",
        "status=pending",
        "limit=0",
        "limit=101",
        "limit=x",
      ]
    ) {
      assert.equal(
        (await call(app, "GET", `/transactions?${query}`, { token: customer.token })).status,
        400,
        query,
      );
    }
  },
);

bankTest("GET /transactions/{id} answers one entry; an unknown id is 404", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const made = await call(app, "POST", `/accounts/${account.id}/deposit`, {
    token: customer.token,
    body: { amount: "3" },
  });
  const found = await call(app, "GET", `/transactions/${made.body.id}`, { token: customer.token });
  assert.deepEqual(found.body, made.body);
  const missing = await call(app, "GET", `/transactions/${crypto.randomUUID()}`, {
    token: customer.token,
  });
  assert.equal(missing.status, 404);
});
