/** Transfers: from one of the initiator's accounts to any account of the bank. */
import { checkSameBusinessTime } from "../clocks.ts";
import { currencyOf, parseAmount } from "../money.ts";
import { decideTransfer } from "../movements.ts";
import type { MovementResult, Plan, PlanInput, TransferCommand } from "../pipeline.ts";
import { planFxTransfer } from "./fx_transfer.ts";
import { destinationAccount, ownAccount } from "./own_account.ts";
import { movementPlan } from "./rows.ts";

/**
 * Plans a transfer: both owners' clocks must read the same business time (else the row would be
 * dated in one's future), then the transfer rules (accounts, currency, fraud, funds). One with an
 * FX quote converts between two currencies (fx_transfer.ts).
 */
export function planTransfer(input: PlanInput<TransferCommand>): Plan<MovementResult> {
  const { command, now } = input;
  if (command.fxQuoteId !== undefined) return planFxTransfer(input, command.fxQuoteId);
  const from = ownAccount(input, command.fromAccountId);
  const to = destinationAccount(input, command.toAccountId);
  const amount = parseAmount(command.amount, currencyOf(from.currency));
  const clocks = checkSameBusinessTime(
    now,
    new Date(now.getTime() + Number(to.clockOffsetSeconds - from.clockOffsetSeconds) * 1000),
  );
  const verdict = input.refusal ??
    (clocks.approved
      ? decideTransfer({ from, to, amount, now, fraud: input.fraud, rules: input.rules })
      : clocks);
  return movementPlan(input, {
    type: "transfer",
    fromAccountId: from.id,
    toAccountId: to.id,
    amount,
    currency: from.currency,
    verdict,
    receiver: to.userId,
  });
}
