import assert from "node:assert/strict";
import {
  addEarlierOutflows,
  createFraudRules,
  factsNeeded,
  type FraudRule,
  OUTFLOW_KINDS,
  type OutflowKind,
  screenOutflow,
  screenTransfer,
} from "../../domain/fraud/mod.ts";
import { APPROVED, refuse, type Verdict } from "../../domain/ledger.ts";
import { currencyOf, parseAmount } from "../../domain/money.ts";

const ZAR = currencyOf("ZAR");
const defaults = { maxTransferAmount: "150000", maxTransfers: 5, windowSeconds: 60 };
const quiet = { recentOutflowCount: 0, outflowLast24hMinor: 0n };
const attempt = (amount: string) => ({
  amount: parseAmount(amount, ZAR),
  currency: ZAR,
  now: new Date(),
});
const outflow = (kind: OutflowKind, amount: string, code = "ZAR") => ({
  kind,
  amount: parseAmount(amount, currencyOf(code)),
  currency: currencyOf(code),
  now: new Date(),
});
function refusal(verdict: Verdict) {
  assert.equal(verdict.approved, false, "expected a refusal");
  if (verdict.approved) throw new Error("unreachable");
  return verdict;
}

Deno.test("amount_limit passes exactly the limit", () => {
  const verdict = screenTransfer(createFraudRules(defaults), attempt("150000.00"), quiet);
  assert.equal(verdict.approved, true);
});

Deno.test("amount_limit refuses one cent above the limit, naming the limit", () => {
  const verdict = refusal(
    screenTransfer(createFraudRules(defaults), attempt("150000.01"), quiet),
  );
  assert.equal(verdict.reason, "amount_limit");
  assert.equal(verdict.code, "fraud_rejected");
  assert.match(verdict.detail, /150000\.01 ZAR exceeds the limit of 150000\.00 ZAR per transfer/);
});

Deno.test("velocity_limit passes the 5th transfer and refuses the 6th", () => {
  const rules = createFraudRules(defaults);
  assert.equal(
    screenTransfer(rules, attempt("1"), { ...quiet, recentOutflowCount: 4 }).approved,
    true,
  );
  const sixth = refusal(screenTransfer(rules, attempt("1"), { ...quiet, recentOutflowCount: 5 }));
  assert.equal(sixth.reason, "velocity_limit");
  assert.equal(sixth.detail, "6th transfer within 60 s; limit 5");
});

Deno.test("daily_outflow_limit is off unless configured", () => {
  const rules = createFraudRules(defaults);
  assert.deepEqual(rules.map((rule) => rule.reason), ["amount_limit", "velocity_limit"]);
});

Deno.test("daily_outflow_limit refuses what would cross the 24-hour cap and passes what meets it", () => {
  const rules = createFraudRules({ ...defaults, dailyOutflowLimit: "1000" });
  const facts = { recentOutflowCount: 0, outflowLast24hMinor: parseAmount("900", ZAR) };
  assert.equal(screenTransfer(rules, attempt("100.00"), facts).approved, true);
  assert.equal(
    refusal(screenTransfer(rules, attempt("100.01"), facts)).reason,
    "daily_outflow_limit",
  );
});

// Every outflow kind, not only transfers and payments (issue 13, finding 4).

Deno.test("screenOutflow refuses a withdrawal, a hold and a payment above the limit alike", () => {
  const rules = createFraudRules(defaults);
  for (const kind of OUTFLOW_KINDS) {
    assert.equal(screenOutflow(rules, outflow(kind, "150000.00"), quiet).approved, true, kind);
    const verdict = refusal(screenOutflow(rules, outflow(kind, "150000.01"), quiet));
    assert.equal(verdict.reason, "amount_limit", kind);
  }
  const withdrawal = refusal(screenOutflow(rules, outflow("withdraw", "200000"), quiet));
  assert.equal(
    withdrawal.detail,
    "Withdrawal of 200000.00 ZAR exceeds the limit of 150000.00 ZAR per withdrawal",
  );
});

