import assert from "node:assert/strict";
import { AMOUNT_MAX_MINOR, currencyOf, formatAmount, parseAmount } from "../../domain/money.ts";
import { InvalidInputError } from "../../domain/errors.ts";

const ZAR = currencyOf("ZAR");
const JPY = currencyOf("JPY");
const KWD = currencyOf("KWD");

Deno.test("parseAmount reads decimal text into minor units", () => {
  assert.equal(parseAmount("500", ZAR), 50_000n);
  assert.equal(parseAmount("500.5", ZAR), 50_050n);
  assert.equal(parseAmount("500.05", ZAR), 50_005n);
  assert.equal(parseAmount("0.01", ZAR), 1n);
});

Deno.test("parseAmount reads JSON numbers through their shortest text, not float arithmetic", () => {
  assert.equal(parseAmount(500, ZAR), 50_000n);
  assert.equal(parseAmount(500.5, ZAR), 50_050n);
  assert.equal(parseAmount(0.1, ZAR), 10n);
  assert.equal(parseAmount(1.1, ZAR), 110n);
  assert.equal(parseAmount(19.99, ZAR), 1_999n);
});

Deno.test("parseAmount honours each currency's exponent", () => {
  assert.equal(parseAmount("1500", JPY), 1_500n);
  assert.throws(() => parseAmount("1500.5", JPY), InvalidInputError);
  assert.equal(parseAmount("1.234", KWD), 1_234n);
  assert.throws(() => parseAmount("1.2345", KWD), InvalidInputError);
});

Deno.test("parseAmount refuses zero, signs, exponents, junk and too many decimals", () => {
  for (
    const bad of [
      "0",
      "0.00",
      "-5",
      "+5",
      "1e3",
      "abc",
      "NaN",
      "Infinity",
      "",
      " ",
      "1.001",
      "1,00",
      "1.",
      ".5",
      "0x10",
      "1 000",
      "１２",
      " 5",
      "5 ",
      "\t5",
      "5.50\n",
    ]
  ) {
    assert.throws(
      () => parseAmount(bad, ZAR),
      InvalidInputError,
      `accepted ${JSON.stringify(bad)}`,
    );
  }
  for (const bad of [0, -1, NaN, Infinity, -Infinity, 1e21, 1e-7, 0.001]) {
    assert.throws(() => parseAmount(bad, ZAR), InvalidInputError, `accepted ${bad}`);
  }
});

Deno.test("parseAmount refuses amounts above the per-movement maximum", () => {
  assert.equal(parseAmount("10000000000000.00", ZAR), AMOUNT_MAX_MINOR);
  assert.throws(() => parseAmount("10000000000000.01", ZAR), InvalidInputError);
  assert.throws(() => parseAmount("99999999999999999999", ZAR), InvalidInputError);
});

Deno.test("formatAmount writes exactly the currency's decimals", () => {
  assert.equal(formatAmount(50_000n, ZAR), "500.00");
  assert.equal(formatAmount(5n, ZAR), "0.05");
  assert.equal(formatAmount(0n, ZAR), "0.00");
  assert.equal(formatAmount(-150n, ZAR), "-1.50");
  assert.equal(formatAmount(1_500n, JPY), "1500");
  assert.equal(formatAmount(1n, KWD), "0.001");
});

Deno.test("formatAmount and parseAmount round-trip", () => {
  for (const minor of [1n, 99n, 100n, 12_345n, 1_000_000_007n, AMOUNT_MAX_MINOR]) {
    assert.equal(parseAmount(formatAmount(minor, ZAR), ZAR), minor);
  }
});
