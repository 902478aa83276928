/**
 * FX quote pricing, by property: integer arithmetic only, half-to-even exact, amounts that agree
 * with the quoted rate, and no round trip that makes money — over every pair, random amounts and
 * random users' rate tables.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { BankError, RefusedError } from "../../domain/errors.ts";
import { tableWithOverrides, validateOverrides } from "../../domain/fx_overrides.ts";
import {
  priceQuote,
  quotedRate,
  type QuoteTerms,
  RATE_SIGNIFICANT_DIGITS,
  rateOfText,
} from "../../domain/fx_quotes.ts";
import { type FxTable, midRate, SANDBOX_FX_TABLE } from "../../domain/fx_rates.ts";
import { CURRENCIES, currencyOf } from "../../domain/money.ts";

const RUNS = { numRuns: 1_000 };
const SPREAD_BPS = 50;
const codes = CURRENCIES.map((currency) => currency.code);
const pair = fc.tuple(fc.constantFrom(...codes), fc.constantFrom(...codes))
  .filter(([a, b]) => a !== b);
// Amounts from one minor unit to a billion major units, weighted to the small end (where rounding bites).
const minor = fc.oneof(
  fc.bigInt({ min: 1n, max: 10_000n }),
  fc.bigInt({ min: 1n, max: 10n ** 14n }),
);
// A user's table: every rate a short positive decimal, as POST /simulations/fx_rates takes them.
const rateText = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 999_999 }))
  .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(6, "0")}`);
const table = fc.oneof(
  fc.constant(SANDBOX_FX_TABLE),
  fc.dictionary(fc.constantFrom(...codes.filter((code) => code !== "ZAR")), rateText)
    .map((rates) => tableWithOverrides(rates)),
);

// Prices, or undefined where the quote is refused as too small or too large to carry.
function tryPrice(
  request: Parameters<typeof priceQuote>[0],
  fxTable: FxTable,
): QuoteTerms | undefined {
  try {
    return priceQuote(request, { table: fxTable, spreadBps: SPREAD_BPS });
  } catch (error) {
    if (error instanceof BankError) return undefined;
    throw error;
  }
}

// The exact value of `amount` converted at rate `n/d` between the currencies' minor units.
function exactly(
  amount: bigint,
  rate: { numerator: bigint; denominator: bigint },
  from: string,
  to: string,
) {
  const scaleFrom = 10n ** BigInt(currencyOf(from).exponent);
  const scaleTo = 10n ** BigInt(currencyOf(to).exponent);
  return {
    numerator: amount * rate.numerator * scaleTo,
    denominator: rate.denominator * scaleFrom,
  };
}

// Half-to-even by definition: nearest; on an exact half, the even neighbour.
function isHalfEven(result: bigint, value: { numerator: bigint; denominator: bigint }): boolean {
  const distance = 2n * (result * value.denominator - value.numerator);
  const absolute = distance < 0n ? -distance : distance;
  if (absolute < value.denominator) return true;
  return absolute === value.denominator && result % 2n === 0n;
}

Deno.test("no float anywhere: the FX modules use no Number arithmetic, Math or float parsing", async () => {
  for (
    const file of [
      "domain/fx_quotes.ts",
      "domain/fx_rates.ts",
      "domain/fx_overrides.ts",
      "domain/planners/fx_transfer.ts",
    ]
  ) {
    const text = await Deno.readTextFile(new URL(`../../${file}`, import.meta.url));
    for (const banned of [/parseFloat/, /Math\./, /toFixed/, /toPrecision/, /Number\.parse/]) {
      assert.doesNotMatch(text, banned, `${file} uses ${banned}`);
    }
  }
});

Deno.test("no float anywhere: every priced amount is a bigint and every rate exact decimal text", () => {
  fc.assert(
    fc.property(pair, minor, table, ([from, to], amount, fxTable) => {
      const terms = tryPrice({ fromCurrency: from, toCurrency: to, sellMinor: amount }, fxTable);
      if (!terms) return;
      assert.equal(typeof terms.sellMinor, "bigint");
      assert.equal(typeof terms.buyMinor, "bigint");
      assert.match(terms.rate, /^\d+(\.\d*[1-9])?$/);
    }),
    RUNS,
  );
});

Deno.test("the quoted rate is the mid rate less the spread, cut down to 10 significant digits", () => {
  fc.assert(
    fc.property(pair, table, ([from, to], fxTable) => {
      const mid = midRate(from, to, { table: fxTable });
      const { text, value } = quotedRate(mid, SPREAD_BPS);
      assert.deepEqual(rateOfText(text), value);
      // value <= mid * 0.995, and the next 10-digit step up would be above it.
      const spread = { numerator: mid.numerator * 9_950n, denominator: mid.denominator * 10_000n };
      assert.ok(value.numerator * spread.denominator <= spread.numerator * value.denominator);
      assert.ok(text.replace(".", "").replace(/^0+/, "").length <= RATE_SIGNIFICANT_DIGITS);
    }),
    RUNS,
  );
  assert.equal(quotedRate(midRate("ZAR", "USD"), 50).text, "0.0568145");
});

Deno.test("a sale's bought amount is the sold amount at the rate, rounded half-to-even exactly", () => {
  fc.assert(
    fc.property(pair, minor, table, ([from, to], amount, fxTable) => {
      const terms = tryPrice({ fromCurrency: from, toCurrency: to, sellMinor: amount }, fxTable);
      if (!terms) return;
      assert.equal(terms.sellMinor, amount);
      const value = exactly(amount, rateOfText(terms.rate), from, to);
      assert.ok(isHalfEven(terms.buyMinor, value), `${amount} ${from} -> ${terms.buyMinor} ${to}`);
    }),
    RUNS,
  );
});

Deno.test("a purchase's sold amount is the bought amount over the rate, half-to-even exactly", () => {
  fc.assert(
    fc.property(pair, minor, table, ([from, to], amount, fxTable) => {
      const terms = tryPrice({ fromCurrency: from, toCurrency: to, buyMinor: amount }, fxTable);
      if (!terms) return;
      assert.equal(terms.buyMinor, amount);
      const rate = rateOfText(terms.rate);
      const inverse = { numerator: rate.denominator, denominator: rate.numerator };
      assert.ok(isHalfEven(terms.sellMinor, exactly(amount, inverse, to, from)));
    }),
    RUNS,
  );
});

Deno.test("half-to-even ties go to the even neighbour, and one above the mid rate is refused", () => {
  // 1 ZAR is 0.1 USD and no spread: a sale of an odd number of cents ends on half a cent.
  const tenToOne = tableWithOverrides({ USD: "0.1" });
  const price = (sellMinor: bigint) =>
    priceQuote({ fromCurrency: "ZAR", toCurrency: "USD", sellMinor }, {
      table: tenToOne,
      spreadBps: 0,
    }).buyMinor;
  assert.equal(price(25n), 2n, "2.5 cents rounds to 2");
  assert.equal(price(45n), 4n, "4.5 cents rounds to 4");
  assert.equal(price(34n), 3n);
  assert.equal(price(30n), 3n);
  // 1.5 and 3.5 cents round up to even, above what the mid rate pays: refused, not cut down.
  for (const odd of [15n, 35n]) {
    assert.throws(
      () => price(odd),
      (error) => error instanceof RefusedError && error.code === "amount_too_small",
    );
  }
});

Deno.test("a quote never pays more than the mid rate: rounding above it is refused", () => {
  fc.assert(
    fc.property(pair, minor, table, fc.boolean(), ([from, to], amount, fxTable, selling) => {
      const request = selling
        ? { fromCurrency: from, toCurrency: to, sellMinor: amount }
        : { fromCurrency: from, toCurrency: to, buyMinor: amount };
      const terms = tryPrice(request, fxTable);
      if (!terms) return;
      const atMid = exactly(terms.sellMinor, midRate(from, to, { table: fxTable }), from, to);
      assert.ok(terms.buyMinor * atMid.denominator <= atMid.numerator);
    }),
    RUNS,
  );
  assert.throws(
    () =>
      priceQuote({ fromCurrency: "ZAR", toCurrency: "JPY", sellMinor: 6n }, {
        table: SANDBOX_FX_TABLE,
        spreadBps: SPREAD_BPS,
      }),
    (error) => error instanceof RefusedError && error.code === "amount_too_small",
  );
});

Deno.test("sell -> buy -> sell never creates money: a round trip gets back at most what it sold", () => {
  fc.assert(
    fc.property(pair, minor, table, ([a, b], amount, fxTable) => {
      const there = tryPrice({ fromCurrency: a, toCurrency: b, sellMinor: amount }, fxTable);
      if (!there) return;
      // Selling what it bought brings back no more than it first sold...
      const back = tryPrice({ fromCurrency: b, toCurrency: a, sellMinor: there.buyMinor }, fxTable);
      if (back) assert.ok(back.buyMinor <= amount, `${amount} ${a} came back as ${back.buyMinor}`);
      // ...and buying the first amount back costs at least what it bought.
      const rebuy = tryPrice({ fromCurrency: b, toCurrency: a, buyMinor: amount }, fxTable);
      if (rebuy) assert.ok(rebuy.sellMinor >= there.buyMinor);
    }),
    RUNS,
  );
});

Deno.test("validateOverrides refuses unknown codes, non-decimal rates and a base other than 1", () => {
  assert.deepEqual(validateOverrides({ USD: "0.06", ZAR: "1" }), { USD: "0.06", ZAR: "1" });
  const bad: Record<string, string>[] = [
    { XYZ: "1" },
    { USD: "0" },
    { USD: "1e3" },
    { ZAR: "1.0" },
    { USD: "" },
  ];
  for (const rates of bad) {
    assert.throws(() => validateOverrides(rates), BankError, JSON.stringify(rates));
  }
});
