/**
 * Calendar days in an IANA time zone: where a statement's period starts and ends. Pure: Intl's
 * time-zone database does the offsets (daylight saving included); no clock is read here.
 */
import { InvalidInputError } from "./errors.ts";

/** The bank's time zone when BANK_TIME_ZONE is not set. */
export const BANK_TIME_ZONE_DEFAULT = "Africa/Johannesburg";

/** True when `name` is an IANA time zone this runtime knows ("UTC" included). */
export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Checks a requested time zone; an unknown one is a 400 naming `field`. */
export function requireTimeZone(name: string, field = "time_zone"): string {
  if (!isTimeZone(name)) {
    throw new InvalidInputError(field, "must be an IANA time zone such as Africa/Johannesburg");
  }
  return name;
}

/** The calendar date (YYYY-MM-DD) of `instant` in `timeZone`. */
export function dateIn(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/**
 * The instant `date` (YYYY-MM-DD) begins in `timeZone`: its first moment there. Found by taking
 * the zone's offset at a first guess and correcting once more (a day that starts inside a
 * daylight-saving jump starts at the first moment that exists).
 */
export function startOfDay(date: string, timeZone: string): Date {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  let guess = utcMidnight - offsetMs(new Date(utcMidnight), timeZone);
  guess = utcMidnight - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

// How far `timeZone`'s wall clock runs ahead of UTC at `instant`, in ms.
function offsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    value("year"),
    value("month") - 1,
    value("day"),
    value("hour"),
    value("minute"),
    value("second"),
  );
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The day after `date` (YYYY-MM-DD), as a calendar date. */
export function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
