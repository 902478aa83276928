/** The fraud rules through the API: each at its boundary, refusals recorded and explained. */
import assert from "node:assert/strict";
import { bankTest, manualClock, testApp } from "../support/app.ts";
import {
  balanceOf,
  call,
  fundedAccount,
  openAccount,
  signUp,
  transfer,
} from "../support/client.ts";

bankTest("a transfer of exactly 150000.00 passes the amount limit", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "200000");
  const to = await openAccount(app, customer);
  const reply = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "150000.00",
  });
  assert.equal(reply.status, 201);
});

bankTest(
  "a transfer of 150000.01 answers 422 fraud_rejected amount_limit, recorded, nothing moved",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const from = await fundedAccount(app, customer, "200000");
    const to = await openAccount(app, customer);
    const reply = await transfer(app, customer, {
      from_account_id: from.id,
      to_account_id: to.id,
      amount: "150000.01",
    });
    assert.equal(reply.status, 422);
    assert.equal(reply.body.code, "fraud_rejected");
    assert.equal(reply.body.reason, "amount_limit");
    assert.match(String(reply.body.detail), /150000\.01 ZAR exceeds the limit of 150000\.00 ZAR/);
    const entry = await call(app, "GET", `/transactions/${reply.body.transaction_id}`, {
      token: customer.token,
    });
    assert.equal(entry.body.status, "rejected");
    assert.equal(entry.body.reason, "amount_limit");
    assert.equal(await balanceOf(app, customer, from.id), "200000.00");
  },
);

bankTest(
  "an unfunded account's oversize transfer is named a fraud refusal, not a funds one",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const from = await openAccount(app, customer);
    const to = await openAccount(app, customer);
    const reply = await transfer(app, customer, {
      from_account_id: from.id,
      to_account_id: to.id,
      amount: "150000.01",
    });
    assert.equal(reply.body.code, "fraud_rejected");
  },
);

bankTest("the 5th transfer in 60 s passes and the 6th answers 422 velocity_limit", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "100");
  const to = await openAccount(app, customer);
  for (let i = 1; i <= 5; i++) {
    const reply = await transfer(app, customer, {
      from_account_id: from.id,
      to_account_id: to.id,
      amount: "1",
    });
    assert.equal(reply.status, 201, `transfer ${i}`);
  }
  const sixth = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "1",
  });
  assert.equal(sixth.status, 422);
  assert.equal(sixth.body.code, "fraud_rejected");
  assert.equal(sixth.body.reason, "velocity_limit");
  assert.equal(sixth.body.detail, "6th transfer within 60 s; limit 5");
  assert.equal(typeof sixth.body.transaction_id, "string");
  assert.equal(await balanceOf(app, customer, from.id), "95.00");
});

bankTest("refused transfers do not count towards the velocity window", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "100");
  const to = await openAccount(app, customer);
  for (let i = 0; i < 3; i++) {
    const refused = await transfer(app, customer, {
      from_account_id: from.id,
      to_account_id: to.id,
      amount: "500",
    });
    assert.equal(refused.body.code, "insufficient_funds");
  }
  for (let i = 1; i <= 5; i++) {
    const reply = await transfer(app, customer, {
      from_account_id: from.id,
      to_account_id: to.id,
      amount: "1",
    });
    assert.equal(reply.status, 201, `transfer ${i}`);
  }
});

bankTest("after the window has passed, transfers pass again", async () => {
  const clock = manualClock();
  const { app } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "100");
  const to = await openAccount(app, customer);
  const send = () =>
    transfer(app, customer, { from_account_id: from.id, to_account_id: to.id, amount: "1" });
  for (let i = 0; i < 5; i++) assert.equal((await send()).status, 201);
  clock.advanceSeconds(59);
  assert.equal((await send()).status, 422, "still inside the window at 59 s");
  clock.advanceSeconds(2);
  assert.equal((await send()).status, 201, "the first five left the window at 61 s");
});

bankTest("the velocity window slides: it counts only the last 60 s", async () => {
  const clock = manualClock();
  const { app } = await testApp({ clock: clock.now });
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "100");
  const to = await openAccount(app, customer);
  const send = () =>
    transfer(app, customer, { from_account_id: from.id, to_account_id: to.id, amount: "1" });
  for (let i = 0; i < 3; i++) assert.equal((await send()).status, 201);
  clock.advanceSeconds(40);
  for (let i = 0; i < 2; i++) assert.equal((await send()).status, 201);
  assert.equal((await send()).status, 422, "five within 40 s");
  clock.advanceSeconds(21);
  // The first three are now 61 s old; two remain in the window.
  for (let i = 0; i < 3; i++) assert.equal((await send()).status, 201);
  assert.equal((await send()).status, 422);
});

