/**
 * The banking kinds of the chaos mix: batches (atomic and item by item), bulk payments, EFT
 * payments (some to the magic number the network takes back after settling), returns after
 * settlement with ISO 20022 codes, standing orders, debit orders and their disputes; and the clock
 * driver that advances the customers' shared sandbox clock a day at a time while the load runs, so
 * that payments settle and schedules and debit orders fall due under load.
 */
import { localDate } from "../../domain/business_days.ts";
import { addDays } from "../../domain/public_holidays.ts";
import {
  type Attempt,
  type ChaosCustomer,
  pause,
  postUntilAnswered,
  type Retrying,
  send,
} from "./http.ts";

/**
 * What the mix remembers across attempts: the deck of kinds being dealt, what may be returned or
 * disputed once it is due, how many batches it made.
 */
export interface MixState {
  /** The kinds still to deal, one a draw; refilled (shuffled) from MIX_SHARES when empty. */
  deck: MixKind[];
  /** Returns and disputes dealt before anything was due, to deal again (DEFERRED_DRAW_SHARE). */
  deferred: MixKind[];
  /** Transfer batches made (every second one atomic, every fourth refused whole). */
  batches: number;
  /** EFT payments acknowledged, to return once settled. */
  payments: { customer: ChaosCustomer; id: string }[];
  /** Debit orders acknowledged, to dispute once collected. */
  debitOrders: { customer: ChaosCustomer; id: string }[];
  /** The shared clock's last reading (schedules start after it). */
  clockNow: Date;
  /** Attempts dealt, days the clock driver advanced, and the driver waiting for a day due. */
  dealt: number;
  ticks: number;
  dayDue: (() => void)[];
}

/** A fresh state, reading real time until the clock driver's first advance. */
export function newMixState(): MixState {
  return {
    deck: [],
    deferred: [],
    batches: 0,
    payments: [],
    debitOrders: [],
    clockNow: new Date(),
    dealt: 0,
    ticks: 0,
    dayDue: [],
  };
}

/**
 * How many of every hundred attempts each kind takes. Dealt from a shuffled deck rather than
 * rolled, one of each kind first, so that every kind comes up in every hundred attempts and in a
 * run of ten already. A return
 * or a dispute with nothing due yet becomes a plain transfer, and its card is set aside to be
 * dealt again later (a draw in DEFERRED_DRAW_SHARE takes a card set aside, when there is one).
 */
export const MIX_SHARES = {
  transfer: 28,
  card: 20,
  fx: 8,
  batch: 8,
  bulk: 4,
  payment: 8,
  return: 8,
  schedule: 5,
  debit_order: 5,
  dispute: 6,
} as const;

/** A kind the mix deals. */
export type MixKind = keyof typeof MIX_SHARES;
type BankingKind = Exclude<MixKind, "transfer" | "card" | "fx">;

/** How often a draw takes a card set aside rather than the deck's next; at most so many wait. */
const DEFERRED_DRAW_SHARE = 0.3;
const DEFERRED_MAX = 20;

/** The next kind: a card set aside, now and then, else the deck's next (refilled when empty). */
export function dealKind(state: MixState): MixKind {
  noteDealt(state);
  if (state.deferred.length > 0 && Math.random() < DEFERRED_DRAW_SHARE) {
    return state.deferred.shift()!;
  }
  if (state.deck.length === 0) state.deck = freshDeck();
  return state.deck.pop()!;
}

