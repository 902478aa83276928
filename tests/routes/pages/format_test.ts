/** The pages' one money format, in sentences too, and digit groups accepted in page amounts. */
import assert from "node:assert/strict";
import { pageAmount } from "../../../routes/pages/forms.ts";
import { money, moneyInText } from "../../../views/format.ts";

Deno.test("amounts in a refusal's sentence read like every other amount on the pages", () => {
  assert.equal(
    moneyInText("Cannot withdraw 99999999.00 ZAR: the available balance is 1234.56 ZAR"),
    "Cannot withdraw ZAR 99,999,999.00: the available balance is ZAR 1,234.56",
  );
  assert.equal(
    moneyInText("exceeds the limit of 8565.00 USD"),
    "exceeds the limit of USD 8,565.00",
  );
  assert.equal(money(123456n, "ZAR"), "ZAR 1,234.56");
  // Not money: no known currency after the number, or part of a longer token.
  assert.equal(moneyInText("HTTP 202 ABC and 12 XYZ"), "HTTP 202 ABC and 12 XYZ");
  assert.equal(moneyInText("id 1.5 ZARX"), "id 1.5 ZARX");
});

Deno.test("page amounts take digit groups of three, and nothing else is changed", () => {
  assert.equal(pageAmount("1,000.00"), "1000.00");
  assert.equal(pageAmount(" 12,345,678.9 "), "12345678.9");
  assert.equal(pageAmount("1 000"), "1000");
  assert.equal(pageAmount("1000"), "1000");
  assert.equal(pageAmount("1,00.00"), "1,00.00", "left for the schema to refuse");
  assert.equal(pageAmount("10,5"), "10,5");
  assert.equal(pageAmount(undefined), "");
});
