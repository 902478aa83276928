/** Foreign exchange end to end: rates, overrides, quotes, and cross-currency transfers. */
import assert from "node:assert/strict";
import { auditDatabase, formatAuditReport } from "../../db/audit.ts";
import { fxPositionAccountId } from "../../domain/fx_positions.ts";
import { bankTest, manualClock, testApp } from "../support/app.ts";
import {
  balanceOf,
  call,
  type Customer,
  fundedAccount,
  openAccount,
  type Requestable,
  signUp,
  transfer,
} from "../support/client.ts";

type Quote = {
  id: string;
  rate: string;
  sell_amount: string;
  buy_amount: string;
  expires_at: string;
};

async function quote(app: Requestable, customer: Customer, body: Record<string, unknown>) {
  return await call<Quote & Record<string, unknown>>(app, "POST", "/fx/quotes", {
    token: customer.token,
    body,
  });
}

async function zarToUsd(app: Requestable, zar = "1000.00") {
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, zar);
  const to = await openAccount(app, customer, "USD");
  return { customer, from, to };
}

async function ledgerCount(app: Requestable, customer: Customer): Promise<number> {
  const reply = await call<{ data: unknown[] }>(app, "GET", "/transactions?limit=100", {
    token: customer.token,
  });
  return reply.body.data.length;
}

bankTest("GET /fx/rates answers the shipped mid-rate table, base ZAR", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const reply = await call<{ base: string; rates: Record<string, string>; as_of: string }>(
    app,
    "GET",
    "/fx/rates",
    { token: customer.token },
  );
  assert.equal(reply.status, 200);
  assert.equal(reply.body.base, "ZAR");
  assert.equal(reply.body.rates.ZAR, "1");
  assert.equal(reply.body.rates.USD, "0.0571");
  assert.equal(reply.body.rates.JPY, "8.47");
  assert.ok(!Number.isNaN(Date.parse(reply.body.as_of)));
});

bankTest("POST /simulations/fx_rates sets your own mid rates, not anyone else's", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const other = await signUp(app);
  const set = await call<{ rates: Record<string, string> }>(app, "POST", "/simulations/fx_rates", {
    token: customer.token,
    body: { rates: { USD: "0.06" } },
  });
  assert.equal(set.status, 200);
  assert.equal(set.body.rates.USD, "0.06");
  assert.equal(set.body.rates.EUR, "0.0493", "the rest keep the shipped rate");
  const mine = await call<{ rates: Record<string, string> }>(app, "GET", "/fx/rates", {
    token: customer.token,
  });
  assert.equal(mine.body.rates.USD, "0.06");
  const theirs = await call<{ rates: Record<string, string> }>(app, "GET", "/fx/rates", {
    token: other.token,
  });
  assert.equal(theirs.body.rates.USD, "0.0571");
  // 1000 ZAR at 0.06 less 50 bps: 59.70 USD.
  const priced = await quote(app, customer, {
    from_currency: "ZAR",
    to_currency: "USD",
    sell_amount: "1000.00",
  });
  assert.equal(priced.body.rate, "0.0597");
  assert.equal(priced.body.buy_amount, "59.70");
  const reset = await call<{ rates: Record<string, string> }>(
    app,
    "POST",
    "/simulations/fx_rates",
    {
      token: customer.token,
      body: { rates: {} },
    },
  );
  assert.equal(reset.body.rates.USD, "0.0571");
});

bankTest(
  "POST /simulations/fx_rates refuses an unknown currency, a bad rate, ZAR not 1",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    for (
      const rates of [
        { XYZ: "1.5" },
        { USD: "0" },
        { USD: "-0.05" },
        { USD: "1e-3" },
        { USD: 0.06 },
        { ZAR: "2" },
      ]
    ) {
      const reply = await call(app, "POST", "/simulations/fx_rates", {
        token: customer.token,
        body: { rates },
      });
      assert.equal(reply.status, 400, JSON.stringify(rates));
    }
    const extra = await call(app, "POST", "/simulations/fx_rates", {
      token: customer.token,
      body: { rates: { USD: "0.06" }, base: "USD" },
    });
    assert.equal(extra.status, 400);
    const after = await call<{ rates: Record<string, string> }>(app, "GET", "/fx/rates", {
      token: customer.token,
    });
    assert.equal(after.body.rates.USD, "0.0571", "nothing was saved");
  },
);

