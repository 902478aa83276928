/**
 * The movement pipeline's vocabulary and its decision loop. Every kind of money movement is a
 * command; the database locks what a group of commands touches and reads their facts; this module
 * decides each command in arrival order with its kind's planner, each seeing what the earlier ones
 * left, and returns the plans the writer writes. Pure: no SQL, no clock, no randomness of its own.
 */
import type { AccountStatus, StatusAction } from "./account_status.ts";
import type { AuthorizationState, Merchant } from "./card_authorizations.ts";
import type { CardStatus } from "./cards.ts";
import { type ConflictError, UnauthorizedError } from "./errors.ts";
import { addEarlierOutflows, type EarlierOutflow, factsNeeded } from "./fraud/mod.ts";
import type { FraudFacts, FraudRule } from "./fraud/mod.ts";
import type { HoldView } from "./holds.ts";
import { type LedgerEntry, OUTFLOW_TYPES, type Verdict } from "./ledger.ts";
import type { AccountFacts } from "./movements.ts";
import type { AccountView } from "./representations.ts";
import type { ClearingCalendar } from "./business_days.ts";
import type { Counterparty, PaymentRail, PaymentView, ReturnCode } from "./payments.ts";
import type { AccountKind } from "./fx_positions.ts";
import type { FxQuoteState } from "./fx_quotes.ts";
import type { ScheduleInterval, ScheduleRun, ScheduleState } from "./schedules.ts";
import type { Creditor, DebitOrderState } from "./debit_orders.ts";

/** What decides when a payment on each rail settles: the instant delay, and the EFT calendar. */
export interface ClearingSettings {
  settlementSeconds: number;
  calendar: ClearingCalendar;
}

/** What every command carries: who asks, and the real time of the request. */
interface CommandBase {
  userId: string;
  /** As the client sent it; parsed in the account's currency by the planner. */
  amount: string | number;
  description: string | null;
  /** Real time of the request; each owner's sandbox clock is added to it. */
  realNow: Date;
}

/** A deposit to one of the user's own accounts, from outside the bank. */
export interface DepositCommand extends CommandBase {
  kind: "deposit";
  accountId: string;
}

/** A withdrawal from one of the user's own accounts, to outside the bank. */
export interface WithdrawCommand extends CommandBase {
  kind: "withdraw";
  accountId: string;
}

/** A transfer out of one of the user's accounts to any account. */
export interface TransferCommand extends CommandBase {
  kind: "transfer";
  fromAccountId: string;
  toAccountId: string;
  /** Between accounts of two currencies: the user's quote that converts the amount. */
  fxQuoteId?: string;
}

/** An outbound payment from one of the user's accounts to another bank. */
export interface PaymentOutCommand extends CommandBase {
  kind: "payment_out";
  accountId: string;
  counterparty: Counterparty;
  rail: PaymentRail;
  clearing: ClearingSettings;
}

/** A new hold on one of the user's accounts. */
export interface HoldPlaceCommand extends CommandBase {
  kind: "hold_place";
  accountId: string;
  expiresInSeconds: number;
}

/** A simulated inbound payment announced to one of the user's own accounts; it credits on settling. */
export interface PaymentInboundCommand extends CommandBase {
  kind: "payment_inbound";
  accountId: string;
  counterparty: Counterparty;
  rail: PaymentRail;
  clearing: ClearingSettings;
}

/** What a command on an existing hold or payment carries: no amount of its own to parse. */
interface RowCommandBase {
  userId: string;
  realNow: Date;
}

/** A capture of part or all of one of the user's active holds. */
export interface HoldCaptureCommand extends RowCommandBase {
  kind: "hold_capture";
  holdId: string;
  /** Absent: the whole hold. */
  amount?: string | number;
}

/** Releases one of the user's active holds now. */
export interface HoldVoidCommand extends RowCommandBase {
  kind: "hold_void";
  holdId: string;
}

