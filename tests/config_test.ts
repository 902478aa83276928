import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../config.ts";

Deno.test("loadConfig gives the documented defaults", () => {
  const config = loadConfig({});
  assert.equal(config.port, 8000);
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.accessTokenTtlSeconds, 900);
  assert.deepEqual(config.fraud, {
    maxTransferAmount: "150000",
    maxTransferAmountByCurrency: {},
    maxTransfers: 5,
    windowSeconds: 60,
    velocityRule: true,
    dailyOutflowLimit: undefined,
    dailyOutflowLimitByCurrency: {},
  });
  assert.equal(config.paymentSettlementSeconds, 60);
  assert.deepEqual(config.webhookRetryScheduleMs, [5_000, 30_000, 120_000, 600_000, 3_600_000]);
});

Deno.test("loadConfig makes a random JWT secret in development and says so", () => {
  const first = loadConfig({});
  const second = loadConfig({});
  assert.equal(first.jwtSecretGenerated, true);
  assert.notEqual(first.jwtSecret, second.jwtSecret);
  assert.ok(first.jwtSecret.length >= 32);
});

Deno.test("loadConfig refuses production without JWT_SECRET", () => {
  assert.throws(() => loadConfig({ APP_ENV: "production" }), (error: Error) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /JWT_SECRET: required in production/);
    return true;
  });
});

Deno.test("loadConfig treats Deno Deploy as production", () => {
  assert.throws(() => loadConfig({ DENO_DEPLOYMENT_ID: "abc" }), ConfigError);
});

Deno.test("loadConfig lists every invalid variable in one message", () => {
  assert.throws(
    () => loadConfig({ PORT: "eighty", FRAUD_MAX_TRANSFERS: "-1", JWT_SECRET: "short" }),
    (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /PORT/);
      assert.match(error.message, /FRAUD_MAX_TRANSFERS/);
      assert.match(error.message, /JWT_SECRET/);
      assert.doesNotMatch(error.message, /short/);
      return true;
    },
  );
});

Deno.test("loadConfig refuses a zero fraud threshold", () => {
  assert.throws(() => loadConfig({ FRAUD_MAX_TRANSFER_AMOUNT: "0.00" }), /greater than zero/);
});

Deno.test("loadConfig reads fraud amounts per currency beside the ZAR figure", () => {
  const config = loadConfig({
    FRAUD_MAX_TRANSFER_AMOUNT_USD: "10000",
    FRAUD_MAX_TRANSFER_AMOUNT_KWD: "3000.125",
    FRAUD_DAILY_OUTFLOW_LIMIT: "50000",
    FRAUD_DAILY_OUTFLOW_LIMIT_JPY: "400000",
  });
  assert.equal(config.fraud.maxTransferAmount, "150000");
  assert.deepEqual(config.fraud.maxTransferAmountByCurrency, { USD: "10000", KWD: "3000.125" });
  assert.deepEqual(config.fraud.dailyOutflowLimitByCurrency, { JPY: "400000" });
});

Deno.test("loadConfig refuses a per-currency fraud amount finer than the currency's minor unit", () => {
  assert.throws(
    () =>
      loadConfig({ FRAUD_MAX_TRANSFER_AMOUNT_JPY: "100.5", FRAUD_MAX_TRANSFER_AMOUNT_USD: "0" }),
    (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /FRAUD_MAX_TRANSFER_AMOUNT_JPY: has more than 0 decimal places/);
      assert.match(error.message, /FRAUD_MAX_TRANSFER_AMOUNT_USD: must be greater than zero/);
      return true;
    },
  );
});

Deno.test("loadConfig refuses a fraud override for ZAR or an unsupported currency, not ignoring it", () => {
  assert.throws(
    () => loadConfig({ FRAUD_MAX_TRANSFER_AMOUNT_ZAR: "1", FRAUD_DAILY_OUTFLOW_LIMIT_XYZ: "1" }),
    (error: Error) => {
      assert.match(error.message, /FRAUD_MAX_TRANSFER_AMOUNT_ZAR: not a supported currency/);
      assert.match(error.message, /FRAUD_DAILY_OUTFLOW_LIMIT_XYZ: not a supported currency/);
      return true;
    },
  );
});

