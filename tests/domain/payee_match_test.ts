/** Confirmation of payee: the name-matching rule. */
import assert from "node:assert/strict";
import {
  CLOSE_MATCH_SIMILARITY_MIN,
  isThisBank,
  matchPayeeName,
  nameSimilarity,
  normaliseName,
} from "../../domain/payee_match.ts";

Deno.test("normaliseName drops case, spacing, punctuation and diacritics", () => {
  assert.equal(normaliseName("  Zoë  O'Brien-Smith "), "zoe o brien smith");
  assert.equal(normaliseName("JOSÉ   ÁLVAREZ."), "jose alvarez");
  assert.equal(normaliseName("!!!"), "");
});

Deno.test("matchPayeeName: equal once normalised is a match", () => {
  assert.equal(matchPayeeName("thandi  nkosi", "Thandi Nkosi"), "match");
  assert.equal(matchPayeeName("Zoe O'Brien", "Zoë O Brien"), "match");
});

Deno.test("matchPayeeName: one slip, or the words in another order, is a close match", () => {
  assert.equal(matchPayeeName("Thandi Nkosl", "Thandi Nkosi"), "close_match");
  assert.equal(matchPayeeName("Nkosi Thandi", "Thandi Nkosi"), "close_match");
});

Deno.test("matchPayeeName: the similarity threshold is inclusive", () => {
  // "jon smyth" / "john smith": distance 2 over 10 letters = 0.8 exactly.
  assert.equal(nameSimilarity("jon smyth", "john smith"), CLOSE_MATCH_SIMILARITY_MIN);
  assert.equal(matchPayeeName("Jon Smyth", "John Smith"), "close_match");
  // One more difference falls below it.
  assert.ok(nameSimilarity("jon smytx", "john smith") < CLOSE_MATCH_SIMILARITY_MIN);
  assert.equal(matchPayeeName("Jon Smytx", "John Smith"), "no_match");
});

Deno.test("matchPayeeName: another name, or no name at all, is no match", () => {
  assert.equal(matchPayeeName("Acme Supplies", "Thandi Nkosi"), "no_match");
  assert.equal(matchPayeeName("...", "Thandi Nkosi"), "no_match");
});

Deno.test("isThisBank: no bank code or the sandbox's own; any other is another bank", () => {
  assert.equal(isThisBank(undefined), true);
  assert.equal(isThisBank("sandbox"), true);
  assert.equal(isThisBank("250655"), false);
});