// A hundred cards at MIX_SHARES, shuffled, and one of every kind dealt first (the deck deals from
// its end): a run of ten attempts already holds each kind once.
function freshDeck(): MixKind[] {
  const kinds = Object.keys(MIX_SHARES) as MixKind[];
  const rest = kinds.flatMap((kind) => Array.from({ length: MIX_SHARES[kind] - 1 }, () => kind));
  return [...shuffled(rest), ...shuffled(kinds)];
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** The bank's time zone the chaos servers run with (BANK_TIME_ZONE's default). */
const TIME_ZONE = "Africa/Johannesburg";
/** A counterparty at another bank that settles normally; the magic one settles, then returns. */
const PAYEE = { name: "Chaos Payee", bank_code: "250655", account_number: "62001234567" };
const RETURNED_LATER = { ...PAYEE, account_number: "9999000006" };
/** Reasons a return after settlement is forced with, each with the code it sends (or none). */
const RETURNS: { reason: string; code?: string }[] = [
  { reason: "refund_requested", code: "MD06" },
  { reason: "authorization_revoked", code: "MD01" },
  { reason: "no_account", code: "AC01" },
  { reason: "account_closed" },
];

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

/** A decimal amount of 0.01 … `max` major units. */
export function amountUpTo(max: number): string {
  const cents = 1 + Math.floor(Math.random() * max * 100);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

/**
 * A new attempt of `kind`, or undefined when none can be made now (nothing settled to return or
 * collected to dispute yet; the reading of one failed): the worker sends a transfer instead.
 */
export async function bankingAttempt(
  kind: BankingKind,
  customers: ChaosCustomer[],
  state: MixState,
  baseUrl: string,
): Promise<Attempt | undefined> {
  const customer = pick(customers);
  const key = crypto.randomUUID();
  const base = { kind, key, customer, tries: 0 };
  switch (kind) {
    case "batch":
      return { ...base, body: transferBatch(customer, customers, key, state.batches++) };
    case "bulk":
      return { ...base, body: paymentBulk(customer, key) };
    case "payment":
      return { ...base, body: eftPayment(customer, key) };
    case "schedule":
      return { ...base, body: standingOrder(customer, key, state.clockNow) };
    case "debit_order":
      return {
        ...base,
        body: {
          account_number: customer.accountNumber,
          amount: amountUpTo(15),
          creditor: { name: "Chaos Gym", reference: key },
        },
      };
    case "return":
      return await dueTarget(
        state,
        kind,
        state.payments,
        baseUrl,
        "payments",
        "settled",
        (target) => ({
          ...base,
          customer: target.customer,
          target: target.id,
          body: pick(RETURNS),
        }),
      );
    case "dispute":
      return await dueTarget(
        state,
        kind,
        state.debitOrders,
        baseUrl,
        "debit_orders",
        "collected",
        (target) => ({
          ...base,
          customer: target.customer,
          target: target.id,
          body: {},
        }),
      );
  }
}

// Two to five transfers to other customers under one key; every second batch is atomic, and every
// other atomic one is given an item its account cannot cover, so it is refused whole (422
// batch_rejected).
function transferBatch(
  from: ChaosCustomer,
  customers: ChaosCustomer[],
  key: string,
  number: number,
) {
  const atomic = number % 2 === 0;
  const size = 2 + Math.floor(Math.random() * 4);
  const items = Array.from({ length: size }, (_, index) => {
    let to = from;
    while (to === from) to = pick(customers);
    return {
      from_account_id: from.accountId,
      to_account_id: to.accountId,
      amount: amountUpTo(20),
      description: `chaos:${key}:${index}`,
    };
  });
  if (number % 4 === 0) items[size - 1].amount = "900000.00";
  return { items, atomic };
}

function paymentBulk(from: ChaosCustomer, key: string) {
  const size = 2 + Math.floor(Math.random() * 3);
  const items = Array.from({ length: size }, (_, index) => ({
    from_account_id: from.accountId,
    amount: amountUpTo(5),
    counterparty: PAYEE,
    description: `chaos:${key}:${index}`,
    rail: Math.random() < 0.5 ? "eft" : "instant",
  }));
  return { items, atomic: Math.random() < 0.5 };
}

function eftPayment(from: ChaosCustomer, key: string) {
  return {
    from_account_id: from.accountId,
    amount: amountUpTo(8),
    counterparty: Math.random() < 0.25 ? RETURNED_LATER : PAYEE,
    description: `chaos:${key}`,
    rail: "eft",
  };
}

// Weekly, two or three runs, starting three days after the clock's last reading, so that the
// advances racing the request seldom put the start in the past (a 400, and nothing is stored). Its runs share a description of their own (not
// `chaos:`, which the invariants expect once per key).
function standingOrder(from: ChaosCustomer, key: string, clockNow: Date) {
  return {
    from_account_id: from.accountId,
    amount: amountUpTo(4),
    counterparty: PAYEE,
    description: `chaos-schedule:${key}`,
    interval: "weekly",
    start_date: addDays(localDate(clockNow, TIME_ZONE), 3),
    count: 2 + Math.floor(Math.random() * 2),
  };
}

// Sets a kind's card aside to be dealt again; past DEFERRED_MAX waiting, it is dropped.
function deferCard(state: MixState, kind: BankingKind): void {
  if (state.deferred.length < DEFERRED_MAX) state.deferred.push(kind);
}

// Takes one remembered object and reads it: in `wanted` state it becomes an attempt; not yet
// (or unreadable under a fault) it goes back for later; past it (a failed collection) it is dropped.
// Without one, the kind's card is set aside.
async function dueTarget(
  state: MixState,
  kind: BankingKind,
  pool: { customer: ChaosCustomer; id: string }[],
  baseUrl: string,
  collection: string,
  wanted: string,
  attempt: (target: { customer: ChaosCustomer; id: string }) => Attempt,
): Promise<Attempt | undefined> {
  const target = pool.splice(Math.floor(Math.random() * pool.length), 1)[0];
  if (!target) {
    deferCard(state, kind);
    return undefined;
  }
  const read = await send(baseUrl, target.customer.token, {
    method: "GET",
    path: `/${collection}/${target.id}`,
  });
  const status = read.body?.status;
  if (status === wanted) return attempt(target);
  if (read.status !== 200 || status === "pending" || status === "scheduled") pool.push(target);
  deferCard(state, kind);
  return undefined;
}

const PATHS: Record<BankingKind, (attempt: Attempt) => string> = {
  batch: () => "/transactions/batch",
  bulk: () => "/payments/bulk",
  payment: () => "/payments",
  return: (attempt) => `/simulations/payments/${attempt.target}/return`,
  schedule: () => "/payment_schedules",
  debit_order: () => "/simulations/debit_orders",
  dispute: (attempt) => `/debit_orders/${attempt.target}/dispute`,
};

/** Whether an attempt is one of the banking kinds this file sends. */
export function isBankingKind(kind: string): kind is BankingKind {
  return kind in PATHS;
}

/** Sends a banking attempt until it has its answer; remembers what may be returned or disputed. */
export async function settleBanking(
  attempt: Attempt,
  retrying: Retrying,
  state: MixState,
): Promise<void> {
  if (!isBankingKind(attempt.kind)) throw new Error(`not a banking kind: ${attempt.kind}`);
  const answer = await postUntilAnswered(attempt, {
    path: PATHS[attempt.kind](attempt),
    key: attempt.key,
    body: attempt.body,
  }, retrying);
  if (!answer) return;
  attempt.status = answer.status;
  attempt.answer = answer.body;
  const id = String(answer.body.id);
  const counterparty = attempt.body.counterparty as { account_number?: string } | undefined;
  const returnsItself = counterparty?.account_number === RETURNED_LATER.account_number;
  if (attempt.kind === "payment" && answer.status === 201 && !returnsItself) {
    state.payments.push({ customer: attempt.customer, id });
  }
  if (attempt.kind === "debit_order" && answer.status === 201) {
    state.debitOrders.push({ customer: attempt.customer, id });
  }
}

/**
 * The clock's pace: a day for every ATTEMPTS_PER_DAY attempts dealt (so a slow machine sees as
 * many days per attempt as a fast one), and no faster than a day each CLOCK_TICK_MS_MIN.
 */
export const ATTEMPTS_PER_DAY = 12;
const DAY_SECONDS = 86_400;
const CLOCK_TICK_MS_MIN = 200;
/** How long the clock driver waits for the next day's attempts before looking at `going` again. */
const DAY_WAIT_MS_MAX = 1_000;

/** Counts an attempt dealt; every ATTEMPTS_PER_DAY of them, tells the clock driver a day is due. */
export function noteDealt(state: MixState): void {
  state.dealt++;
  if (state.dealt % ATTEMPTS_PER_DAY !== 0) return;
  for (const wake of state.dayDue.splice(0)) wake();
}

// Resolves when the next day is due or after DAY_WAIT_MS_MAX, whichever is first.
function dayDueOrWhile(state: MixState): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, DAY_WAIT_MS_MAX);
    state.dayDue.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Advances the customers' shared clock a day at a time at the load's pace until `going` turns
 * false: payments settle, schedules run and debit orders are collected while the other workers
 * load the bank. An advance that gets no answer (a fault) is not counted; the next one tries again.
 */