Deno.test("screenOutflow applies the velocity rule to every kind, naming the kind", () => {
  const rules = createFraudRules(defaults);
  const busy = { ...quiet, recentOutflowCount: 5 };
  const hold = refusal(screenOutflow(rules, outflow("hold", "1"), busy));
  assert.equal(hold.reason, "velocity_limit");
  assert.equal(hold.detail, "6th hold within 60 s; limit 5");
});

Deno.test("every default rule declares that it screens every outflow kind", () => {
  const rules = createFraudRules({ ...defaults, dailyOutflowLimit: "1000" });
  for (const rule of rules) assert.deepEqual([...rule.kinds], [...OUTFLOW_KINDS], rule.reason);
});

Deno.test("screenOutflow runs only the rules that screen the outflow's kind", () => {
  let calls = 0;
  const transfersOnly: FraudRule = {
    reason: "test_rule",
    description: "Refuses every transfer.",
    kinds: ["transfer"],
    thresholds: {},
    needs: {},
    check() {
      calls++;
      return refuse("test_rule", "no", "fraud_rejected");
    },
  };
  assert.deepEqual(screenOutflow([transfersOnly], outflow("withdraw", "1"), quiet), APPROVED);
  assert.equal(calls, 0, "not asked about a withdrawal");
  assert.equal(
    refusal(screenOutflow([transfersOnly], outflow("transfer", "1"), quiet)).reason,
    "test_rule",
  );
});

// The amount limit is ZAR and its equivalent, not the same figure in every currency.

Deno.test("amount_limit in JPY (no minor unit) is 150000 ZAR at the mid rate: 1270500 yen", () => {
  const rules = createFraudRules(defaults);
  assert.equal(screenOutflow(rules, outflow("transfer", "1270500", "JPY"), quiet).approved, true);
  const over = refusal(screenOutflow(rules, outflow("transfer", "1270501", "JPY"), quiet));
  assert.equal(
    over.detail,
    "Transfer of 1270501 JPY exceeds the limit of 1270500 JPY per transfer",
  );
});

Deno.test("amount_limit in KWD (three decimals) is 2628.000 dinars, to the fils", () => {
  const rules = createFraudRules(defaults);
  assert.equal(
    screenOutflow(rules, outflow("payment_out", "2628.000", "KWD"), quiet).approved,
    true,
  );
  const over = refusal(screenOutflow(rules, outflow("payment_out", "2628.001", "KWD"), quiet));
  assert.match(over.detail, /limit of 2628\.000 KWD per payment$/);
});

Deno.test("amount_limit thresholds round down to the currency's minor unit", () => {
  const [amount] = createFraudRules({ ...defaults, maxTransferAmount: "1000.99" });
  // 1000.99 ZAR × 0.0571 = 57.156529 USD; × 8.47 = 8478.3853 JPY; × 0.01752 = 17.5373448 KWD.
  assert.equal(amount.amountLimits?.get("USD"), 57_15n);
  assert.equal(amount.amountLimits?.get("JPY"), 8478n);
  assert.equal(amount.amountLimits?.get("KWD"), 17_537n);
  assert.equal(amount.amountLimits?.get("ZAR"), 1000_99n);
});

Deno.test("a configured per-currency amount replaces that currency's equivalent only", () => {
  const rules = createFraudRules({
    ...defaults,
    maxTransferAmountByCurrency: { USD: "10000", JPY: "2000000" },
  });
  assert.equal(screenOutflow(rules, outflow("withdraw", "10000.00", "USD"), quiet).approved, true);
  assert.equal(
    refusal(screenOutflow(rules, outflow("withdraw", "10000.01", "USD"), quiet)).reason,
    "amount_limit",
  );
  assert.equal(screenOutflow(rules, outflow("withdraw", "2000000", "JPY"), quiet).approved, true);
  assert.equal(rules[0].amountLimits?.get("EUR"), 7395_00n, "EUR keeps the FX equivalent");
  assert.equal(rules[0].amountLimits?.get("ZAR"), 150000_00n);
});

