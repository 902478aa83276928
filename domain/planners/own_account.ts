/** The account a single-account command acts on: the initiator's own, or a 404. */
import { NotFoundError } from "../errors.ts";
import type { Command, PlanInput, PlannedAccount } from "../pipeline.ts";

/** The locked account `accountId` if the initiator owns it; another user's is a 404. */
export function ownAccount(
  input: PlanInput<Command>,
  accountId: string,
): PlannedAccount {
  const account = input.account(accountId);
  if (!account || account.userId !== input.command.userId) throw new NotFoundError("Account");
  return account;
}

/**
 * The locked account money may be sent to: any customer's. The bank's FX position accounts are
 * not a destination anyone may name (404, as if they did not exist).
 */
export function destinationAccount(input: PlanInput<Command>, accountId: string): PlannedAccount {
  const account = input.account(accountId);
  if (!account || account.kind === "fx_position") throw new NotFoundError("Destination account");
  return account;
}
