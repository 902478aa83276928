/** What the hold planners share: finding the user's active hold, and expiring it. */
import { ConflictError, NotFoundError } from "../errors.ts";
import { holdJson, reservedBy } from "../holds.ts";
import type { HoldState, Plan, PlanInput, PlannedEvent } from "../pipeline.ts";
import type { HoldCaptureCommand, HoldReleaseCommand } from "../pipeline.ts";
import { emptyPlan } from "./rows.ts";

/** The user's hold named by the command, still active; another user's is a 404. */
export function activeHold(
  input: PlanInput<HoldCaptureCommand | HoldReleaseCommand>,
  verb: string,
): HoldState {
  const hold = input.hold(input.command.holdId);
  if (!hold || hold.userId !== input.command.userId) throw new NotFoundError("Hold");
  if (hold.status !== "active") throw notActive(verb, hold.status);
  if (hold.source === "card") {
    // Its authorization releases, captures and expires it: acting on the hold alone would part them.
    throw new ConflictError(
      "hold_managed_by_card",
      `Cannot ${verb} the hold: it belongs to a card authorization; act on the authorization`,
    );
  }
  return hold;
}

/** The 409 for acting on a hold that is no longer active. */
export function notActive(verb: string, status: string): ConflictError {
  return new ConflictError("hold_not_active", `Cannot ${verb} the hold: it is ${status}`);
}

/** A hold event dated `at`. */
export function holdEvent(type: string, hold: HoldState, at: Date): PlannedEvent {
  return { userId: hold.userId, type, object: holdJson(hold), createdAt: at };
}

/**
 * The hold expired at its own expiry time, releasing what it reserved. A capture or void that
 * finds it past expiry records the expiry (the clock has moved on) and answers 409.
 */
export function expirePlan<R>(
  hold: HoldState,
  result: (expired: HoldState) => R,
): Plan<R> {
  const expired: HoldState = { ...hold, status: "expired", closedAt: hold.expiresAt };
  return {
    ...emptyPlan(result(expired)),
    held: [{ accountId: hold.accountId, delta: -reservedBy(hold) }],
    holds: [expired],
    events: [holdEvent("hold.expired", expired, hold.expiresAt)],
  };
}
