import assert from "node:assert/strict";
import { createFraudRules, screenTransfer, withEarlierOutflows } from "../../domain/fraud/mod.ts";
import { currencyOf, parseAmount } from "../../domain/money.ts";

const ZAR = currencyOf("ZAR");
const defaults = { maxTransferAmount: "150000", maxTransfers: 5, windowSeconds: 60 };
const quiet = { recentOutflowCount: 0, outflowLast24hMinor: 0n };
const attempt = (amount: string) => ({
  amount: parseAmount(amount, ZAR),
  currency: ZAR,
  now: new Date(),
});

Deno.test("amount_limit passes exactly the limit", () => {
  const verdict = screenTransfer(createFraudRules(defaults), attempt("150000.00"), quiet);
  assert.equal(verdict.approved, true);
});

Deno.test("amount_limit refuses one cent above the limit, naming the limit", () => {
  const verdict = screenTransfer(createFraudRules(defaults), attempt("150000.01"), quiet);
  assert.equal(verdict.approved, false);
  if (verdict.approved) return;
  assert.equal(verdict.reason, "amount_limit");
  assert.equal(verdict.code, "fraud_rejected");
  assert.match(verdict.detail, /150000\.01 ZAR exceeds the limit of 150000\.00 ZAR/);
});

Deno.test("velocity_limit passes the 5th transfer and refuses the 6th", () => {
  const rules = createFraudRules(defaults);
  assert.equal(
    screenTransfer(rules, attempt("1"), { ...quiet, recentOutflowCount: 4 }).approved,
    true,
  );
  const sixth = screenTransfer(rules, attempt("1"), { ...quiet, recentOutflowCount: 5 });
  assert.equal(sixth.approved, false);
  if (sixth.approved) return;
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
  const over = screenTransfer(rules, attempt("100.01"), facts);
  assert.equal(over.approved, false);
  if (!over.approved) assert.equal(over.reason, "daily_outflow_limit");
});

Deno.test("factsNeeded asks only for what the active rules read", async () => {
  const { factsNeeded } = await import("../../domain/fraud/mod.ts");
  assert.deepEqual(factsNeeded(createFraudRules(defaults)), {
    recentOutflowCount: { atLeast: 5 },
  });
  assert.deepEqual(
    factsNeeded(createFraudRules({ ...defaults, dailyOutflowLimit: "1000" })),
    { recentOutflowCount: { atLeast: 5 }, outflowLast24hMinor: true },
  );
  assert.deepEqual(factsNeeded([]), {});
});

Deno.test("earlier outflows in the same group count inside the window only", () => {
  const now = new Date("2026-01-01T12:00:00Z");
  const earlier = [
    { at: new Date("2026-01-01T11:59:30Z"), amount: 5_00n },
    { at: new Date("2026-01-01T11:58:00Z"), amount: 7_00n },
  ];
  const facts = withEarlierOutflows(
    { recentOutflowCount: 1, outflowLast24hMinor: 10_00n },
    earlier,
    now,
    60,
    { recentOutflowCount: { atLeast: 5 }, outflowLast24hMinor: true },
  );
  assert.deepEqual(facts, { recentOutflowCount: 2, outflowLast24hMinor: 22_00n });
});

Deno.test("earlier outflows keep the velocity count capped where the rules stop reading", () => {
  const now = new Date();
  const earlier = Array.from({ length: 4 }, () => ({ at: now, amount: 1n }));
  const facts = withEarlierOutflows(
    { recentOutflowCount: 4, outflowLast24hMinor: 0n },
    earlier,
    now,
    60,
    { recentOutflowCount: { atLeast: 5 } },
  );
  assert.deepEqual(facts, { recentOutflowCount: 5, outflowLast24hMinor: 0n });
});
