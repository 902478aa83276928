/** The planners: one pure function per kind of command. A new kind is a file here and a line below. */
import type { PlannerTable } from "../pipeline.ts";
import { planDeposit } from "./deposit.ts";
import { planHoldPlacement } from "./hold_place.ts";
import { planPaymentOut } from "./payment_out.ts";
import { planTransfer } from "./transfer.ts";
import { planWithdrawal } from "./withdraw.ts";

/** Every kind's planner. */
export const PLANNERS: PlannerTable = {
  deposit: planDeposit,
  withdraw: planWithdrawal,
  transfer: planTransfer,
  payment_out: planPaymentOut,
  hold_place: planHoldPlacement,
};
