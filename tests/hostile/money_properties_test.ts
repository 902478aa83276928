/** Property tests of money text: round trips, exact JSON numbers, and refusal of anything else. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { AMOUNT_MAX_MINOR, CURRENCIES, formatAmount, parseAmount } from "../../domain/money.ts";
import { InvalidInputError } from "../../domain/errors.ts";

const currency = fc.constantFrom(...CURRENCIES);
const minorAmount = fc.bigInt({ min: 1n, max: AMOUNT_MAX_MINOR });

Deno.test("parseAmount(formatAmount(m)) is m for every amount in every currency", () => {
  fc.assert(
    fc.property(currency, minorAmount, (cur, minor) => {
      assert.equal(parseAmount(formatAmount(minor, cur), cur), minor);
    }),
    { numRuns: 2_000 },
  );
});

Deno.test("formatAmount(parseAmount(text)) is the text once padded to the currency's decimals", () => {
  fc.assert(
    fc.property(currency, minorAmount, (cur, minor) => {
      const text = formatAmount(minor, cur);
      // Trailing zeros dropped by the client are read the same.
      const short = cur.exponent > 0 ? text.replace(/\.?0+$/, "") : text;
      assert.equal(formatAmount(parseAmount(short, cur), cur), text);
    }),
    { numRuns: 2_000 },
  );
});

Deno.test("a JSON number with at most two decimals parses to exactly its cents", () => {
  const zar = CURRENCIES.find((c) => c.code === "ZAR")!;
  fc.assert(
    fc.property(fc.integer({ min: 1, max: Number(AMOUNT_MAX_MINOR) }), (cents) => {
      assert.equal(parseAmount(cents / 100, zar), BigInt(cents));
    }),
    { numRuns: 2_000 },
  );
});

Deno.test("parseAmount refuses every text that is not a plain positive decimal, with a 400 error", () => {
  const plainDecimal = /^\s*\d+(\.\d+)?\s*$/;
  fc.assert(
    fc.property(currency, fc.string({ unit: "binary", maxLength: 60 }), (cur, text) => {
      fc.pre(!plainDecimal.test(text));
      assert.throws(() => parseAmount(text, cur), InvalidInputError);
    }),
    { numRuns: 1_500 },
  );
});

Deno.test("parseAmount refuses signs, exponents, separators and special numbers", () => {
  const zar = CURRENCIES[0];
  const hostile = fc.constantFrom(
    "-1",
    "+1",
    "1e3",
    "1E-2",
    "0x10",
    "1,000.00",
    "1_000",
    "Infinity",
    "NaN",
    ".5",
    "5.",
    "٣",
    "１２",
    "1.0.0",
    "",
    " ",
    "0",
    "0.00",
  );
  fc.assert(fc.property(hostile, (text) => {
    assert.throws(() => parseAmount(text, zar), InvalidInputError);
  }));
  for (const value of [NaN, Infinity, -Infinity, -1, 0, 1e21, 1e-7, 0.001, Number.MAX_VALUE]) {
    assert.throws(() => parseAmount(value, zar), InvalidInputError, String(value));
  }
});

Deno.test("parseAmount refuses more decimals than the currency has", () => {
  fc.assert(fc.property(currency, minorAmount, fc.integer({ min: 1, max: 9 }), (cur, minor, d) => {
    const text = `${formatAmount(minor, cur)}${cur.exponent === 0 ? "." : ""}${d}`;
    assert.throws(() => parseAmount(text, cur), InvalidInputError);
  }));
});

Deno.test("parseAmount refuses any amount above the maximum however it is written", () => {
  fc.assert(fc.property(currency, fc.bigInt({ min: 1n, max: 10n ** 20n }), (cur, extra) => {
    assert.throws(() => parseAmount(formatAmount(AMOUNT_MAX_MINOR + extra, cur), cur));
  }));
});
