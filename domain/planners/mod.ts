/** The planners: one pure function per kind of command. A new kind is a file here and a line below. */
import type { PlannerTable } from "../pipeline.ts";
import { planAccountStatus } from "./account_status.ts";
import { planCardAuthorization } from "./card_authorize.ts";
import { planCardCapture } from "./card_capture.ts";
import { planCardIncrement } from "./card_increment.ts";
import { planCardRefund } from "./card_refund.ts";
import { planCardExpiry, planCardReversal } from "./card_reverse.ts";
import { planDeposit } from "./deposit.ts";
import { planHoldCapture } from "./hold_capture.ts";
import { planHoldExpiry, planHoldVoid } from "./hold_release.ts";
import { planPaymentInbound } from "./payment_inbound.ts";
import { planPaymentOutcome } from "./payment_outcome.ts";
import { planHoldPlacement } from "./hold_place.ts";
import { planPaymentOut } from "./payment_out.ts";
import { planTransfer } from "./transfer.ts";
import { planWithdrawal } from "./withdraw.ts";
import { planScheduleCancel, planScheduleCreate } from "./schedule_change.ts";
import { planScheduleRun } from "./schedule_run.ts";
import { planDebitOrderCreate } from "./debit_order_create.ts";
import { planDebitOrderCollect, planDebitOrderDispute } from "./debit_order_collection.ts";

/** Every kind's planner. */
export const PLANNERS: PlannerTable = {
  deposit: planDeposit,
  withdraw: planWithdrawal,
  transfer: planTransfer,
  payment_out: planPaymentOut,
  hold_place: planHoldPlacement,
  payment_inbound: planPaymentInbound,
  hold_capture: planHoldCapture,
  hold_void: planHoldVoid,
  hold_expire: planHoldExpiry,
  payment_outcome: planPaymentOutcome,
  account_status: planAccountStatus,
  card_authorize: planCardAuthorization,
  card_increment: planCardIncrement,
  card_capture: planCardCapture,
  card_reverse: planCardReversal,
  card_refund: planCardRefund,
  card_expire: planCardExpiry,
  schedule_create: planScheduleCreate,
  schedule_cancel: planScheduleCancel,
  schedule_run: planScheduleRun,
  debit_order_create: planDebitOrderCreate,
  debit_order_collect: planDebitOrderCollect,
  debit_order_dispute: planDebitOrderDispute,
};
