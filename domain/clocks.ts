/** Business time: both sides of a movement must read the same sandbox clock. */
import { APPROVED, refuse, type Verdict } from "./ledger.ts";

/**
 * Approves a movement whose two owners' clocks read the same time; otherwise refuses it
 * (clock_mismatch): a row dated by one clock would sit in the other's past or future.
 */
export function checkSameBusinessTime(fromNow: Date, toNow: Date): Verdict {
  const apartSeconds = Math.abs(toNow.getTime() - fromNow.getTime()) / 1000;
  if (apartSeconds === 0) return APPROVED;
  return refuse(
    "clock_mismatch",
    `Cannot move money: the two owners' sandbox clocks are ${apartSeconds} seconds apart; ` +
      "POST /simulations/clock/join puts them on one clock",
  );
}
