/** The shipped mid-rate table and exact conversion: properties over every pair of currencies. */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  convertMinor,
  divideRounded,
  type FxTable,
  midRate,
  parseRate,
  type Rounding,
  SANDBOX_FX_TABLE,
} from "../../domain/fx_rates.ts";
import { AMOUNT_MAX_MINOR, CURRENCIES, currencyOf } from "../../domain/money.ts";

const code = fc.constantFrom(...CURRENCIES.map((currency) => currency.code));
const rounding = fc.constantFrom<Rounding>("floor", "ceil", "half_even");
const minor = fc.bigInt({ min: 0n, max: AMOUNT_MAX_MINOR });
const RUNS = { numRuns: 1_000 };

// The exact value of a conversion as a fraction, for bracketing what convertMinor rounded.
function exact(amount: bigint, from: string, to: string) {
  const rate = midRate(from, to);
  const scaleFrom = 10n ** BigInt(currencyOf(from).exponent);
  const scaleTo = 10n ** BigInt(currencyOf(to).exponent);
  return {
    numerator: amount * rate.numerator * scaleTo,
    denominator: rate.denominator * scaleFrom,
  };
}

Deno.test("the sandbox table prices every supported currency against base ZAR at 1", () => {
  assert.equal(SANDBOX_FX_TABLE.base, "ZAR");
  assert.equal(SANDBOX_FX_TABLE.rates.ZAR, "1");
  for (const currency of CURRENCIES) {
    assert.match(SANDBOX_FX_TABLE.rates[currency.code] ?? "", /^\d+(\.\d+)?$/, currency.code);
  }
});

Deno.test("midRate is an exact reduced fraction: 1 USD buys 8.47 / 0.0571 JPY", () => {
  assert.deepEqual(midRate("ZAR", "USD"), { numerator: 571n, denominator: 10_000n });
  assert.deepEqual(midRate("USD", "JPY"), { numerator: 84_700n, denominator: 571n });
  assert.deepEqual(midRate("KWD", "KWD"), { numerator: 1n, denominator: 1n });
});

Deno.test("midRate there and back multiplies to exactly 1, and cross rates agree", () => {
  fc.assert(
    fc.property(code, code, code, (a, b, c) => {
      const there = midRate(a, b);
      const back = midRate(b, a);
      assert.equal(there.numerator * back.numerator, there.denominator * back.denominator);
      const direct = midRate(a, c);
      const via = [midRate(a, b), midRate(b, c)];
      assert.equal(
        direct.numerator * via[0].denominator * via[1].denominator,
        direct.denominator * via[0].numerator * via[1].numerator,
      );
    }),
    RUNS,
  );
});

Deno.test("convertMinor respects exponents: 150000.00 ZAR is 1270500 JPY and 2628.000 KWD", () => {
  const zar = 150_000_00n;
  assert.equal(convertMinor(zar, { from: "ZAR", to: "JPY", rounding: "floor" }), 1_270_500n);
  assert.equal(convertMinor(zar, { from: "ZAR", to: "KWD", rounding: "floor" }), 2_628_000n);
  assert.equal(convertMinor(zar, { from: "ZAR", to: "USD", rounding: "floor" }), 8_565_00n);
  assert.equal(convertMinor(1n, { from: "KWD", to: "JPY", rounding: "floor" }), 0n);
  assert.equal(convertMinor(1n, { from: "KWD", to: "JPY", rounding: "ceil" }), 1n);
});

Deno.test("convertMinor into the same currency changes nothing, whatever the rounding", () => {
  fc.assert(
    fc.property(code, minor, rounding, (c, amount, mode) => {
      assert.equal(convertMinor(amount, { from: c, to: c, rounding: mode }), amount);
    }),
    RUNS,
  );
});

Deno.test("convertMinor lands within one minor unit of the exact value, on the side asked", () => {
  fc.assert(
    fc.property(code, code, minor, (from, to, amount) => {
      const { numerator, denominator } = exact(amount, from, to);
      const down = convertMinor(amount, { from, to, rounding: "floor" });
      const up = convertMinor(amount, { from, to, rounding: "ceil" });
      const near = convertMinor(amount, { from, to, rounding: "half_even" });
      assert.ok(down * denominator <= numerator && numerator < (down + 1n) * denominator);
      assert.ok(up * denominator >= numerator && numerator > (up - 1n) * denominator);
      assert.ok(up - down <= 1n && down <= near && near <= up);
      // Nearest: at most half a minor unit away.
      const distance = near * denominator - numerator;
      assert.ok(2n * (distance < 0n ? -distance : distance) <= denominator);
    }),
    RUNS,
  );
});

Deno.test("convertMinor is monotonic: more money in never converts to less out", () => {
  fc.assert(
    fc.property(code, code, minor, minor, rounding, (from, to, a, b, mode) => {
      const [low, high] = a <= b ? [a, b] : [b, a];
      assert.ok(
        convertMinor(low, { from, to, rounding: mode }) <=
          convertMinor(high, { from, to, rounding: mode }),
      );
    }),
    RUNS,
  );
});

Deno.test("converting there and back rounding down never makes money; rounding up never loses it", () => {
  fc.assert(
    fc.property(code, code, minor, (from, to, amount) => {
      const down = (value: bigint, a: string, b: string) =>
        convertMinor(value, { from: a, to: b, rounding: "floor" });
      const up = (value: bigint, a: string, b: string) =>
        convertMinor(value, { from: a, to: b, rounding: "ceil" });
      assert.ok(down(down(amount, from, to), to, from) <= amount);
      assert.ok(up(up(amount, from, to), to, from) >= amount);
    }),
    RUNS,
  );
});

Deno.test("converting parts rounding down conserves money: the parts never exceed the whole", () => {
  fc.assert(
    fc.property(code, code, minor, minor, (from, to, a, b) => {
      const down = (value: bigint) => convertMinor(value, { from, to, rounding: "floor" });
      const parts = down(a) + down(b);
      const whole = down(a + b);
      assert.ok(parts <= whole && whole <= parts + 1n);
    }),
    RUNS,
  );
});

Deno.test("divideRounded rounds negative quotients by the same rule (floor, ceil, ties to even)", () => {
  assert.equal(divideRounded(-7n, 2n, "floor"), -4n);
  assert.equal(divideRounded(-7n, 2n, "ceil"), -3n);
  assert.equal(divideRounded(-7n, 2n, "half_even"), -4n);
  assert.equal(divideRounded(-5n, 2n, "half_even"), -2n);
  assert.equal(divideRounded(5n, 2n, "half_even"), 2n);
  assert.equal(divideRounded(7n, 2n, "half_even"), 4n);
  assert.equal(divideRounded(6n, 4n, "half_even"), 2n);
  assert.throws(() => divideRounded(1n, 0n, "floor"), /positive denominator/);
});

Deno.test("parseRate refuses what is not a positive decimal, and a table must price both sides", () => {
  for (const text of ["0", "0.000", "-1", "1e3", "", " 1", "1.", "abc"]) {
    assert.throws(() => parseRate(text), /Invalid FX rate/, JSON.stringify(text));
  }
  const partial: FxTable = { base: "ZAR", rates: { ZAR: "1" } };
  assert.throws(() => midRate("ZAR", "USD", { table: partial }), /No mid rate for USD/);
});