/** Expires one of the user's active holds, once its time has come on the user's clock. */
export interface HoldExpireCommand extends RowCommandBase {
  kind: "hold_expire";
  holdId: string;
}

/** A command that releases a hold. */
export type HoldReleaseCommand = HoldVoidCommand | HoldExpireCommand;

/** What settles or returns a payment; a return's code defaults to its reason's. */
export type PaymentOutcome =
  | { kind: "settle" }
  | { kind: "return"; reason: string; code?: ReturnCode };

/**
 * Settles or returns one of the user's payments: forced by a simulation now (a settled outbound
 * one may still be returned within the return window), or, without `outcome`, by the clearing
 * network at the payment's due time with its scheduled outcome.
 */
export interface PaymentOutcomeCommand extends RowCommandBase {
  kind: "payment_outcome";
  paymentId: string;
  /** Absent for a scheduled run: the payment's own scheduled outcome applies. */
  outcome?: PaymentOutcome;
  /** Days after settling that a forced return is still accepted (PAYMENT_RETURN_WINDOW_DAYS). */
  returnWindowDays?: number;
}

/**
 * Freezes, unfreezes or closes one of the user's accounts. A command like the movements, so the
 * change takes the account's row lock in the same order and serializes with every movement on it.
 */
export interface AccountStatusCommand extends RowCommandBase {
  kind: "account_status";
  accountId: string;
  action: StatusAction;
  /** Why it is frozen (freeze only); null otherwise. */
  reason: string | null;
}

/** A merchant's authorization on one of the user's cards: a hold, or a recorded decline. */
export interface CardAuthorizeCommand extends CommandBase {
  kind: "card_authorize";
  cardId: string;
  merchant: Merchant;
  /** A decline reason the request asks for (the sandbox's way to test declines). */
  simulateDecline: string | null;
  /** How long the authorization lasts on the owner's clock (CARD_AUTHORIZATION_DAYS). */
  expiresInSeconds: number;
}

/** What a command on an existing authorization carries. */
interface AuthorizationCommandBase extends RowCommandBase {
  authorizationId: string;
}

/** Raises a pending authorization by `amount` (screened and funded like a new one). */
export interface CardIncrementCommand extends AuthorizationCommandBase {
  kind: "card_increment";
  amount: string | number;
}

/** Captures `amount` of a pending authorization; `final` closes it and releases the rest. */
export interface CardCaptureCommand extends AuthorizationCommandBase {
  kind: "card_capture";
  amount: string | number;
  final: boolean;
}

/** Reverses `amount` (absent: all that is left) of a pending authorization. */
export interface CardReverseCommand extends AuthorizationCommandBase {
  kind: "card_reverse";
  amount?: string | number;
}

/** Refunds `amount` of what an authorization captured, back to its account. */
export interface CardRefundCommand extends AuthorizationCommandBase {
  kind: "card_refund";
  amount: string | number;
}

/** Expires a pending authorization (and its hold) once its time has come on the owner's clock. */
export interface CardExpireCommand extends AuthorizationCommandBase {
  kind: "card_expire";
}

/** Every command on an existing authorization. */
export type AuthorizationCommand =
  | CardIncrementCommand
  | CardCaptureCommand
  | CardReverseCommand
  | CardRefundCommand
  | CardExpireCommand;

/** A new standing order from one of the user's accounts to another bank. */
export interface ScheduleCreateCommand extends CommandBase {
  kind: "schedule_create";
  accountId: string;
  counterparty: Counterparty;
  interval: ScheduleInterval;
  startDate: string;
  count: number | null;
  endDate: string | null;
  calendar: ClearingCalendar;
}

/** Cancels one of the user's active standing orders. */
export interface ScheduleCancelCommand extends RowCommandBase {
  kind: "schedule_cancel";
  scheduleId: string;
}

/**
 * Makes a standing order's next run, once due on its owner's clock: an outbound eft payment,
 * planned by the payment_out planner. `accountId` is the schedule's (the pass read it), so the
 * account is locked and screened like any payment's source.
 */