Deno.test("loadConfig refuses a per-currency daily cap while the daily rule is off", () => {
  assert.throws(
    () => loadConfig({ FRAUD_DAILY_OUTFLOW_LIMIT_USD: "100" }),
    /FRAUD_DAILY_OUTFLOW_LIMIT: required when a FRAUD_DAILY_OUTFLOW_LIMIT_<currency> is set/,
  );
});

Deno.test("loadConfig reads the pooler in front of PostgreSQL, none by default", () => {
  assert.equal(loadConfig({}).databasePooler, "none");
  assert.equal(loadConfig({ DATABASE_POOLER: "transaction" }).databasePooler, "transaction");
  assert.equal(loadConfig({ DATABASE_POOLER: "session" }).databasePooler, "session");
  assert.throws(() => loadConfig({ DATABASE_POOLER: "pgbouncer" }), ConfigError);
});

Deno.test("loadConfig gives the payment rails' defaults", () => {
  const config = loadConfig({});
  assert.deepEqual(config.clearingCalendar, {
    country: "ZA",
    timeZone: "Africa/Johannesburg",
    eftCutoff: { hours: 15, minutes: 0 },
    eftSettlement: { hours: 6, minutes: 0 },
  });
  assert.equal(config.paymentReturnWindowDays, 60);
  assert.equal(config.debitOrderDisputeDays, 40);
  const set = loadConfig({ EFT_CUTOFF_TIME: "16:30", BANK_TIME_ZONE: "Europe/London" });
  assert.deepEqual(set.clearingCalendar.eftCutoff, { hours: 16, minutes: 30 });
  assert.equal(set.clearingCalendar.timeZone, "Europe/London");
});

Deno.test("loadConfig names each bad payment-rails setting", () => {
  assert.throws(
    () =>
      loadConfig({
        BANK_COUNTRY: "XX",
        BANK_TIME_ZONE: "Mars/Olympus_Mons",
        EFT_CUTOFF_TIME: "3pm",
        EFT_SETTLEMENT_TIME: "25:00",
        PAYMENT_RETURN_WINDOW_DAYS: "0",
      }),
    (error: Error) => {
      assert.ok(error instanceof ConfigError);
      for (
        const name of [
          "BANK_COUNTRY",
          "BANK_TIME_ZONE",
          "EFT_CUTOFF_TIME",
          "EFT_SETTLEMENT_TIME",
          "PAYMENT_RETURN_WINDOW_DAYS",
        ]
      ) {
        assert.match(error.message, new RegExp(`${name}:`));
      }
      return true;
    },
  );
});

Deno.test("loadConfig takes a DATABASE_URL naming a primary and its standbys with target_session_attrs=primary", () => {
  const url = "postgres://bank@db1:5432,db2:5433,[::1]:5434/bank?target_session_attrs=primary";
  assert.equal(loadConfig({ DATABASE_URL: url }).databaseUrl, url);
  const single = "postgresql://bank:secret@db.example.com/bank?sslmode=require";
  assert.equal(loadConfig({ DATABASE_URL: single }).databaseUrl, single);
});

Deno.test("loadConfig refuses several hosts without target_session_attrs=primary (read-write reaches a standby)", () => {
  for (const attrs of ["", "?target_session_attrs=read-write", "?target_session_attrs=any"]) {
    assert.throws(
      () => loadConfig({ DATABASE_URL: `postgres://bank@db1:5432,db2:5432/bank${attrs}` }),
      /DATABASE_URL: names several hosts, so it needs target_session_attrs=primary/,
    );
  }
});

Deno.test("loadConfig refuses a DATABASE_URL that is not a PostgreSQL URL", () => {
  for (const url of ["http://db/bank", "postgres://bank@db1:5432,/bank", "postgres://db:port/x"]) {
    assert.throws(() => loadConfig({ DATABASE_URL: url }), /DATABASE_URL: must/, url);
  }
});
