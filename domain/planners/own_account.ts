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
