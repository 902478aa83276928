import assert from "node:assert/strict";
import {
  generateAccountNumber,
  isValidAccountNumber,
  luhnCheckDigit,
} from "../../domain/account_number.ts";

Deno.test("luhnCheckDigit matches the textbook example", () => {
  // 7992739871 → check digit 3 (the standard Luhn example).
  assert.equal(luhnCheckDigit("7992739871"), 3);
});

Deno.test("generateAccountNumber makes 10 digits with a valid check digit and no leading 0 or 9", () => {
  for (let i = 0; i < 500; i++) {
    const number = generateAccountNumber();
    assert.match(number, /^[1-8]\d{9}$/);
    assert.ok(isValidAccountNumber(number), number);
  }
});

Deno.test("isValidAccountNumber catches a single mistyped digit and a swap of neighbours", () => {
  const number = generateAccountNumber();
  const digit = (Number(number[3]) + 1) % 10;
  assert.equal(isValidAccountNumber(number.slice(0, 3) + digit + number.slice(4)), false);
  const swapped = number.slice(0, 4) + number[5] + number[4] + number.slice(6);
  if (number[4] !== number[5] && Math.abs(Number(number[4]) - Number(number[5])) !== 9) {
    assert.equal(isValidAccountNumber(swapped), false);
  }
});

Deno.test("isValidAccountNumber refuses wrong lengths and non-digits", () => {
  for (const bad of ["", "123", "12345678901", "12345abcde", " 1234567890"]) {
    assert.equal(isValidAccountNumber(bad), false);
  }
});
