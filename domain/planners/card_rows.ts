/** What the card planners share: the user's authorization and its hold, expiry, and events. */
import { authorizationJson, type AuthorizationState } from "../card_authorizations.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import type {
  AuthorizationCommand,
  CardStepResult,
  HoldState,
  Plan,
  PlanInput,
  PlannedEvent,
} from "../pipeline.ts";
import { expirePlan } from "./hold_rows.ts";

/** The user's authorization named by the command; another user's is a 404. */
export function ownAuthorization(input: PlanInput<AuthorizationCommand>): AuthorizationState {
  const authorization = input.authorization(input.command.authorizationId);
  if (!authorization || authorization.userId !== input.command.userId) {
    throw new NotFoundError("Card authorization");
  }
  return authorization;
}

/** The user's pending authorization and its hold; one no longer pending is a 409. */
export function pendingAuthorization(
  input: PlanInput<AuthorizationCommand>,
  verb: string,
): { authorization: AuthorizationState; hold: HoldState } {
  const authorization = ownAuthorization(input);
  if (authorization.status !== "pending") throw notPending(verb, authorization.status);
  const hold = authorization.holdId ? input.hold(authorization.holdId) : undefined;
  if (!hold) throw new Error(`Pending authorization ${authorization.id} has no locked hold`);
  return { authorization, hold };
}

/** The 409 for acting on an authorization that is no longer pending. */
export function notPending(verb: string, status: string): ConflictError {
  return new ConflictError(
    "authorization_not_pending",
    `Cannot ${verb} the card authorization: it is ${status}`,
  );
}

/** True when the pending authorization's time has come on the owner's clock. */
export function isDue(authorization: AuthorizationState, now: Date): boolean {
  return authorization.expiresAt !== null && authorization.expiresAt <= now;
}

/** A card_authorization event dated `at`. */
export function authorizationEvent(
  type: string,
  authorization: AuthorizationState,
  at: Date,
): PlannedEvent {
  return {
    userId: authorization.userId,
    type: `card_authorization.${type}`,
    object: authorizationJson(authorization),
    createdAt: at,
  };
}

/**
 * The authorization expired at its own expiry time, its hold with it (the holds' own expiry, so
 * what it still reserved is released). A step that finds it due records the expiry and answers
 * 409 (`verb` names the step); the expiry pass passes none.
 */
export function expireAuthorization(
  authorization: AuthorizationState,
  hold: HoldState,
  verb?: string,
): Plan<CardStepResult> {
  const expired: AuthorizationState = { ...authorization, status: "expired" };
  const at = authorization.expiresAt ?? hold.expiresAt;
  const conflict = verb ? notPending(verb, "expired") : undefined;
  const plan = expirePlan(hold, () => ({ authorization: expired, conflict }));
  return {
    ...plan,
    authorizations: [expired],
    events: [...plan.events, authorizationEvent("expired", expired, at)],
  };
}