export async function driveClock(
  customer: ChaosCustomer,
  retrying: Retrying,
  state: MixState,
): Promise<void> {
  retrying.report.clockAdvances ??= 0;
  while (retrying.going()) {
    while (retrying.going() && state.dealt < (state.ticks + 1) * ATTEMPTS_PER_DAY) {
      await dayDueOrWhile(state);
    }
    if (!retrying.going()) return;
    if (await advanceDays(customer, retrying, state, 1)) {
      state.ticks++;
      retrying.report.clockAdvances++;
    }
    await pause(CLOCK_TICK_MS_MIN);
  }
}

/** Advances the shared clock by `days` (one request); whether it was answered 200. */
export async function advanceDays(
  customer: ChaosCustomer,
  retrying: Retrying,
  state: MixState,
  days: number,
): Promise<boolean> {
  const answer = await send(pick(retrying.baseUrls()), customer.token, {
    method: "POST",
    path: "/simulations/clock/advance",
    body: { seconds: days * DAY_SECONDS },
  });
  retrying.report.answers[answer.label] = (retrying.report.answers[answer.label] ?? 0) + 1;
  if (answer.status !== 200) return false;
  state.clockNow = new Date(String(answer.body?.now));
  return true;
}

/** Days the closing round moves the clock: past every run, collection and settlement in flight. */
const CLOSING_DAYS = 10;

