/** Payment timing: settlement by rail, the return window's edges, and return codes. */
import assert from "node:assert/strict";
import { ConflictError } from "../../domain/errors.ts";
import { assertReturnable, returnWindowEndsAt, settlesAtFor } from "../../domain/payment_timing.ts";
import { returnCodeFor, scheduledOutcome } from "../../domain/payments.ts";
import type { ClearingSettings } from "../../domain/pipeline.ts";

const CLEARING: ClearingSettings = {
  settlementSeconds: 60,
  calendar: {
    country: "ZA",
    timeZone: "Africa/Johannesburg",
    eftCutoff: { hours: 15, minutes: 0 },
    eftSettlement: { hours: 6, minutes: 0 },
  },
};

Deno.test("settlesAtFor: instant after the settlement delay even on a holiday; eft in a run", () => {
  const christmas = new Date("2026-12-25T08:00:00Z");
  assert.equal(
    settlesAtFor("instant", christmas, CLEARING).toISOString(),
    "2026-12-25T08:01:00.000Z",
  );
  assert.equal(settlesAtFor("eft", christmas, CLEARING).toISOString(), "2026-12-29T04:00:00.000Z");
});

Deno.test("assertReturnable: a settled outbound payment up to the window's end, not after", () => {
  const settledAt = new Date("2026-01-01T00:00:00Z");
  const endsAt = returnWindowEndsAt(settledAt, 60);
  assert.equal(endsAt.toISOString(), "2026-03-02T00:00:00.000Z");
  const settled = { status: "settled" as const, direction: "outbound" as const, settledAt };
  assertReturnable(settled, endsAt, 60);
  assert.throws(
    () => assertReturnable(settled, new Date(endsAt.getTime() + 1), 60),
    (error) => error instanceof ConflictError && error.code === "return_window_closed",
  );
});

Deno.test("assertReturnable: pending always; returned, rejected or inbound settled never", () => {
  assertReturnable({ status: "pending", direction: "inbound", settledAt: null }, new Date(0), 60);
  for (
    const payment of [
      { status: "returned" as const, direction: "outbound" as const, settledAt: null },
      { status: "rejected" as const, direction: "outbound" as const, settledAt: null },
      { status: "settled" as const, direction: "inbound" as const, settledAt: new Date(0) },
    ]
  ) {
    assert.throws(
      () => assertReturnable(payment, new Date(0), 60),
      (error) => error instanceof ConflictError && error.code === "payment_not_pending",
    );
  }
});

Deno.test("returnCodeFor maps every return reason to its ISO 20022 code", () => {
  assert.deepEqual(
    [
      "no_account",
      "account_closed",
      "blocked_account",
      "insufficient_funds",
      "authorization_revoked",
      "refund_requested",
      "balance_limit",
    ].map(returnCodeFor),
    ["AC01", "AC04", "AC06", "AM04", "MD01", "MD06", "MS03"],
  );
});

Deno.test("scheduledOutcome: 9999000005 returns blocked; 9999000006 only outbound returns later", () => {
  assert.deepEqual(scheduledOutcome("9999000005"), { kind: "return", reason: "blocked_account" });
  assert.equal(scheduledOutcome("9999000006", "outbound").kind, "settle_then_return");
  assert.equal(scheduledOutcome("9999000006", "inbound").kind, "settle");
});