bankTest("POST /fx/quotes prices a sale at the mid rate less 50 bps, valid 60 s", async () => {
  const start = new Date(Math.floor(Date.now() / 1000) * 1000);
  const { app } = await testApp({ clock: manualClock(start).now });
  const customer = await signUp(app);
  const reply = await quote(app, customer, {
    from_currency: "ZAR",
    to_currency: "USD",
    sell_amount: "1000.00",
  });
  assert.equal(reply.status, 201);
  assert.equal(reply.body.from_currency, "ZAR");
  assert.equal(reply.body.to_currency, "USD");
  // 0.0571 * 0.995 = 0.0568145; 1000 ZAR buys 56.8145 USD, half-to-even 56.81.
  assert.equal(reply.body.rate, "0.0568145");
  assert.equal(reply.body.sell_amount, "1000.00");
  assert.equal(reply.body.buy_amount, "56.81");
  assert.equal(reply.body.expires_at, new Date(start.getTime() + 60_000).toISOString());
});

bankTest(
  "POST /fx/quotes prices a purchase: the sell amount rounds to the source's exponent",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const reply = await quote(app, customer, {
      from_currency: "USD",
      to_currency: "JPY",
      buy_amount: 10000,
    });
    assert.equal(reply.status, 201);
    assert.equal(reply.body.buy_amount, "10000");
    assert.equal(reply.body.sell_amount, "67.75");
  },
);

bankTest("POST /fx/quotes: unknown currency 400, the same currency twice 422", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const unknown = await quote(app, customer, {
    from_currency: "ZAR",
    to_currency: "XYZ",
    sell_amount: "10",
  });
  assert.equal(unknown.status, 400);
  const same = await quote(app, customer, {
    from_currency: "USD",
    to_currency: "USD",
    sell_amount: "10",
  });
  assert.equal(same.status, 422);
  assert.equal(same.body.code, "unsupported_currency_pair");
});

bankTest("POST /fx/quotes: both or neither amount, or too many decimals, is a 400", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const pair = { from_currency: "ZAR", to_currency: "JPY" };
  for (
    const body of [
      pair,
      { ...pair, sell_amount: "10", buy_amount: "100" },
      { ...pair, sell_amount: "10.001" },
      { ...pair, buy_amount: "100.5" },
      { from_currency: "KWD", to_currency: "ZAR", sell_amount: "1.0001" },
      { ...pair, sell_amount: "0" },
      { ...pair, sell_amount: "10", rate: "1" },
    ]
  ) {
    const reply = await quote(app, customer, body);
    assert.equal(reply.status, 400, JSON.stringify(body));
  }
});

bankTest(
  "POST /fx/quotes refuses an amount so small rounding would pay above the mid rate",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    // 0.06 ZAR is 0.5082 JPY at the mid rate; half-to-even at the quoted rate would pay 1 JPY.
    const reply = await quote(app, customer, {
      from_currency: "ZAR",
      to_currency: "JPY",
      sell_amount: "0.06",
    });
    assert.equal(reply.status, 422);
    assert.equal(reply.body.code, "amount_too_small");
  },
);

