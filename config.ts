/** Configuration: the one reader of the environment, validated once at start-up. */
import { z } from "zod";
import { REGISTRATIONS_PER_CLIENT_MAX_DEFAULT } from "./domain/abuse_limits.ts";
import type { DatabasePooler } from "./db/client.ts";
import { databaseUrlProblem } from "./db/database_url.ts";
import { THRESHOLD_BASE_CURRENCY } from "./domain/fraud/mod.ts";
import { CURRENCIES, type Currency } from "./domain/money.ts";
import { BANK_TIME_ZONE_DEFAULT, isTimeZone } from "./domain/time_zones.ts";
import { type ClearingCalendar, type LocalTime, parseLocalTime } from "./domain/business_days.ts";
import { PAYMENT_RETURN_WINDOW_DAYS_DEFAULT } from "./domain/payment_timing.ts";
import { DEBIT_ORDER_DISPUTE_DAYS_DEFAULT } from "./domain/debit_orders.ts";
import { BANK_COUNTRIES } from "./domain/public_holidays.ts";

const durationPattern = /^(\d+)(ms|s|m|h)$/;

/** Parses "5s", "2m", "1h", "250ms" into milliseconds. */
export function parseDurationMs(text: string): number {
  const match = durationPattern.exec(text.trim());
  if (!match) throw new Error(`Invalid duration: ${text}`);
  const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[match[2] as "ms" | "s" | "m" | "h"];
  return Number(match[1]) * unitMs;
}

// A time of day in the bank's zone, "HH:MM" on the 24-hour clock.
const localTime = (fallback: string) =>
  z.string().default(fallback).refine(
    (text) => parseLocalTime(text) !== undefined,
    "must be a time of day as HH:MM (24-hour), such as 15:00",
  );

const positiveInt = (fallback: number, max = 2_147_483_647) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

// A money threshold in major units: positive, at most 13 digits before the point and 3 after.
const threshold = () =>
  z.string().regex(/^\d{1,13}(\.\d{1,3})?$/, "must be a decimal amount such as 150000")
    .refine((text) => /[1-9]/.test(text), "must be greater than zero");

// The fraud amounts set per currency other than ZAR (ZAR's figure is the plain variable), e.g.
// FRAUD_MAX_TRANSFER_AMOUNT_USD: no more decimals than the currency has, so nothing is dropped.
const FRAUD_OVERRIDE_PREFIXES = [
  "FRAUD_MAX_TRANSFER_AMOUNT_",
  "FRAUD_DAILY_OUTFLOW_LIMIT_",
] as const;
const OVERRIDE_CURRENCIES = CURRENCIES.filter((c) => c.code !== THRESHOLD_BASE_CURRENCY);

const currencyThreshold = (currency: Currency) =>
  threshold().refine(
    (text) => (text.split(".")[1] ?? "").length <= currency.exponent,
    `has more than ${currency.exponent} decimal places for ${currency.code}`,
  ).optional();

const overrideSchema = z.object(Object.fromEntries(
  FRAUD_OVERRIDE_PREFIXES.flatMap((prefix) =>
    OVERRIDE_CURRENCIES.map((currency) => [prefix + currency.code, currencyThreshold(currency)])
  ),
));