export interface ScheduleRunCommand extends RowCommandBase {
  kind: "schedule_run";
  scheduleId: string;
  accountId: string;
  clearing: ClearingSettings;
}

/** A simulated debit order on one of the user's own accounts. */
export interface DebitOrderCreateCommand extends CommandBase {
  kind: "debit_order_create";
  accountId: string;
  creditor: Creditor;
  /** Absent: the next business day. */
  collectOn: string | null;
  calendar: ClearingCalendar;
}

/** Collects a scheduled debit order once due on its owner's clock (`accountId`: the order's). */
export interface DebitOrderCollectCommand extends RowCommandBase {
  kind: "debit_order_collect";
  debitOrderId: string;
  accountId: string;
}

/** Reverses a collected debit order the user disputes within the dispute window. */
export interface DebitOrderDisputeCommand extends RowCommandBase {
  kind: "debit_order_dispute";
  debitOrderId: string;
  disputeWindowDays: number;
}

/** Every command the pipeline runs. */
export type Command =
  | DepositCommand
  | WithdrawCommand
  | TransferCommand
  | PaymentOutCommand
  | HoldPlaceCommand
  | PaymentInboundCommand
  | HoldCaptureCommand
  | HoldVoidCommand
  | HoldExpireCommand
  | PaymentOutcomeCommand
  | AccountStatusCommand
  | CardAuthorizeCommand
  | AuthorizationCommand
  | ScheduleCreateCommand
  | ScheduleCancelCommand
  | ScheduleRunCommand
  | DebitOrderCreateCommand
  | DebitOrderCollectCommand
  | DebitOrderDisputeCommand;

/** The kinds of command. */
export type CommandKind = Command["kind"];

/** The command of one kind. */
export type CommandOf<K extends CommandKind> = Extract<Command, { kind: K }>;

/** A money movement's outcome: its ledger entry and the verdict that entry records. */
export interface MovementResult {
  entry: LedgerEntry;
  verdict: Verdict;
}

/** An outbound payment's outcome: its debit (approved or refused) and the payment. */
export interface PaymentOutResult extends MovementResult {
  payment: PaymentState;
}

/** A hold placement's outcome: the hold, or the rejected row that records its refusal. */
export type HoldPlaceResult =
  | { hold: HoldState; entry: null; verdict: Verdict }
  | { hold: null; entry: LedgerEntry; verdict: Verdict };

/** A capture's outcome: captured, refused (recorded), or the hold had expired (now recorded). */
export type HoldCaptureResult =
  | { hold: HoldState; entry: LedgerEntry; verdict: Verdict; conflict?: undefined }
  | { hold: HoldState; entry?: undefined; verdict?: undefined; conflict: ConflictError };

/** A void's or expiry's outcome: the hold as it ended, or the conflict it met (expired on touch). */
export interface HoldReleaseResult {
  hold: HoldState;
  conflict?: ConflictError;
}

/** A payment's settlement or return, or its announcement: the payment as it now stands. */
export interface PaymentChangeResult {
  payment: PaymentState;
}

/** A status change's outcome: the account as it now stands; `changed` false when it already stood so. */
export interface AccountStatusResult {
  account: AccountView;
  changed: boolean;
}

/** An authorization's outcome: approved (a hold) or declined (its rejected row). */
export interface CardAuthorizeResult {
  authorization: AuthorizationState;
  /** The rejected card_authorization row of a decline; null when approved. */
  entry: LedgerEntry | null;
  verdict: Verdict;
}

/**
 * A step on an authorization: the authorization as it now stands, the ledger row the step wrote
 * (a capture, a refund, a refused increment) with its verdict, or the conflict it met (not
 * pending, or expired on touch: the expiry commits and the step answers 409).
 */
export interface CardStepResult {
  authorization: AuthorizationState;
  entry?: LedgerEntry;
  verdict?: Verdict;
  conflict?: ConflictError;
}