Deno.test("the daily cap is per currency too", () => {
  const rules = createFraudRules({
    ...defaults,
    dailyOutflowLimit: "1000",
    dailyOutflowLimitByCurrency: { GBP: "50" },
  });
  const daily = rules.find((rule) => rule.reason === "daily_outflow_limit")!;
  assert.equal(daily.amountLimits?.get("USD"), 57_10n);
  assert.equal(daily.amountLimits?.get("GBP"), 50_00n);
  const facts = { ...quiet, outflowLast24hMinor: 57_00n };
  assert.equal(screenOutflow(rules, outflow("transfer", "0.10", "USD"), facts).approved, true);
  assert.equal(
    refusal(screenOutflow(rules, outflow("transfer", "0.11", "USD"), facts)).reason,
    "daily_outflow_limit",
  );
});

Deno.test("a tiny ZAR limit still allows one minor unit in a currency it rounds to nothing in", () => {
  const [amount] = createFraudRules({ ...defaults, maxTransferAmount: "0.01" });
  assert.equal(amount.amountLimits?.get("JPY"), 1n);
});

// The velocity window lives only in the rule (issue 13, finding 9).

Deno.test("factsNeeded asks only for what the active rules read, windows included", () => {
  assert.deepEqual(factsNeeded(createFraudRules(defaults)), {
    recentOutflowCount: { atLeast: 5, windowSeconds: 60 },
  });
  assert.deepEqual(
    factsNeeded(createFraudRules({ ...defaults, windowSeconds: 3600, dailyOutflowLimit: "1000" })),
    { recentOutflowCount: { atLeast: 5, windowSeconds: 3600 }, outflowLast24hMinor: true },
  );
  assert.deepEqual(factsNeeded([]), {});
});

Deno.test("factsNeeded refuses two velocity windows rather than letting one win", () => {
  const [, oneMinute] = createFraudRules(defaults);
  const [, oneHour] = createFraudRules({ ...defaults, windowSeconds: 3600 });
  assert.throws(() => factsNeeded([oneMinute, oneHour]), /two windows/);
});

Deno.test("earlier outflows in the same group count inside the window only", () => {
  const now = new Date("2026-01-01T12:00:00Z");
  const earlier = [
    { at: new Date("2026-01-01T11:59:30Z"), amount: 5_00n },
    { at: new Date("2026-01-01T11:58:00Z"), amount: 7_00n },
  ];
  const facts = addEarlierOutflows(
    { recentOutflowCount: 1, outflowLast24hMinor: 10_00n },
    earlier,
    {
      now,
      needs: { recentOutflowCount: { atLeast: 5, windowSeconds: 60 }, outflowLast24hMinor: true },
    },
  );
  assert.deepEqual(facts, { recentOutflowCount: 2, outflowLast24hMinor: 22_00n });
});

Deno.test("addEarlierOutflows counts over the rules' window, from the needs alone", () => {
  const now = new Date("2026-01-01T12:00:00Z");
  const earlier = [{ at: new Date("2026-01-01T11:58:30Z"), amount: 1n }]; // 90 s before
  const base = { recentOutflowCount: 0, outflowLast24hMinor: 0n };
  const needs = (windowSeconds: number) =>
    factsNeeded(createFraudRules({ ...defaults, windowSeconds }));
  assert.equal(addEarlierOutflows(base, earlier, { now, needs: needs(120) }).recentOutflowCount, 1);
  assert.equal(addEarlierOutflows(base, earlier, { now, needs: needs(60) }).recentOutflowCount, 0);
});

Deno.test("earlier outflows keep the velocity count capped where the rules stop reading", () => {
  const now = new Date();
  const earlier = Array.from({ length: 4 }, () => ({ at: now, amount: 1n }));
  const facts = addEarlierOutflows(
    { recentOutflowCount: 4, outflowLast24hMinor: 0n },
    earlier,
    { now, needs: { recentOutflowCount: { atLeast: 5, windowSeconds: 60 } } },
  );
  assert.deepEqual(facts, { recentOutflowCount: 5, outflowLast24hMinor: 0n });
});
