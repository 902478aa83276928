/**
 * Cards: their lifecycle, their numbers and their JSON. The bank never keeps a full card number:
 * one is generated (a test BIN, Luhn-valid) only so that its last four digits are those of a
 * real-looking card, and it goes no further than the function that makes it.
 */
import { ConflictError } from "./errors.ts";

/** A card's life: active, frozen (authorizations decline) or cancelled (for good). */
export const CARD_STATUSES = ["active", "frozen", "cancelled"] as const;
export type CardStatus = typeof CARD_STATUSES[number];

/** The issuer identification number of the sandbox's cards: Visa's documented test range. */
export const CARD_TEST_BIN = "400000";
/** The length of a card number. */
export const CARD_NUMBER_DIGITS = 16;
/** How long a card is valid, in years from issue. */
export const CARD_VALID_YEARS = 3;
/** The longest name printed on a card. */
export const NAME_ON_CARD_CHARS_MAX = 100;

/** A card as stored. */
export interface CardView {
  id: string;
  userId: string;
  accountId: string;
  last4: string;
  expMonth: number;
  expYear: number;
  nameOnCard: string | null;
  status: CardStatus;
  createdAt: Date;
}

/** The Luhn check digit for `payload` (all digits but the last). */
export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    // Doubled are every second digit counting leftwards from the one next to the check digit.
    let digit = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `number` passes the Luhn check. */
export function luhnValid(number: string): boolean {
  if (!/^[0-9]{2,}$/.test(number)) return false;
  return luhnCheckDigit(number.slice(0, -1)) === Number(number.at(-1));
}

/**
 * A card number from the test BIN and `random` digits (as many as the number lacks, 9), with its
 * Luhn check digit. Randomness comes from the caller, so this stays pure.
 */
export function cardNumberFrom(random: string): string {
  const needed = CARD_NUMBER_DIGITS - CARD_TEST_BIN.length - 1;
  if (!new RegExp(`^[0-9]{${needed}}$`).test(random)) {
    throw new Error(`A card number needs ${needed} random digits`);
  }
  const payload = CARD_TEST_BIN + random;
  return payload + String(luhnCheckDigit(payload));
}

/** The last four digits of a card number: all the bank keeps of it. */
export function last4Of(number: string): string {
  return number.slice(-4);
}

/** A card issued at `now` (the owner's clock) expires at the end of this month and year. */
export function cardExpiry(now: Date): { expMonth: number; expYear: number } {
  return { expMonth: now.getUTCMonth() + 1, expYear: now.getUTCFullYear() + CARD_VALID_YEARS };
}

/** What each lifecycle action asks for, and the states it may come from. */
const TRANSITIONS = {
  freeze: { to: "frozen", from: ["active", "frozen"] },
  unfreeze: { to: "active", from: ["active", "frozen"] },
  cancel: { to: "cancelled", from: ["active", "frozen", "cancelled"] },
} as const;
export type CardAction = keyof typeof TRANSITIONS;

/**
 * The status a card moves to: freezing a frozen card (or unfreezing an active one) changes
 * nothing and answers the card; a cancelled card is cancelled for good (409 card_cancelled).
 */
export function nextCardStatus(current: CardStatus, action: CardAction): CardStatus {
  const { to, from } = TRANSITIONS[action];
  if (!(from as readonly CardStatus[]).includes(current)) {
    throw new ConflictError("card_cancelled", `Cannot ${action} the card: it is cancelled`);
  }
  return to;
}

/** A card as JSON (API bodies and event payloads): never more of its number than the last four. */
export function cardJson(card: CardView) {
  return {
    id: card.id,
    account_id: card.accountId,
    last4: card.last4,
    exp_month: card.expMonth,
    exp_year: card.expYear,
    name_on_card: card.nameOnCard,
    status: card.status,
    created_at: card.createdAt.toISOString(),
  };
}
