/**
 * The clearing calendar: business days of BANK_COUNTRY in BANK_TIME_ZONE, the EFT cut-off and the
 * clearing run's settlement time, and when a payment on each rail settles. Pure: every instant is
 * given (the owner's sandbox time); the zone arithmetic uses Intl, never the wall clock.
 */
import { addDays, type BankCountry, holidayOn, weekday } from "./public_holidays.ts";

/** A time of day in the bank's zone, as configured ("15:00"). */
export interface LocalTime {
  hours: number;
  minutes: number;
}

/** The bank's clearing calendar. */
export interface ClearingCalendar {
  country: BankCountry;
  timeZone: string;
  /** An EFT created at or after this local time misses the day's clearing submission. */
  eftCutoff: LocalTime;
  /** The local time of each business day's clearing run, when EFTs settle. */
  eftSettlement: LocalTime;
}

/** Days one calendar query may span (GET /clearing/calendar), both ends included. */
export const CALENDAR_DAYS_MAX = 366;

/** Parses "HH:MM" (24-hour) into a LocalTime, or undefined when it is not one. */
export function parseLocalTime(text: string): LocalTime | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? { hours: Number(match[1]), minutes: Number(match[2]) } : undefined;
}

/** True when the zone is one Intl knows (an IANA name such as Africa/Johannesburg). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** True on a weekday (Monday to Friday) that is not a public holiday of the bank's country. */
export function isBusinessDay(calendar: ClearingCalendar, date: string): boolean {
  const day = weekday(date);
  return day !== 0 && day !== 6 && holidayOn(calendar.country, date) === undefined;
}

/** The `count`-th business day strictly after `date` (count ≥ 1). */
export function businessDayAfter(calendar: ClearingCalendar, date: string, count = 1): string {
  let day = date;
  for (let found = 0; found < count;) {
    day = addDays(day, 1);
    if (isBusinessDay(calendar, day)) found++;
  }
  return day;
}

/**
 * When an EFT created at `createdAt` settles: in the clearing run of the next business day; one
 * business day later when it was created on a day that is not a business day, or at or after the
 * cut-off (15:00:00 exactly is already late: the cut-off is the first moment that misses the run).
 */
export function eftSettlesAt(calendar: ClearingCalendar, createdAt: Date): Date {
  const local = localParts(createdAt, calendar.timeZone);
  const cutoffMinutes = calendar.eftCutoff.hours * 60 + calendar.eftCutoff.minutes;
  const onTime = isBusinessDay(calendar, local.date) &&
    local.secondsOfDay < cutoffMinutes * 60;
  const day = businessDayAfter(calendar, local.date, onTime ? 1 : 2);
  return zonedInstant(day, calendar.eftSettlement, calendar.timeZone);
}

/** The clearing run `count` business days after the local date of `at`. */
export function clearingRunAfter(calendar: ClearingCalendar, at: Date, count: number): Date {
  const day = businessDayAfter(calendar, localParts(at, calendar.timeZone).date, count);
  return zonedInstant(day, calendar.eftSettlement, calendar.timeZone);
}

/** One day of the clearing calendar, as GET /clearing/calendar lists it. */
export interface CalendarDay {
  date: string;
  businessDay: boolean;
  holiday: string | undefined;
  /** On a business day: when the day's EFT cut-off falls, and when its clearing run settles. */
  cutoffAt: Date | null;
  settlementAt: Date | null;
}

/** The calendar's days from `from` to `to` (both `YYYY-MM-DD`, included). */
export function calendarDays(calendar: ClearingCalendar, from: string, to: string): CalendarDay[] {
  const days: CalendarDay[] = [];
  for (let date = from; date <= to && days.length < CALENDAR_DAYS_MAX; date = addDays(date, 1)) {
    const businessDay = isBusinessDay(calendar, date);
    days.push({
      date,
      businessDay,
      holiday: holidayOn(calendar.country, date),
      cutoffAt: businessDay ? zonedInstant(date, calendar.eftCutoff, calendar.timeZone) : null,
      settlementAt: businessDay
        ? zonedInstant(date, calendar.eftSettlement, calendar.timeZone)
        : null,
    });
  }
  return days;
}

/** The local date in the bank's zone of an instant. */
export function localDate(at: Date, timeZone: string): string {
  return localParts(at, timeZone).date;
}

// One formatter per zone: building one costs far more than formatting with it.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

// The wall-clock date and time of `at` in `timeZone`.
function localParts(at: Date, timeZone: string): { date: string; secondsOfDay: number } {
  const parts = Object.fromEntries(
    formatterOf(timeZone).formatToParts(at).map((part) => [part.type, part.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    secondsOfDay: Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second),
  };
}

// How far the zone's wall clock is ahead of UTC at `ms`, in milliseconds.
function offsetMs(ms: number, timeZone: string): number {
  const { date, secondsOfDay } = localParts(new Date(ms), timeZone);
  const wall = Date.parse(`${date}T00:00:00Z`) + secondsOfDay * 1000;
  return wall - (ms - (ms % 1000 + 1000) % 1000);
}

/**
 * The instant at which the zone's clocks read `time` on `date`. The offset is taken at a first
 * guess and again at the answer, which settles it across a daylight-saving change.
 */
export function zonedInstant(date: string, time: LocalTime, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + (time.hours * 60 + time.minutes) * 60_000;
  const first = wall - offsetMs(wall, timeZone);
  return new Date(wall - offsetMs(first, timeZone));
}
