/**
 * Shared fixtures for the pure pipeline tests (no database): a locked account with every field
 * the locking read returns, the empty row lists of a group's facts, and the ZA clearing settings.
 * One place, so a field added to the facts is added here once rather than in every test file.
 */
import type { ClearingSettings, GroupFacts, LockedAccount } from "../../domain/pipeline.ts";

export const FIXTURE_NOW = new Date("2026-06-01T10:00:00Z");

/** An active ZAR account of `userId` holding `balance` minor units, as the locking read returns it. */
export function lockedAccount(
  id: string,
  balance: bigint,
  userId: string,
  extra: Partial<LockedAccount> = {},
): LockedAccount {
  return {
    id,
    userId,
    accountNumber: "4001234569",
    currency: "ZAR",
    balance,
    status: "active",
    statusReason: null,
    clockOffsetSeconds: 0n,
    createdAt: FIXTURE_NOW,
    updatedAt: FIXTURE_NOW,
    ...extra,
  };
}

/** The row lists of a group's facts that a test does not name: none locked. */
export const NO_ROWS: Pick<GroupFacts, "holds" | "payments" | "cards" | "authorizations"> = {
  holds: [],
  payments: [],
  cards: [],
  authorizations: [],
};

/** Instant payments settle after 60 s; EFT on the ZA calendar (cut-off 15:00, run at 06:00). */
export const ZA_CLEARING: ClearingSettings = {
  settlementSeconds: 60,
  calendar: {
    country: "ZA",
    timeZone: "Africa/Johannesburg",
    eftCutoff: { hours: 15, minutes: 0 },
    eftSettlement: { hours: 6, minutes: 0 },
  },
};
