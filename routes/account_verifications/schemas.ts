/** Confirmation of payee on the wire. */
import { z } from "@hono/zod-openapi";
import {
  CLOSE_MATCH_SIMILARITY_MIN,
  SANDBOX_BANK_CODE,
  VERIFICATION_RESULTS,
} from "../../domain/payee_match.ts";
import { text } from "../schemas.ts";

/** A payee to check before paying. */
export const VerifyPayeeSchema = z.strictObject({
  account_number: z.string().regex(/^[0-9]{4,34}$/, "must be 4 to 34 digits")
    .openapi({ example: "4001234569" }),
  name: text().trim().min(1).max(140).openapi({ example: "Thandi Nkosi" }),
  bank_code: z.string().regex(/^[A-Za-z0-9]{1,11}$/, "must be 1 to 11 letters or digits")
    .optional().openapi({
      example: SANDBOX_BANK_CODE,
      description: `Absent or ${SANDBOX_BANK_CODE}: this bank. Any other bank answers ` +
        "`unavailable`.",
    }),
}).openapi("AccountVerificationRequest");

/** The check's answer. */
export const VerificationSchema = z.object({
  result: z.enum(VERIFICATION_RESULTS).openapi({
    description: "match: the names are equal once case, spacing, punctuation and diacritics are " +
      "set aside; close_match: the same words in another order, or a similarity of at least " +
      `${CLOSE_MATCH_SIMILARITY_MIN} (1 − Levenshtein distance ÷ the longer name); no_match: ` +
      "neither, or no account of this bank has the number; unavailable: another bank's account.",
  }),
  matched_name: z.string().nullable().openapi({
    example: null,
    description: "The account holder's name, on a close_match only.",
  }),
}).openapi("AccountVerification");