const envSchema = z.object({
  APP_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(8000),
  // One host, or a primary and its standbys (db/database_url.ts).
  DATABASE_URL: z.string().superRefine((text, context) => {
    const problem = databaseUrlProblem(text);
    if (problem) context.addIssue({ code: "custom", message: problem });
  }).optional(),
  // 10 recovers well from killed backends (the chaos suite); on the 2-core benchmark box 4 gives
  // more throughput (fewer SERIALIZABLE conflicts, BENCHMARKS.md). Size it to the database's cores.
  DATABASE_POOL_MAX: positiveInt(10, 200),
  // What sits between the app and PostgreSQL (db/client.ts DatabasePooler): `transaction` turns
  // prepared statements off, for PgBouncer <= 1.20 in transaction mode.
  DATABASE_POOLER: z.enum(["none", "session", "transaction"]).default("none"),
  DATA_DIR: z.string().min(1).default("data/pglite"),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt(900, 86_400 * 30),
  // The dashboard's session: ended by 15 minutes without a request, and 8 hours after sign-in
  // whatever the activity (OWASP's session guidance for a high-value application).
  SESSION_IDLE_SECONDS: positiveInt(900, 86_400),
  SESSION_MAX_SECONDS: positiveInt(28_800, 86_400 * 30),
  FRAUD_MAX_TRANSFER_AMOUNT: threshold().default("150000"),
  FRAUD_MAX_TRANSFERS: positiveInt(5, 1_000_000),
  FRAUD_WINDOW_SECONDS: positiveInt(60, 86_400 * 31),
  // `off` drops the velocity rule (and its ledger read): for measuring a hot account's ceiling
  // (BENCHMARKS.md), never a sandbox's default.
  FRAUD_VELOCITY_RULE: z.enum(["on", "off"]).default("on"),
  FRAUD_DAILY_OUTFLOW_LIMIT: threshold().optional(),
  PAYMENT_SETTLEMENT_SECONDS: positiveInt(60, 86_400 * 31),
  // How long a pending card authorization (and its hold) lasts on the sandbox clock.
  CARD_AUTHORIZATION_DAYS: positiveInt(7, 31),
  // The clearing calendar (domain/business_days.ts): whose public holidays, in which zone, and
  // the EFT cut-off and clearing-run times there.
  BANK_COUNTRY: z.enum(BANK_COUNTRIES).default("ZA"),
  EFT_CUTOFF_TIME: localTime("15:00"),
  EFT_SETTLEMENT_TIME: localTime("06:00"),
  PAYMENT_RETURN_WINDOW_DAYS: positiveInt(PAYMENT_RETURN_WINDOW_DAYS_DEFAULT, 3_650),
  // FX quotes (domain/fx_quotes.ts): the spread under the mid rate, and how long a quote lasts.
  FX_SPREAD_BPS: z.coerce.number().int().min(0).max(5_000).default(50),
  FX_QUOTE_SECONDS: positiveInt(60, 86_400),
  DEBIT_ORDER_DISPUTE_DAYS: positiveInt(DEBIT_ORDER_DISPUTE_DAYS_DEFAULT, 3_650),
  // GET /events/stream (routes/events/stream.ts): how often a stream asks the database for new
  // events, how long a quiet stream goes between heartbeats, and how many one user may hold open.
  EVENT_STREAM_POLL_MS: positiveInt(500, 60_000),
  EVENT_STREAM_HEARTBEAT_SECONDS: positiveInt(15, 3_600),
  EVENT_STREAMS_PER_USER_MAX: positiveInt(5, 1_000),
  WEBHOOK_RETRY_SCHEDULE: z.string().default("5s,30s,2m,10m,1h").refine(
    (text) => text.split(",").every((part) => durationPattern.test(part.trim())),
    "must be a comma-separated list of durations such as 5s,30s,2m",
  ),
  PASSWORD_HASH_MEMORY_KIB: positiveInt(19_456, 1_048_576),
  PASSWORD_HASH_ITERATIONS: positiveInt(2, 100),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // Registrations one client address may make per hour (domain/abuse_limits.ts).
  REGISTRATIONS_PER_CLIENT_MAX: positiveInt(REGISTRATIONS_PER_CLIENT_MAX_DEFAULT, 1_000_000),
  // Webhooks to loopback/private addresses: off unless set, whatever APP_ENV says (`deno task
  // dev` sets it so a receiver on localhost works). A forgotten variable fails closed.
  WEBHOOK_ALLOW_PRIVATE: z.enum(["true", "false"]).default("false"),
  // The URL /openapi.json names as its server; without it the document says "/" (relative).
  PUBLIC_URL: z.string().url().refine(
    (text) => /^https?:$/.test(new URL(text).protocol),
    "must be an http or https URL",
  ).optional(),
  // The bank's time zone: statement days (and the EFT calendar) run midnight to midnight here.
  BANK_TIME_ZONE: z.string().default(BANK_TIME_ZONE_DEFAULT).refine(
    isTimeZone,
    "must be an IANA time zone such as Africa/Johannesburg",
  ),
  // Unset: on, except on Deno Deploy, which stops idle isolates and runs the jobs by Deno.cron.
  BACKGROUND_TIMERS: z.enum(["on", "off"]).optional(),
});

/** Every environment variable the configuration reads (the README's table lists each). */
export const CONFIG_VARIABLES: readonly string[] = [
  ...Object.keys(envSchema.shape),
  ...Object.keys(overrideSchema.shape),
  "DENO_DEPLOYMENT_ID",
];