/** A schedule's creation or cancellation: the schedule as it now stands. */
export interface ScheduleChangeResult {
  schedule: ScheduleState;
}

/** A schedule run: its payment and debit (approved or refused), and the schedule after it. */
export interface ScheduleRunResult extends PaymentOutResult {
  schedule: ScheduleState;
}

/** A debit order's creation, collection or reversal: the order as it now stands. */
export interface DebitOrderResult {
  debitOrder: DebitOrderState;
}

/** What each kind's planner hands back to the caller. */
export interface CommandResults {
  deposit: MovementResult;
  withdraw: MovementResult;
  transfer: MovementResult;
  payment_out: PaymentOutResult;
  hold_place: HoldPlaceResult;
  payment_inbound: PaymentChangeResult;
  hold_capture: HoldCaptureResult;
  hold_void: HoldReleaseResult;
  hold_expire: HoldReleaseResult;
  payment_outcome: PaymentChangeResult;
  account_status: AccountStatusResult;
  card_authorize: CardAuthorizeResult;
  card_increment: CardStepResult;
  card_capture: CardStepResult;
  card_reverse: CardStepResult;
  card_refund: CardStepResult;
  card_expire: CardStepResult;
  schedule_create: ScheduleChangeResult;
  schedule_cancel: ScheduleChangeResult;
  schedule_run: ScheduleRunResult;
  debit_order_create: DebitOrderResult;
  debit_order_collect: DebitOrderResult;
  debit_order_dispute: DebitOrderResult;
}

/** The rows a command names: locked (in id order, by table) before its accounts. */
export interface RowRefs {
  holdId?: string;
  paymentId?: string;
  cardId?: string;
  authorizationId?: string;
  fxQuoteId?: string;
  scheduleId?: string;
  debitOrderId?: string;
}

/** The rows a command touches, locked (in id order) before its accounts. */
export function rowsOf(command: Command): RowRefs {
  switch (command.kind) {
    case "transfer":
      return command.fxQuoteId ? { fxQuoteId: command.fxQuoteId } : {};
    case "card_authorize":
      return { cardId: command.cardId };
    case "card_increment":
    case "card_capture":
    case "card_reverse":
    case "card_refund":
    case "card_expire":
      return { authorizationId: command.authorizationId };
    case "hold_capture":
    case "hold_void":
    case "hold_expire":
      return { holdId: command.holdId };
    case "payment_outcome":
      return { paymentId: command.paymentId };
    case "schedule_cancel":
    case "schedule_run":
      return { scheduleId: command.scheduleId };
    case "debit_order_collect":
    case "debit_order_dispute":
      return { debitOrderId: command.debitOrderId };
    default:
      return {};
  }
}

/**
 * The accounts a command touches (locked, in id order, before it is decided). A command on a hold
 * or payment touches that row's account, and an FX transfer the bank's position accounts of its
 * quote's two currencies, known once the row is read: `rowAccounts` gives them.
 */
export function accountsOf(
  command: Command,
  rowAccounts?: (command: Command) => readonly string[],
): string[] {
  switch (command.kind) {
    case "transfer":
      return [command.fromAccountId, command.toAccountId, ...rowAccounts?.(command) ?? []];
    case "hold_capture":
    case "hold_void":
    case "hold_expire":
    case "payment_outcome":
    case "card_authorize":
    case "card_increment":
    case "card_capture":
    case "card_reverse":
    case "card_refund":
    case "card_expire":
    case "schedule_cancel":
    case "debit_order_dispute":
      return [...rowAccounts?.(command) ?? []];
    default:
      return [command.accountId];
  }
}

/**
 * The account money leaves by the command's own decision (its fraud facts and holds are read). A
 * card's account is known once its card or authorization row is read: `rowAccount` gives it.
 */
export function sourceOf(
  command: Command,
  rowAccount?: (command: Command) => string | undefined,
): string | null {
  switch (command.kind) {
    case "transfer":
      return command.fromAccountId;
    case "withdraw":
    case "payment_out":
    case "hold_place":
    case "schedule_run":
    case "debit_order_collect":
      return command.accountId;
    case "card_authorize":
    case "card_increment":
    case "card_capture":
      return rowAccount?.(command) ?? null;
    default:
      return null;
  }
}

