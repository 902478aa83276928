/** GET /fraud/rules: each rule's kinds, window and amount in every currency, as the app applies them. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";
import { call, signUp } from "../support/client.ts";

interface RuleJson {
  reason: string;
  kinds: string[];
  thresholds: Record<string, unknown>;
  window_seconds?: number;
  max_count?: number;
  amount_limits?: Record<string, string>;
}

const ALL_KINDS = [
  "withdraw",
  "transfer",
  "payment_out",
  "hold",
  "card_authorization",
  "batch_item",
];

async function rules(env: Record<string, string> = {}) {
  const { app } = await testApp({ env });
  const customer = await signUp(app);
  const reply = await call<{ data: RuleJson[] }>(app, "GET", "/fraud/rules", {
    token: customer.token,
  });
  assert.equal(reply.status, 200);
  return reply.body.data;
}

bankTest(
  "GET /fraud/rules lists the default rules, each screening every outflow kind",
  async () => {
    const data = await rules();
    assert.deepEqual(data.map((rule) => [rule.reason, rule.kinds]), [
      ["amount_limit", ALL_KINDS],
      ["velocity_limit", ALL_KINDS],
    ]);
    // The configured figures, as they have always been shown.
    assert.deepEqual(data.map((rule) => rule.thresholds), [
      { max_amount: "150000" },
      { max_transfers: 5, window_seconds: 60 },
    ]);
  },
);

bankTest("GET /fraud/rules shows the amount limit in every currency at the FX table", async () => {
  const [amount] = await rules();
  assert.deepEqual(amount.amount_limits, {
    ZAR: "150000.00",
    USD: "8565.00",
    EUR: "7395.00",
    GBP: "6390.00",
    CHF: "6915.00",
    JPY: "1270500",
    KWD: "2628.000",
  });
  assert.equal(amount.window_seconds, undefined);
});

bankTest(
  "GET /fraud/rules shows the velocity rule's window and count, and no amounts",
  async () => {
    const [, velocity] = await rules({ FRAUD_WINDOW_SECONDS: "300", FRAUD_MAX_TRANSFERS: "3" });
    assert.equal(velocity.window_seconds, 300);
    assert.equal(velocity.max_count, 3);
    assert.equal(velocity.amount_limits, undefined);
  },
);

bankTest("GET /fraud/rules leaves the velocity rule out when FRAUD_VELOCITY_RULE=off", async () => {
  const data = await rules({ FRAUD_VELOCITY_RULE: "off" });
  assert.deepEqual(data.map((rule) => rule.reason), ["amount_limit"]);
});

bankTest(
  "GET /fraud/rules shows per-currency configuration and the daily rule when on",
  async () => {
    const data = await rules({
      FRAUD_MAX_TRANSFER_AMOUNT: "100000",
      FRAUD_MAX_TRANSFER_AMOUNT_USD: "5000",
      FRAUD_DAILY_OUTFLOW_LIMIT: "20000",
      FRAUD_DAILY_OUTFLOW_LIMIT_JPY: "150000",
    });
    const [amount, , daily] = data;
    assert.equal(amount.amount_limits?.ZAR, "100000.00");
    assert.equal(amount.amount_limits?.USD, "5000.00", "configured for USD");
    assert.equal(amount.amount_limits?.EUR, "4930.00", "the ZAR figure's equivalent");
    assert.equal(daily.reason, "daily_outflow_limit");
    assert.deepEqual(daily.kinds, ALL_KINDS);
    assert.equal(daily.window_seconds, 86_400);
    assert.equal(daily.amount_limits?.JPY, "150000");
    assert.equal(daily.amount_limits?.KWD, "350.400");
  },
);

bankTest("GET /fraud/rules needs a bearer token", async () => {
  const { app } = await testApp();
  const reply = await call(app, "GET", "/fraud/rules");
  assert.equal(reply.status, 401);
});
