/** Freezing, unfreezing and closing an account: its status changes, no money moves. */
import { decideStatusChange, STATUS_EVENTS } from "../account_status.ts";
import type { AccountStatusCommand, AccountStatusResult, Plan, PlanInput } from "../pipeline.ts";
import { accountJson, type AccountView } from "../representations.ts";
import { ownAccount } from "./own_account.ts";
import { emptyPlan } from "./rows.ts";

/**
 * Plans a status change on the user's own account (another's is a 404), decided by
 * domain/account_status.ts under the account's row lock: a change writes the new status and its
 * event (account.frozen, .unfrozen, .closed); asking for the status it already has changes
 * nothing and writes no event.
 */
export function planAccountStatus(
  input: PlanInput<AccountStatusCommand>,
): Plan<AccountStatusResult> {
  const { command, now } = input;
  const account = ownAccount(input, command.accountId);
  const view: AccountView = {
    id: account.id,
    userId: account.userId,
    accountNumber: account.accountNumber,
    currency: account.currency,
    balance: account.balance,
    available: account.available,
    status: account.status,
    statusReason: account.statusReason,
    createdAt: account.createdAt,
    updatedAt: account.updatedAt,
  };
  const target = decideStatusChange(command.action, {
    status: account.status,
    currency: account.currency,
    balance: account.balance,
    held: account.balance - account.available,
    pendingOutboundPayments: input.pendingOutboundPayments,
  });
  if (target === null) return emptyPlan({ account: view, changed: false });
  const statusReason = target === "frozen" ? command.reason : null;
  const changed: AccountView = { ...view, status: target, statusReason, updatedAt: now };
  return {
    ...emptyPlan({ account: changed, changed: true }),
    statuses: [{ accountId: account.id, status: target, statusReason, at: now }],
    events: [{
      userId: command.userId,
      type: STATUS_EVENTS[target],
      object: accountJson(changed),
      createdAt: now,
    }],
  };
}
