import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../config.ts";

Deno.test("loadConfig gives the documented defaults", () => {
  const config = loadConfig({});
  assert.equal(config.port, 8000);
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.accessTokenTtlSeconds, 900);
  assert.deepEqual(config.fraud, {
    maxTransferAmount: "150000",
    maxTransfers: 5,
    windowSeconds: 60,
    dailyOutflowLimit: undefined,
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
