/**
 * Confirmation of payee: how closely the name a payer typed matches the account holder's. Pure;
 * the distance is `fastest-levenshtein`'s.
 */
import { distance } from "fastest-levenshtein";

/**
 * This bank's own code: a check naming it (or no bank code at all) is answered from this bank's
 * accounts; any other bank's answers `unavailable` (the sandbox reaches no other bank's directory).
 */
export const SANDBOX_BANK_CODE = "SANDBOX";

/** True when a check with this bank code (none: this bank) is about this bank's accounts. */
export function isThisBank(bankCode: string | undefined): boolean {
  return bankCode === undefined || bankCode.toUpperCase() === SANDBOX_BANK_CODE;
}

/** What a confirmation-of-payee check answers. */
export const VERIFICATION_RESULTS = ["match", "close_match", "no_match", "unavailable"] as const;
export type VerificationResult = typeof VERIFICATION_RESULTS[number];

/**
 * Names at least this similar (1 − Levenshtein distance ÷ the longer name's length, after
 * normalising) are a close match: one slip in a ten-letter name (0.9) is close, two wrong
 * letters in a short name ("Jon Smyth" for "John Smith", 0.8) still are, a different name is not.
 */
export const CLOSE_MATCH_SIMILARITY_MIN = 0.8;

/**
 * The name as compared: diacritics dropped (NFKD, combining marks removed), lower case, every run
 * of punctuation or spacing one space, trimmed. "  Zoë  O'Brien-Smith " → "zoe o brien smith".
 */
export function normaliseName(name: string): string {
  return name.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/** 1 for the same text, 0 for nothing in common: 1 − distance ÷ the longer length. */
export function nameSimilarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - distance(a, b) / longest;
}

/**
 * Compares the typed name with the holder's: `match` when they are equal once normalised,
 * `close_match` when the same words stand in another order or the similarity reaches
 * CLOSE_MATCH_SIMILARITY_MIN, else `no_match` (an empty name never matches).
 */
export function matchPayeeName(
  typed: string,
  holder: string,
): Exclude<VerificationResult, "unavailable"> {
  const a = normaliseName(typed);
  const b = normaliseName(holder);
  if (a === "" || b === "") return "no_match";
  if (a === b) return "match";
  const sorted = (text: string) => text.split(" ").sort().join(" ");
  if (sorted(a) === sorted(b)) return "close_match";
  return nameSimilarity(a, b) >= CLOSE_MATCH_SIMILARITY_MIN ? "close_match" : "no_match";
}