/**
 * The account whose active holds the command's facts read: a movement's source, and the account
 * a status change acts on (a close needs them; every change answers the available balance).
 */
export function heldAccountOf(
  command: Command,
  rowAccount?: (command: Command) => string | undefined,
): string | null {
  return command.kind === "account_status" ? command.accountId : sourceOf(command, rowAccount);
}

/** A card as an authorization reads it, locked for the group. */
export interface CardState {
  id: string;
  userId: string;
  accountId: string;
  status: CardStatus;
}

/** An account as locked for a group: balance, status, and the owner's clock offset. */
export interface LockedAccount {
  id: string;
  userId: string;
  accountNumber: string;
  currency: string;
  balance: bigint;
  status: AccountStatus;
  statusReason: string | null;
  clockOffsetSeconds: bigint;
  createdAt: Date;
  updatedAt: Date;
  /** Absent: a customer's account. A bank FX position may go negative. */
  kind?: AccountKind;
}

/** A locked account as a planner sees it: with what its holds leave available. */
export type PlannedAccount = LockedAccount & AccountFacts;

/** What the database read for one command, under the group's locks. */
export interface CommandFacts {
  /** The initiator's sandbox time; null when the user no longer exists. */
  now: Date | null;
  recentCount: bigint | null;
  outflow24h: bigint | null;
  /** Held on the source account (heldAccountOf) by holds unexpired at `now`. */
  held: bigint | null;
  /** Outbound payments still pending on the account a close acts on (0 for other commands). */
  pendingOutbound?: bigint | null;
}

/** Everything the group's locking read returned. */
export interface GroupFacts {
  accounts: readonly LockedAccount[];
  holds: readonly HoldState[];
  payments: readonly PaymentState[];
  cards: readonly CardState[];
  authorizations: readonly AuthorizationState[];
  /** The FX quotes the commands name (each only for the user who names it). */
  fxQuotes?: readonly FxQuoteState[];
  /** Absent when no command names one. */
  schedules?: readonly ScheduleState[];
  debitOrders?: readonly DebitOrderState[];
  perCommand: readonly CommandFacts[];
}

/** An event to write with the plan, for one user, about one object. */
export interface PlannedEvent {
  userId: string;
  type: string;
  object: unknown;
  createdAt: Date;
}

/** A hold as a plan writes it (inserted, or updated by id). */
export type HoldState = Omit<HoldView, "seq">;
/** A payment as a plan writes it (inserted, or updated by id). */
export type PaymentState = Omit<PaymentView, "seq">;

/** An account's new status, as a plan writes it. */
export interface AccountStatusChange {
  accountId: string;
  status: AccountStatus;
  statusReason: string | null;
  at: Date;
}

/** What a planner decided for one command. */
export interface Plan<R = unknown> {
  verdict: Verdict;
  /** Ledger rows in order; an approved row moves `amount` from `fromAccountId` to `toAccountId`. */
  ledger: LedgerEntry[];
  /** Changes to what holds reserve, per account (+ placed, − released). */
  held: { accountId: string; delta: bigint }[];
  holds: HoldState[];
  payments: PaymentState[];
  /** Accounts whose status the plan changes (freeze, unfreeze, close). */
  statuses?: AccountStatusChange[];
  /** Card authorizations created or changed (only the card planners write any). */
  authorizations?: AuthorizationState[];
  /** FX quotes the plan used (marked used by the writer, in the same statement). */
  fxQuotes?: FxQuoteState[];
  /** Schedules created or changed, their runs recorded, debit orders created or changed. */
  schedules?: ScheduleState[];
  scheduleRuns?: ScheduleRun[];
  debitOrders?: DebitOrderState[];
  /** Batches decided (domain/batches.ts): the one record a batch writes beside its items. */
  batches?: BatchRecord[];
  events: PlannedEvent[];
  /** What the caller gets back. */
  result: R;
}