/** The sandbox's configuration, after validation. */
export interface Config {
  env: "development" | "test" | "production";
  port: number;
  databaseUrl: string | undefined;
  databasePoolMax: number;
  databasePooler: DatabasePooler;
  dataDir: string;
  jwtSecret: string;
  /** True when no JWT_SECRET was given and a random one was made for this process. */
  jwtSecretGenerated: boolean;
  accessTokenTtlSeconds: number;
  /** The dashboard session: idle time before it ends, and its absolute cap from sign-in. */
  session: { idleSeconds: number; maxSeconds: number };
  fraud: FraudConfig;
  paymentSettlementSeconds: number;
  /** Sandbox-clock days a pending card authorization lasts. */
  cardAuthorizationDays: number;
  /** BANK_COUNTRY, BANK_TIME_ZONE, EFT_CUTOFF_TIME and EFT_SETTLEMENT_TIME. */
  clearingCalendar: ClearingCalendar;
  /** Days after settling that a payment may still be returned. */
  paymentReturnWindowDays: number;
  /** FX quotes: basis points under the mid rate, and seconds a quote stays valid (sandbox clock). */
  fx: { spreadBps: number; quoteSeconds: number };
  /** Days after collection that a debit order may be disputed (DEBIT_ORDER_DISPUTE_DAYS). */
  debitOrderDisputeDays: number;
  webhookRetryScheduleMs: number[];
  eventStream: { pollMs: number; heartbeatMs: number; perUserMax: number };
  passwordHash: { memoryKib: number; iterations: number };
  logLevel: "debug" | "info" | "warn" | "error";
  /** Registrations one client address may make per hour. */
  registrationsPerClientMax: number;
  /** True when webhooks may go to loopback, private and other non-global addresses. */
  webhookAllowPrivate: boolean;
  /** The public URL the OpenAPI document names as its server; undefined means relative "/". */
  publicUrl: string | undefined;
  /** True on Deno Deploy (DENO_DEPLOYMENT_ID set): no migrations at start-up, no job timers. */
  deployed: boolean;
  /** Whether in-process timers drive the background jobs too (Deno.cron always does). */
  backgroundTimers: boolean;
  /** The bank's IANA time zone (BANK_TIME_ZONE): statement periods' days by default. */
  bankTimeZone: string;
}

/**
 * Thresholds of the fraud rules; amounts are decimal text in ZAR, with the figures configured for
 * other currencies by code (the rest take the ZAR figure's equivalent at the sandbox's FX table).
 */
export interface FraudConfig {
  maxTransferAmount: string;
  maxTransferAmountByCurrency: Record<string, string>;
  maxTransfers: number;
  windowSeconds: number;
  /** False when FRAUD_VELOCITY_RULE=off: no velocity rule at all. */
  velocityRule: boolean;
  dailyOutflowLimit: string | undefined;
  dailyOutflowLimitByCurrency: Record<string, string>;
}

