/**
 * The movement pipeline's vocabulary and its decision loop. Every kind of money movement is a
 * command; the database locks what a group of commands touches and reads their facts; this module
 * decides each command in arrival order with its kind's planner, each seeing what the earlier ones
 * left, and returns the plans the writer writes. Pure: no SQL, no clock, no randomness of its own.
 */
import { type ConflictError, UnauthorizedError } from "./errors.ts";
import { addEarlierOutflows, type EarlierOutflow, factsNeeded } from "./fraud/mod.ts";
import type { FraudFacts, FraudRule } from "./fraud/mod.ts";
import type { HoldView } from "./holds.ts";
import { type LedgerEntry, OUTFLOW_TYPES, type Verdict } from "./ledger.ts";
import type { AccountFacts } from "./movements.ts";
import type { Counterparty, PaymentView } from "./payments.ts";

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
}

/** An outbound payment from one of the user's accounts to another bank. */
export interface PaymentOutCommand extends CommandBase {
  kind: "payment_out";
  accountId: string;
  counterparty: Counterparty;
  settlementSeconds: number;
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
  settlementSeconds: number;
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

/** What settles or returns a pending payment. */
export type PaymentOutcome = { kind: "settle" } | { kind: "return"; reason: string };

/**
 * Settles or returns one of the user's pending payments: forced by a simulation now, or, when
 * `scheduled`, by the clearing network at the payment's due time with its scheduled outcome.
 */
export interface PaymentOutcomeCommand extends RowCommandBase {
  kind: "payment_outcome";
  paymentId: string;
  /** Absent for a scheduled run: the payment's own scheduled outcome applies. */
  outcome?: PaymentOutcome;
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
  | PaymentOutcomeCommand;

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
}

/** The hold or payment rows a command touches, locked (in id order) before its accounts. */
export function rowsOf(command: Command): { holdId?: string; paymentId?: string } {
  switch (command.kind) {
    case "hold_capture":
    case "hold_void":
    case "hold_expire":
      return { holdId: command.holdId };
    case "payment_outcome":
      return { paymentId: command.paymentId };
    default:
      return {};
  }
}

/**
 * The accounts a command touches (locked, in id order, before it is decided). A command on a hold
 * or payment touches that row's account, known once the row is read: `rowAccount` gives it.
 */
export function accountsOf(
  command: Command,
  rowAccount?: (command: Command) => string | undefined,
): string[] {
  switch (command.kind) {
    case "transfer":
      return [command.fromAccountId, command.toAccountId];
    case "hold_capture":
    case "hold_void":
    case "hold_expire":
    case "payment_outcome": {
      const id = rowAccount?.(command);
      return id ? [id] : [];
    }
    default:
      return [command.accountId];
  }
}

/** The account money leaves by the command's own decision (its fraud facts and holds are read). */
export function sourceOf(command: Command): string | null {
  switch (command.kind) {
    case "transfer":
      return command.fromAccountId;
    case "withdraw":
    case "payment_out":
    case "hold_place":
      return command.accountId;
    default:
      return null;
  }
}

/** An account as locked for a group: balance, and the owner's clock offset. */
export interface LockedAccount {
  id: string;
  userId: string;
  currency: string;
  balance: bigint;
  clockOffsetSeconds: bigint;
}

/** What the database read for one command, under the group's locks. */
export interface CommandFacts {
  /** The initiator's sandbox time; null when the user no longer exists. */
  now: Date | null;
  recentCount: bigint | null;
  outflow24h: bigint | null;
  /** Held on the source account by holds unexpired at `now`. */
  held: bigint | null;
}

/** Everything the group's locking read returned. */
export interface GroupFacts {
  accounts: readonly LockedAccount[];
  holds: readonly HoldState[];
  payments: readonly PaymentState[];
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

/** What a planner decided for one command. */
export interface Plan<R = unknown> {
  verdict: Verdict;
  /** Ledger rows in order; an approved row moves `amount` from `fromAccountId` to `toAccountId`. */
  ledger: LedgerEntry[];
  /** Changes to what holds reserve, per account (+ placed, − released). */
  held: { accountId: string; delta: bigint }[];
  holds: HoldState[];
  payments: PaymentState[];
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
  account(id: string): AccountFacts | undefined;
  /** The command's locked hold (the user's own), as earlier commands left it; undefined if none. */
  hold(id: string): HoldState | undefined;
  /** The command's locked payment (the user's own), as earlier commands left it. */
  payment(id: string): PaymentState | undefined;
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
      const { now, recentCount, outflow24h, held } = facts.perCommand[index];
      if (!now) throw new UnauthorizedError("The bearer token names no user of this bank");
      const source = sourceOf(command);
      const fraud = addEarlierOutflows(
        { recentOutflowCount: Number(recentCount ?? 0n), outflowLast24hMinor: outflow24h ?? 0n },
        source ? state.outflowsOf(source) : [],
        { now, needs },
      );
      const plan = planWith(planners, {
        command,
        now,
        account: (id) => state.account(id, id === source ? held ?? 0n : 0n),
        hold: (id) => state.holds.get(id),
        payment: (id) => state.payments.get(id),
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
  #accounts = new Map<string, LockedAccount>();
  #heldInGroup = new Map<string, bigint>();
  #outflows = new Map<string, EarlierOutflow[]>();

  constructor(facts: GroupFacts) {
    for (const account of facts.accounts) this.#accounts.set(account.id, account);
    for (const hold of facts.holds) this.holds.set(hold.id, hold);
    for (const payment of facts.payments) this.payments.set(payment.id, payment);
  }

  /** The account as a planner sees it; `heldBefore` is what holds reserved before the group. */
  account(id: string, heldBefore: bigint): AccountFacts | undefined {
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
    for (const payment of plan.payments) this.payments.set(payment.id, payment);
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

  #post(entry: LedgerEntry, initiatedBy: string): WrittenEntry {
    if (entry.status !== "approved") {
      return { entry, fromBalanceAfter: null, toBalanceAfter: null, initiatedBy };
    }
    const move = (id: string | null, sign: bigint) => {
      if (!id) return null;
      const account = this.#accounts.get(id);
      if (!account) throw new Error(`Account ${id} was not locked for this group`);
      const balance = account.balance + sign * entry.amount;
      if (balance < 0n) throw new Error(`An approved ${entry.type} overdraws account ${id}`);
      this.#accounts.set(id, { ...account, balance });
      this.balances.set(id, { balance, at: entry.createdAt });
      return balance;
    };
    const fromBalanceAfter = move(entry.fromAccountId, -1n);
    const toBalanceAfter = move(entry.toAccountId, 1n);
    return { entry, fromBalanceAfter, toBalanceAfter, initiatedBy };
  }
}