/** What a planner is given: the command, its clock, the accounts as they stand, the rules. */
export interface PlanInput<C extends Command = Command> {
  command: C;
  /** The initiator's sandbox time: every row of the plan is dated by it. */
  now: Date;
  /** A locked account as earlier commands of the group left it; undefined if not locked. */
  account(id: string): PlannedAccount | undefined;
  /** The command's locked hold (the user's own), as earlier commands left it; undefined if none. */
  hold(id: string): HoldState | undefined;
  /** The command's locked payment (the user's own), as earlier commands left it. */
  payment(id: string): PaymentState | undefined;
  /** Outbound payments pending on the account a close acts on, as the locking read found them. */
  pendingOutboundPayments: number;
  /** The command's locked card (the user's own); undefined if none. */
  card(id: string): CardState | undefined;
  /** The command's locked authorization (the user's own), as earlier commands left it. */
  authorization(id: string): AuthorizationState | undefined;
  /** The command's locked FX quote (the user's own), as earlier commands left it. */
  fxQuote(id: string): FxQuoteState | undefined;
  /** The command's locked schedule (the user's own), as earlier commands left it. */
  schedule(id: string): ScheduleState | undefined;
  /** The command's locked debit order (the user's own), as earlier commands left it. */
  debitOrder(id: string): DebitOrderState | undefined;
  /** The source account's fraud facts, earlier commands of the group counted. */
  fraud: FraudFacts;
  rules: readonly FraudRule[];
  /** A fresh id for a row the plan creates. */
  newId(): string;
  /**
   * A refusal decided outside the command (its atomic batch was refused as a whole): the planner
   * records it as its verdict instead of deciding one. Only batchable kinds are given one.
   */
  refusal?: Verdict;
}

/** A planner: a pure function from a command and its facts to a plan. */
export type Planner<K extends CommandKind> = (
  input: PlanInput<CommandOf<K>>,
) => Plan<CommandResults[K]>;

/** Every kind's planner. */
export type PlannerTable = { [K in CommandKind]: Planner<K> };

/** A ledger row as written: the entry and the balances it leaves. */
export interface WrittenEntry {
  entry: LedgerEntry;
  fromBalanceAfter: bigint | null;
  toBalanceAfter: bigint | null;
  initiatedBy: string;
}

/** A plan with its ledger rows' balances worked out in group order. */
export interface DecidedPlan extends Plan {
  written: WrittenEntry[];
  /** The batch this plan is an item of: its ledger rows carry the batch's id. */
  batchId?: string;
}

/** A batch as recorded once decided: what it held, and how its items ended. */
export interface BatchRecord {
  id: string;
  userId: string;
  kind: "transfer" | "payment_out";
  atomic: boolean;
  /** posted: the items stood as decided; rejected: an atomic batch refused whole, nothing moved. */
  status: "posted" | "rejected";
  items: number;
  approved: number;
  rejected: number;
  failed: number;
  createdAt: Date;
}

/** Each command's outcome: its plan, or the error that took it out of the group. */
export type Decision = { plan: DecidedPlan } | { error: unknown };

/** The group's shared context: one set of rules, and where fresh ids come from. */
export interface GroupContext {
  rules: readonly FraudRule[];
  newId(): string;
  /** The refusal imposed on the command at `index`, if any (see PlanInput.refusal). */
  refusalOf?(index: number): Verdict | undefined;
}

/** The balances every account of the group ends with, and when each was last changed. */
export type FinalBalances = Map<string, { balance: bigint; at: Date }>;

/**
 * Decides every command in arrival order. Each sees the balances, held amounts and outflows the
 * approved commands before it left; a command that throws (not found, bad amount) gets an error
 * and leaves nothing behind.
 */