bankTest("fraud thresholds come from configuration", async () => {
  const { app } = await testApp({
    env: {
      FRAUD_MAX_TRANSFER_AMOUNT: "100",
      FRAUD_MAX_TRANSFERS: "2",
      FRAUD_WINDOW_SECONDS: "3600",
    },
  });
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "1000");
  const to = await openAccount(app, customer);
  const big = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "100.01",
  });
  assert.equal(big.body.reason, "amount_limit");
  for (let i = 0; i < 2; i++) {
    assert.equal(
      (await transfer(app, customer, {
        from_account_id: from.id,
        to_account_id: to.id,
        amount: "1",
      })).status,
      201,
    );
  }
  const third = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "1",
  });
  assert.equal(third.body.detail, "3rd transfer within 3600 s; limit 2");
});

bankTest("FRAUD_VELOCITY_RULE=off approves a sixth transfer within the window", async () => {
  const { app } = await testApp({ env: { FRAUD_VELOCITY_RULE: "off", FRAUD_MAX_TRANSFERS: "5" } });
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "1000");
  const to = await openAccount(app, customer);
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const reply = await transfer(app, customer, {
      from_account_id: from.id,
      to_account_id: to.id,
      amount: "1",
    });
    statuses.push(reply.status);
  }
  assert.deepEqual(statuses, [201, 201, 201, 201, 201, 201]);
});

bankTest("the daily outflow rule, when configured, caps 24 hours of transfers", async () => {
  const { app } = await testApp({ env: { FRAUD_DAILY_OUTFLOW_LIMIT: "1000" } });
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "5000");
  const to = await openAccount(app, customer);
  assert.equal(
    (await transfer(app, customer, {
      from_account_id: from.id,
      to_account_id: to.id,
      amount: "900",
    })).status,
    201,
  );
  const over = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "100.01",
  });
  assert.equal(over.status, 422);
  assert.equal(over.body.reason, "daily_outflow_limit");
  assert.equal(
    (await transfer(app, customer, {
      from_account_id: from.id,
      to_account_id: to.id,
      amount: "100",
    })).status,
    201,
  );
});

bankTest(
  "a USD transfer above 150000 ZAR's equivalent (8565.00 USD) answers 422 amount_limit",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const from = await fundedAccount(app, customer, "20000", "USD");
    const to = await openAccount(app, customer, "USD");
    const send = (amount: string) =>
      transfer(app, customer, { from_account_id: from.id, to_account_id: to.id, amount });
    const over = await send("8565.01");
    assert.equal(over.status, 422);
    assert.equal(over.body.reason, "amount_limit");
    assert.match(String(over.body.detail), /exceeds the limit of 8565\.00 USD per transfer/);
    assert.equal((await send("8565.00")).status, 201);
  },
);

bankTest("a JPY transfer is limited at 1270500 yen, not at 150000", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "2000000", "JPY");
  const to = await openAccount(app, customer, "JPY");
  const send = (amount: string) =>
    transfer(app, customer, { from_account_id: from.id, to_account_id: to.id, amount });
  assert.equal((await send("150001")).status, 201);
  const over = await send("1270501");
  assert.equal(over.body.reason, "amount_limit");
  assert.equal(await balanceOf(app, customer, from.id), "1849999");
});

bankTest("FRAUD_MAX_TRANSFER_AMOUNT_KWD sets the KWD limit to the fils", async () => {
  const { app } = await testApp({ env: { FRAUD_MAX_TRANSFER_AMOUNT_KWD: "100.5" } });
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "1000", "KWD");
  const to = await openAccount(app, customer, "KWD");
  const send = (amount: string) =>
    transfer(app, customer, { from_account_id: from.id, to_account_id: to.id, amount });
  assert.equal((await send("100.501")).body.reason, "amount_limit");
  assert.equal((await send("100.500")).status, 201);
});

bankTest(
  "withdrawals and hold captures count towards the velocity window of a later transfer",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const from = await fundedAccount(app, customer, "100");
    const to = await openAccount(app, customer);
    const token = customer.token;
    for (let i = 0; i < 3; i++) {
      const reply = await call(app, "POST", `/accounts/${from.id}/withdraw`, {
        token,
        body: { amount: "1" },
      });
      assert.equal(reply.status, 201);
    }
    for (let i = 0; i < 2; i++) {
      const hold = await call(app, "POST", `/accounts/${from.id}/holds`, {
        token,
        body: { amount: "1" },
      });
      const captured = await call(app, "POST", `/holds/${hold.body.id}/capture`, { token });
      assert.equal(captured.status, 200);
    }
    const sixth = await transfer(app, customer, {
      from_account_id: from.id,
      to_account_id: to.id,
      amount: "1",
    });
    assert.equal(sixth.status, 422);
    assert.equal(sixth.body.reason, "velocity_limit");
  },
);

bankTest("the daily outflow cap counts what was withdrawn", async () => {
  const { app } = await testApp({ env: { FRAUD_DAILY_OUTFLOW_LIMIT: "1000" } });
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "5000");
  const to = await openAccount(app, customer);
  const withdrawn = await call(app, "POST", `/accounts/${from.id}/withdraw`, {
    token: customer.token,
    body: { amount: "950" },
  });
  assert.equal(withdrawn.status, 201);
  const over = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "50.01",
  });
  assert.equal(over.body.reason, "daily_outflow_limit");
});
