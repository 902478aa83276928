/** Voiding a hold, and its expiry when its time comes: what it reserved is available again. */
import { ConflictError } from "../errors.ts";
import { reservedBy } from "../holds.ts";
import type {
  HoldExpireCommand,
  HoldReleaseResult,
  HoldState,
  HoldVoidCommand,
  Plan,
  PlanInput,
} from "../pipeline.ts";
import { activeHold, expirePlan, holdEvent, notActive } from "./hold_rows.ts";
import { emptyPlan } from "./rows.ts";

/** Plans a void: an active hold is released now; one past its expiry is expired and answers 409. */
export function planHoldVoid(input: PlanInput<HoldVoidCommand>): Plan<HoldReleaseResult> {
  const hold = activeHold(input, "void");
  if (hold.expiresAt <= input.now) {
    return expirePlan(
      hold,
      (expired) => ({ hold: expired, conflict: notActive("void", "expired") }),
    );
  }
  const voided: HoldState = { ...hold, status: "voided", closedAt: input.now };
  return {
    ...emptyPlan({ hold: voided }),
    held: [{ accountId: hold.accountId, delta: -reservedBy(hold) }],
    holds: [voided],
    events: [holdEvent("hold.voided", voided, input.now)],
  };
}

/** Plans an expiry: only of an active hold whose expiry has come on its owner's clock. */
export function planHoldExpiry(input: PlanInput<HoldExpireCommand>): Plan<HoldReleaseResult> {
  const hold = activeHold(input, "expire");
  if (hold.expiresAt > input.now) {
    throw new ConflictError("hold_not_due", "Cannot expire the hold: its expiry has not come");
  }
  return expirePlan(hold, (expired) => ({ hold: expired }));
}