bankTest(
  "a transfer with a quote converts: source into the bank's position, USD out of it",
  async () => {
    const { app, sql } = await testApp();
    const { customer, from, to } = await zarToUsd(app);
    const priced = await quote(app, customer, {
      from_currency: "ZAR",
      to_currency: "USD",
      sell_amount: "400.00",
    });
    const reply = await transfer(app, customer, {
      from_account_id: from.id,
      to_account_id: to.id,
      amount: "400.00",
      fx_quote_id: priced.body.id,
    });
    assert.equal(reply.status, 201);
    assert.equal(reply.body.type, "transfer");
    assert.equal(reply.body.from_account_id, from.id);
    assert.equal(reply.body.to_account_id, to.id);
    assert.equal(reply.body.amount, "400.00");
    assert.equal(reply.body.currency, "ZAR");
    assert.deepEqual(reply.body.fx, {
      quote_id: priced.body.id,
      rate: "0.0568145",
      source_amount: "400.00",
      source_currency: "ZAR",
      destination_amount: priced.body.buy_amount,
      destination_currency: "USD",
    });
    assert.equal(await balanceOf(app, customer, from.id), "600.00");
    assert.equal(await balanceOf(app, customer, to.id), priced.body.buy_amount);
    const read = await call(app, "GET", `/transactions/${reply.body.id}`, {
      token: customer.token,
    });
    assert.deepEqual(read.body, reply.body);
    const [legs] = await sql<{ count: bigint }[]>`
    SELECT count(*) FROM transactions
    WHERE fx_quote_id = ${priced.body.id}
      AND (to_account_id = ${fxPositionAccountId("ZAR")}
        OR from_account_id = ${fxPositionAccountId("USD")})`;
    assert.equal(legs.count, 2n);
    const audit = await auditDatabase(sql, { realNow: new Date() });
    assert.deepEqual(audit.findings, [], formatAuditReport(audit));
  },
);

bankTest("a cross-currency transfer without a quote stays 422 currency_mismatch", async () => {
  const { app } = await testApp();
  const { customer, from, to } = await zarToUsd(app);
  const reply = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "10.00",
  });
  assert.equal(reply.status, 422);
  assert.equal(reply.body.code, "currency_mismatch");
  assert.equal(await balanceOf(app, customer, from.id), "1000.00");
});

bankTest("a quote used twice answers 409 and moves nothing more", async () => {
  const { app } = await testApp();
  const { customer, from, to } = await zarToUsd(app);
  const priced = await quote(app, customer, {
    from_currency: "ZAR",
    to_currency: "USD",
    sell_amount: "100.00",
  });
  const body = {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "100.00",
    fx_quote_id: priced.body.id,
  };
  assert.equal((await transfer(app, customer, body)).status, 201);
  const entries = await ledgerCount(app, customer);
  const again = await transfer(app, customer, body);
  assert.equal(again.status, 409);
  assert.equal(again.body.code, "fx_quote_used");
  assert.equal(await balanceOf(app, customer, from.id), "900.00");
  assert.equal(await balanceOf(app, customer, to.id), priced.body.buy_amount);
  assert.equal(await ledgerCount(app, customer), entries, "nothing recorded");
});

bankTest("a quote used after it expired is refused 422 fx_quote_expired, recorded", async () => {
  const clock = manualClock();
  const { app } = await testApp({ clock: clock.now });
  const { customer, from, to } = await zarToUsd(app);
  const priced = await quote(app, customer, {
    from_currency: "ZAR",
    to_currency: "USD",
    sell_amount: "100.00",
  });
  clock.advanceSeconds(60);
  const reply = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "100.00",
    fx_quote_id: priced.body.id,
  });
  assert.equal(reply.status, 422);
  assert.equal(reply.body.code, "fx_quote_expired");
  const recorded = await call(app, "GET", `/transactions/${reply.body.transaction_id}`, {
    token: customer.token,
  });
  assert.equal(recorded.body.status, "rejected");
  assert.equal(recorded.body.reason, "fx_quote_expired");
  assert.equal(await balanceOf(app, customer, from.id), "1000.00");
  assert.equal(await balanceOf(app, customer, to.id), "0.00");
});

bankTest("a quote expires on the owner's sandbox clock, not real time", async () => {
  const { app } = await testApp();
  const { customer, from, to } = await zarToUsd(app);
  const priced = await quote(app, customer, {
    from_currency: "ZAR",
    to_currency: "USD",
    sell_amount: "100.00",
  });
  await call(app, "POST", "/simulations/clock/advance", {
    token: customer.token,
    body: { seconds: 61 },
  });
  const reply = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "100.00",
    fx_quote_id: priced.body.id,
  });
  assert.equal(reply.status, 422);
  assert.equal(reply.body.code, "fx_quote_expired");
});

