/**
 * Public holidays, per country the sandbox's clearing calendar knows. Dates are `YYYY-MM-DD` in the
 * country's own calendar. Easter comes from `date-easter` (by the author of `date-holidays`, whose
 * ZA data these rules follow); `date-holidays` itself weighs 78.7 MB installed with its
 * astronomical and moment dependencies, over the runtime budget (tools/runtime_deps_size.ts), so
 * the one country's rules are kept here, short enough to read against the law that sets them.
 */
import { gregorianEaster } from "date-easter";

/** The countries whose public holidays the sandbox knows (BANK_COUNTRY). */
export const BANK_COUNTRIES = ["ZA"] as const;
export type BankCountry = typeof BANK_COUNTRIES[number];

/** A year's public holidays: date → name. */
export type HolidayTable = ReadonlyMap<string, string>;

// South Africa, Public Holidays Act 36 of 1994, Schedule 1 (month-day → name).
const ZA_FIXED: readonly [string, string][] = [
  ["01-01", "New Year's Day"],
  ["03-21", "Human Rights Day"],
  ["04-27", "Freedom Day"],
  ["05-01", "Workers' Day"],
  ["06-16", "Youth Day"],
  ["08-09", "National Women's Day"],
  ["09-24", "Heritage Day"],
  ["12-16", "Day of Reconciliation"],
  ["12-25", "Christmas Day"],
  ["12-26", "Day of Goodwill"],
];

// Days the President declared under section 2A of the Act, one at a time.
const ZA_DECLARED: readonly [string, string][] = [
  ["2023-12-15", "Rugby World Cup Win Public Holiday"],
  ["2024-05-29", "Voting Day"],
];

/** The year's public holidays in South Africa, the Monday-after rule (section 2(1)) applied. */
export function southAfricanHolidays(year: number): HolidayTable {
  const days = new Map<string, string>();
  for (const [monthDay, name] of ZA_FIXED) days.set(`${pad(year, 4)}-${monthDay}`, name);
  const easter = gregorianEaster(year);
  const easterDay = isoDate(Date.UTC(year, easter.month - 1, easter.day));
  days.set(addDays(easterDay, -2), "Good Friday");
  days.set(addDays(easterDay, 1), "Family Day");
  // "Whenever any public holiday falls on a Sunday, the Monday following on it shall be a public
  // holiday": a Monday that already is one (26 December after a Sunday Christmas) adds nothing.
  for (const [date, name] of [...days]) {
    const monday = addDays(date, 1);
    if (weekday(date) === 0 && !days.has(monday)) days.set(monday, `${name} (observed)`);
  }
  for (const [date, name] of ZA_DECLARED) {
    if (date.startsWith(`${pad(year, 4)}-`)) days.set(date, name);
  }
  return days;
}

const RULES: Readonly<Record<BankCountry, (year: number) => HolidayTable>> = {
  ZA: southAfricanHolidays,
};

// Tables already worked out, per country and year (a calendar query touches a few years at most).
const tables = new Map<string, HolidayTable>();

/** The name of the public holiday on `date` in `country`, or undefined on an ordinary day. */
export function holidayOn(country: BankCountry, date: string): string | undefined {
  const year = Number(date.slice(0, 4));
  const key = `${country}:${year}`;
  let table = tables.get(key);
  if (!table) {
    table = RULES[country](year);
    tables.set(key, table);
  }
  return table.get(date);
}

/** `YYYY-MM-DD` of a UTC millisecond time. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The date `days` after (or before, when negative) a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  return isoDate(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000);
}

/** Day of the week of a `YYYY-MM-DD` date: 0 Sunday … 6 Saturday. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}
