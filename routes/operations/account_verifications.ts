/** Confirmation of payee: does the name a payer typed fit the account they are about to pay? */
import { findHolderName } from "../../db/account_directory.ts";
import { countHits } from "../../db/rate_counters.ts";
import {
  ACCOUNT_VERIFICATION_LIMIT,
  assertWithinLimit,
  rateKey,
} from "../../domain/abuse_limits.ts";
import { isThisBank, matchPayeeName, type VerificationResult } from "../../domain/payee_match.ts";
import type { AppDeps } from "../app_env.ts";

/** The body of POST /account_verifications, as validated. */
export interface VerifyPayeeBody {
  account_number: string;
  name: string;
  bank_code?: string;
}

/** What the check answers: `matched_name` is the holder's name on a close match only. */
export interface VerificationJson {
  result: VerificationResult;
  matched_name: string | null;
}

/**
 * Checks a payee: this bank's accounts by their holder's name (domain/payee_match.ts), another
 * bank's `unavailable`. Every check is counted first (at most 30 a minute per user, 429 after).
 */
export async function verifyPayee(
  deps: AppDeps,
  userId: string,
  body: VerifyPayeeBody,
): Promise<VerificationJson> {
  const now = deps.clock();
  const [count] = await countHits(deps.sql, [rateKey(ACCOUNT_VERIFICATION_LIMIT, userId)], now);
  assertWithinLimit(ACCOUNT_VERIFICATION_LIMIT, count, {
    now,
    message: "Too many payee checks; retry later",
  });
  if (!isThisBank(body.bank_code)) return { result: "unavailable", matched_name: null };
  const number = body.account_number.replace(/[\s-]/g, "");
  const holder = await findHolderName(deps.sql, number);
  if (holder === undefined) return { result: "no_match", matched_name: null };
  const result = matchPayeeName(body.name, holder);
  return { result, matched_name: result === "close_match" ? holder : null };
}