bankTest("a quote whose currencies are not the accounts' is refused 422, recorded", async () => {
  const { app } = await testApp();
  const { customer, from } = await zarToUsd(app);
  const eur = await openAccount(app, customer, "EUR");
  const priced = await quote(app, customer, {
    from_currency: "ZAR",
    to_currency: "USD",
    sell_amount: "100.00",
  });
  const reply = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: eur.id,
    amount: "100.00",
    fx_quote_id: priced.body.id,
  });
  assert.equal(reply.status, 422);
  assert.equal(reply.body.code, "fx_quote_mismatch");
  assert.ok(reply.body.transaction_id);
  assert.equal(await balanceOf(app, customer, from.id), "1000.00");
});

bankTest(
  "an amount other than the quote's sell amount is refused 422, the quote stays usable",
  async () => {
    const { app } = await testApp();
    const { customer, from, to } = await zarToUsd(app);
    const priced = await quote(app, customer, {
      from_currency: "ZAR",
      to_currency: "USD",
      sell_amount: "100.00",
    });
    const body = { from_account_id: from.id, to_account_id: to.id, fx_quote_id: priced.body.id };
    const wrong = await transfer(app, customer, { ...body, amount: "99.99" });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.code, "fx_amount_mismatch");
    assert.equal(await balanceOf(app, customer, from.id), "1000.00");
    const right = await transfer(app, customer, { ...body, amount: "100" });
    assert.equal(right.status, 201);
  },
);

bankTest("an FX transfer short of funds is 422 insufficient_funds and moves nothing", async () => {
  const { app } = await testApp();
  const { customer, from, to } = await zarToUsd(app, "50");
  const priced = await quote(app, customer, {
    from_currency: "ZAR",
    to_currency: "USD",
    sell_amount: "100.00",
  });
  const reply = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "100.00",
    fx_quote_id: priced.body.id,
  });
  assert.equal(reply.status, 422);
  assert.equal(reply.body.code, "insufficient_funds");
  assert.equal(await balanceOf(app, customer, from.id), "50.00");
  assert.equal(await balanceOf(app, customer, to.id), "0.00");
});

bankTest("another user's quote is a 404, and nothing moves", async () => {
  const { app } = await testApp();
  const { customer, from, to } = await zarToUsd(app);
  const stranger = await signUp(app);
  const theirs = await quote(app, stranger, {
    from_currency: "ZAR",
    to_currency: "USD",
    sell_amount: "100.00",
  });
  const reply = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "100.00",
    fx_quote_id: theirs.body.id,
  });
  assert.equal(reply.status, 404);
  assert.equal(await balanceOf(app, customer, from.id), "1000.00");
});

bankTest("an FX transfer to another customer credits them in their currency", async () => {
  const { app } = await testApp();
  const sender = await signUp(app);
  const receiver = await signUp(app);
  const from = await fundedAccount(app, sender, "20000", "JPY");
  const to = await openAccount(app, receiver, "KWD");
  const priced = await quote(app, sender, {
    from_currency: "JPY",
    to_currency: "KWD",
    sell_amount: "20000",
  });
  assert.equal(priced.status, 201);
  const reply = await transfer(app, sender, {
    from_account_id: from.id,
    to_account_number: to.account_number,
    amount: 20000,
    fx_quote_id: priced.body.id,
  });
  assert.equal(reply.status, 201);
  assert.equal(await balanceOf(app, receiver, to.id), priced.body.buy_amount);
  assert.match(priced.body.buy_amount, /^\d+\.\d{3}$/);
});

bankTest("the bank's FX position accounts cannot be named as a destination (404)", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "10");
  const byId = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_id: fxPositionAccountId("ZAR"),
    amount: "1",
  });
  assert.equal(byId.status, 404);
  const byNumber = await transfer(app, customer, {
    from_account_id: from.id,
    to_account_number: "0000000018",
    amount: "1",
  });
  assert.equal(byNumber.status, 404);
  assert.equal(await balanceOf(app, customer, from.id), "10.00");
});