export function planGroup(
  commands: readonly Command[],
  facts: GroupFacts,
  planners: PlannerTable,
  context: GroupContext,
): { decisions: Decision[]; balances: FinalBalances } {
  const state = new GroupState(facts);
  const needs = factsNeeded(context.rules);
  const decisions = commands.map((command, index): Decision => {
    try {
      const { now, recentCount, outflow24h, held, pendingOutbound } = facts.perCommand[index];
      if (!now) throw new UnauthorizedError("The bearer token names no user of this bank");
      const rowAccount = (named: Command) => state.rowAccount(named);
      const source = sourceOf(command, rowAccount);
      const heldOn = heldAccountOf(command, rowAccount);
      const fraud = addEarlierOutflows(
        { recentOutflowCount: Number(recentCount ?? 0n), outflowLast24hMinor: outflow24h ?? 0n },
        source ? state.outflowsOf(source) : [],
        { now, needs },
      );
      const plan = planWith(planners, {
        command,
        now,
        account: (id) => state.account(id, id === heldOn ? held ?? 0n : 0n),
        hold: (id) => state.holds.get(id),
        payment: (id) => state.payments.get(id),
        pendingOutboundPayments: Number(pendingOutbound ?? 0n) +
          (heldOn ? state.pendingOutboundDelta(heldOn) : 0),
        card: (id) => state.cards.get(id),
        authorization: (id) => state.authorizations.get(id),
        fxQuote: (id) => state.fxQuotes.get(id),
        schedule: (id) => state.schedules.get(id),
        debitOrder: (id) => state.debitOrders.get(id),
        fraud,
        rules: context.rules,
        newId: context.newId,
        refusal: context.refusalOf?.(index),
      });
      return { plan: state.apply(plan, now, command.userId) };
    } catch (error) {
      return { error };
    }
  });
  return { decisions, balances: state.balances };
}

// The command's own kind's planner (K ties the table's entry to the command's type).
function planWith<K extends CommandKind>(
  planners: PlannerTable,
  input: PlanInput<CommandOf<K>> & { command: { kind: K } },
): Plan<CommandResults[K]> {
  const planner: Planner<K> = planners[input.command.kind];
  return planner(input);
}

/** The group's accounts as its approved plans leave them. */
class GroupState {
  readonly balances: FinalBalances = new Map();
  readonly holds = new Map<string, HoldState>();
  readonly payments = new Map<string, PaymentState>();
  readonly cards = new Map<string, CardState>();
  readonly authorizations = new Map<string, AuthorizationState>();
  readonly fxQuotes = new Map<string, FxQuoteState>();
  readonly schedules = new Map<string, ScheduleState>();
  readonly debitOrders = new Map<string, DebitOrderState>();
  #accounts = new Map<string, LockedAccount>();
  #heldInGroup = new Map<string, bigint>();
  #outflows = new Map<string, EarlierOutflow[]>();
  #pendingDelta = new Map<string, number>();

  constructor(facts: GroupFacts) {
    for (const account of facts.accounts) this.#accounts.set(account.id, account);
    for (const hold of facts.holds) this.holds.set(hold.id, hold);
    for (const payment of facts.payments) this.payments.set(payment.id, payment);
    for (const card of facts.cards) this.cards.set(card.id, card);
    for (const row of facts.authorizations) this.authorizations.set(row.id, row);
    for (const quote of facts.fxQuotes ?? []) this.fxQuotes.set(quote.id, quote);
    for (const schedule of facts.schedules ?? []) this.schedules.set(schedule.id, schedule);
    for (const order of facts.debitOrders ?? []) this.debitOrders.set(order.id, order);
  }

  /** The account of the card or authorization a command names, once read. */
  rowAccount(command: Command): string | undefined {
    const { cardId, authorizationId } = rowsOf(command);
    if (cardId) return this.cards.get(cardId)?.accountId;
    if (authorizationId) return this.authorizations.get(authorizationId)?.accountId;
    return undefined;
  }