/** Raised when the environment is invalid: the message lists every bad variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Validates `env` (Deno.env by default) into a Config, or throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = Deno.env.toObject()): Config {
  const parsed = envSchema.safeParse(env);
  const overrides = overrideSchema.safeParse(env);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues),
    ...(overrides.success ? [] : overrides.error.issues),
  ].map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  problems.push(...unknownFraudOverrides(env));
  if (!parsed.success || !overrides.success || problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.join("\n")}`);
  }
  const values = parsed.data;
  const fraud = fraudConfig(values, overrides.data);
  // Deno Deploy sets DENO_DEPLOYMENT_ID: a deployed sandbox is production whatever APP_ENV says.
  const deployed = Boolean(env.DENO_DEPLOYMENT_ID);
  const production = values.APP_ENV === "production" || deployed;
  if (production && !values.JWT_SECRET) {
    throw new ConfigError("Invalid configuration:\n  JWT_SECRET: required in production");
  }
  // The embedded database lives in one process's files: instances would each have their own
  // bank, and a serverless platform has no disk to keep it on.
  if (production && !values.DATABASE_URL) {
    throw new ConfigError(
      "Invalid configuration:\n  DATABASE_URL: required in production (the embedded database is for local use)",
    );
  }
  return {
    env: production ? "production" : values.APP_ENV,
    port: values.PORT,
    databaseUrl: values.DATABASE_URL,
    databasePoolMax: values.DATABASE_POOL_MAX,
    databasePooler: values.DATABASE_POOLER,
    dataDir: values.DATA_DIR,
    jwtSecret: values.JWT_SECRET ?? randomSecret(),
    jwtSecretGenerated: !values.JWT_SECRET,
    accessTokenTtlSeconds: values.ACCESS_TOKEN_TTL_SECONDS,
    session: { idleSeconds: values.SESSION_IDLE_SECONDS, maxSeconds: values.SESSION_MAX_SECONDS },
    fraud,
    paymentSettlementSeconds: values.PAYMENT_SETTLEMENT_SECONDS,
    cardAuthorizationDays: values.CARD_AUTHORIZATION_DAYS,
    clearingCalendar: {
      country: values.BANK_COUNTRY,
      timeZone: values.BANK_TIME_ZONE,
      eftCutoff: timeOf(values.EFT_CUTOFF_TIME),
      eftSettlement: timeOf(values.EFT_SETTLEMENT_TIME),
    },
    paymentReturnWindowDays: values.PAYMENT_RETURN_WINDOW_DAYS,
    fx: { spreadBps: values.FX_SPREAD_BPS, quoteSeconds: values.FX_QUOTE_SECONDS },
    debitOrderDisputeDays: values.DEBIT_ORDER_DISPUTE_DAYS,
    webhookRetryScheduleMs: values.WEBHOOK_RETRY_SCHEDULE.split(",").map(parseDurationMs),
    eventStream: {
      pollMs: values.EVENT_STREAM_POLL_MS,
      heartbeatMs: values.EVENT_STREAM_HEARTBEAT_SECONDS * 1000,
      perUserMax: values.EVENT_STREAMS_PER_USER_MAX,
    },
    passwordHash: {
      memoryKib: values.PASSWORD_HASH_MEMORY_KIB,
      iterations: values.PASSWORD_HASH_ITERATIONS,
    },
    logLevel: values.LOG_LEVEL,
    registrationsPerClientMax: values.REGISTRATIONS_PER_CLIENT_MAX,
    webhookAllowPrivate: values.WEBHOOK_ALLOW_PRIVATE === "true",
    publicUrl: values.PUBLIC_URL?.replace(/\/+$/, ""),
    deployed,
    backgroundTimers: (values.BACKGROUND_TIMERS ?? (deployed ? "off" : "on")) === "on",
    bankTimeZone: values.BANK_TIME_ZONE,
  };
}

// The fraud thresholds: ZAR figures, and the figures configured for other currencies by code.
function fraudConfig(
  values: z.infer<typeof envSchema>,
  overrides: Record<string, string | undefined>,
): FraudConfig {
  const byCurrency = (prefix: string) =>
    Object.fromEntries(
      OVERRIDE_CURRENCIES.flatMap((currency) => {
        const text = overrides[prefix + currency.code];
        return text === undefined ? [] : [[currency.code, text]];
      }),
    );
  const dailyOutflowLimitByCurrency = byCurrency("FRAUD_DAILY_OUTFLOW_LIMIT_");
  if (!values.FRAUD_DAILY_OUTFLOW_LIMIT && Object.keys(dailyOutflowLimitByCurrency).length > 0) {
    throw new ConfigError(
      "Invalid configuration:\n  FRAUD_DAILY_OUTFLOW_LIMIT: required when a " +
        "FRAUD_DAILY_OUTFLOW_LIMIT_<currency> is set (the rule is off without it)",
    );
  }
  return {
    maxTransferAmount: values.FRAUD_MAX_TRANSFER_AMOUNT,
    maxTransferAmountByCurrency: byCurrency("FRAUD_MAX_TRANSFER_AMOUNT_"),
    maxTransfers: values.FRAUD_MAX_TRANSFERS,
    windowSeconds: values.FRAUD_WINDOW_SECONDS,
    velocityRule: values.FRAUD_VELOCITY_RULE === "on",
    dailyOutflowLimit: values.FRAUD_DAILY_OUTFLOW_LIMIT,
    dailyOutflowLimitByCurrency,
  };
}

// A misspelt or unsupported per-currency override would otherwise be ignored without a word.
function unknownFraudOverrides(env: Record<string, string | undefined>): string[] {
  const known = new Set(Object.keys(overrideSchema.shape));
  return Object.keys(env)
    .filter((name) => FRAUD_OVERRIDE_PREFIXES.some((prefix) => name.startsWith(prefix)))
    .filter((name) => !known.has(name))
    .map((name) =>
      `  ${name}: not a supported currency other than ${THRESHOLD_BASE_CURRENCY} ` +
      `(the ${THRESHOLD_BASE_CURRENCY} figure is the variable without a suffix)`
    );
}

// A time the schema has already checked.
function timeOf(text: string): LocalTime {
  const time = parseLocalTime(text);
  if (!time) throw new ConfigError(`Invalid configuration:\n  ${text}: not a time of day`);
  return time;
}

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