/**
 * The mix's closing round, once the load is over: the clock moved CLOSING_DAYS on (everything in
 * flight falls due: schedules run, debit orders are collected, payments settle, some return by
 * themselves), then every second payment still unreturned is returned after settlement and every
 * second debit order still undisputed is disputed, each under its own key until answered. So a run
 * too short for these to come up under load still makes each; the attempts are the round's.
 */
export async function closeMix(
  customer: ChaosCustomer,
  retrying: Retrying,
  state: MixState,
): Promise<Attempt[]> {
  while (retrying.going() && !await advanceDays(customer, retrying, state, CLOSING_DAYS)) {
    await pause(CLOCK_TICK_MS_MIN);
  }
  const urls = retrying.baseUrls();
  const half = (pool: readonly unknown[]) => Math.ceil(pool.length / 2);
  const kinds = [
    ...Array.from({ length: half(state.payments) }, () => "return" as const),
    ...Array.from({ length: half(state.debitOrders) }, () => "dispute" as const),
  ];
  // Each attempt takes its own target from the pool (bankingAttempt picks one and reads it).
  const made = await Promise.all(
    kinds.map((kind) => bankingAttempt(kind, [customer], state, pick(urls))),
  );
  const attempts = made.filter((attempt): attempt is Attempt => attempt !== undefined);
  await Promise.all(attempts.map((attempt) => settleBanking(attempt, retrying, state)));
  return attempts;
}