  /** The account as a planner sees it; `heldBefore` is what holds reserved before the group. */
  account(id: string, heldBefore: bigint): PlannedAccount | undefined {
    const locked = this.#accounts.get(id);
    if (!locked) return undefined;
    const held = heldBefore + (this.#heldInGroup.get(id) ?? 0n);
    return { ...locked, available: locked.balance - held };
  }

  outflowsOf(accountId: string): EarlierOutflow[] {
    return this.#outflows.get(accountId) ?? [];
  }

  /** Applies a plan's approved rows: balances, held amounts, outflows for the fraud counts. */
  apply(plan: Plan, now: Date, initiatedBy: string): DecidedPlan {
    const written = plan.ledger.map((entry) => this.#post(entry, initiatedBy));
    for (const hold of plan.holds) this.holds.set(hold.id, hold);
    for (const payment of plan.payments) this.#setPayment(payment);
    for (const change of plan.statuses ?? []) this.#setStatus(change);
    for (const row of plan.authorizations ?? []) this.authorizations.set(row.id, row);
    for (const quote of plan.fxQuotes ?? []) this.fxQuotes.set(quote.id, quote);
    for (const schedule of plan.schedules ?? []) this.schedules.set(schedule.id, schedule);
    for (const order of plan.debitOrders ?? []) this.debitOrders.set(order.id, order);
    for (const { accountId, delta } of plan.held) {
      this.#heldInGroup.set(accountId, (this.#heldInGroup.get(accountId) ?? 0n) + delta);
    }
    for (const entry of plan.ledger) {
      if (entry.status !== "approved" || !entry.fromAccountId) continue;
      if (!OUTFLOW_TYPES.includes(entry.type)) continue;
      const list = this.#outflows.get(entry.fromAccountId) ?? [];
      list.push({ at: now, amount: entry.amount });
      this.#outflows.set(entry.fromAccountId, list);
    }
    return { ...plan, written };
  }

  /** Outbound payments of the account pending now, less those pending when the facts were read. */
  pendingOutboundDelta(accountId: string): number {
    return this.#pendingDelta.get(accountId) ?? 0;
  }

  // A payment created or changed in the group: a close after it counts it if it is pending.
  #setPayment(payment: PaymentState): void {
    const pending = (p: PaymentState | undefined) =>
      p?.direction === "outbound" && p.status === "pending" ? 1 : 0;
    const delta = pending(payment) - pending(this.payments.get(payment.id));
    const id = payment.accountId;
    this.#pendingDelta.set(id, (this.#pendingDelta.get(id) ?? 0) + delta);
    this.payments.set(payment.id, payment);
  }

  // The commands after a status change see it (a withdrawal queued behind a freeze is refused).
  #setStatus(change: AccountStatusChange): void {
    const account = this.#accounts.get(change.accountId);
    if (!account) throw new Error(`Account ${change.accountId} was not locked for this group`);
    const { status, statusReason, at } = change;
    this.#accounts.set(account.id, { ...account, status, statusReason, updatedAt: at });
  }

  #post(entry: LedgerEntry, initiatedBy: string): WrittenEntry {
    if (entry.status !== "approved") {
      return { entry, fromBalanceAfter: null, toBalanceAfter: null, initiatedBy };
    }
    const move = (id: string | null, sign: bigint) => {
      if (!id) return null;
      const account = this.#accounts.get(id);
      if (!account) throw new Error(`Account ${id} was not locked for this group`);
      const balance = account.balance + sign * entry.amount;
      // Only the bank's FX positions may go short; a customer's balance never does.
      if (balance < 0n && account.kind !== "fx_position") {
        throw new Error(`An approved ${entry.type} overdraws account ${id}`);
      }
      this.#accounts.set(id, { ...account, balance });
      this.balances.set(id, { balance, at: entry.createdAt });
      return balance;
    };
    const fromBalanceAfter = move(entry.fromAccountId, -1n);
    const toBalanceAfter = move(entry.toAccountId, 1n);
    return { entry, fromBalanceAfter, toBalanceAfter, initiatedBy };
  }
}
