/**
 * The every-movement workload: each connection runs one fixed cycle of requests, so every kind
 * keeps its share: deposits, withdrawals, transfers, payments out, holds placed then captured or
 * voided, card authorizations then captured, FX quotes then the conversion they price. Each
 * money movement carries an Idempotency-Key of its own, as a careful client sends. Answers are
 * tallied per kind (latency from the request's setup to its answer, on the load generator).
 */
import type { Customer } from "./customers.ts";
import { drive, type LoadRequest } from "./load.ts";
import type { KindMeasured, MovementsMeasured } from "./results.ts";
import type { Server } from "./server.ts";

/** The cycle each connection runs, in order: 20 requests, so each appearance is 5 %. */
export const MOVEMENT_CYCLE = [
  "transfer",
  "deposit",
  "withdraw",
  "hold_place",
  "hold_capture",
  "transfer",
  "payment_out",
  "card_authorization",
  "card_capture",
  "deposit",
  "transfer",
  "withdraw",
  "fx_quote",
  "fx_transfer",
  "hold_place",
  "hold_void",
  "transfer",
  "payment_out",
  "deposit",
  "withdraw",
] as const;

type Kind = typeof MOVEMENT_CYCLE[number];

// A payee at another bank whose payments settle (API.md: only the 9999… numbers return).
const PAYEE = { name: "Bench Payee", bank_code: "250655", account_number: "62001234567" };
// 100.00 ZAR: small enough amounts round above the mid rate and cannot be quoted.
const FX_SELL = "100.00";
const MERCHANT = { name: "Bench Cafe", mcc: "5812", country: "ZA" };

/** What one connection carries from step to step of its cycle (autocannon's context). */
interface Context {
  kind?: Kind;
  skipped?: boolean;
  sentAt?: number;
  customer?: Customer;
  holdId?: string;
  authorizationId?: string;
  quoteId?: string;
}

interface Call {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  customer: Customer;
}

interface Step {
  /** The call, or undefined when the step it depends on was not approved. */
  call(context: Context): Call | undefined;
  /** Keeps what a later step needs; says whether the answer was an approval. */
  read?(status: number, json: Record<string, unknown>, context: Context): boolean;
}

const random = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

function independentSteps(customers: Customer[]): Record<string, Step> {
  const all = customers.flatMap((c) => c.accountIds);
  const post = (path: (c: Customer, own: string) => string, body: (own: string) => unknown) => ({
    call: (): Call => {
      const customer = random(customers);
      const own = random(customer.accountIds);
      return { method: "POST", path: path(customer, own), body: body(own), customer };
    },
  });
  return {
    transfer: post(() => "/transactions/transfer", (own) => {
      let to = own;
      while (to === own) to = random(all);
      return { from_account_id: own, to_account_id: to, amount: "0.01" };
    }),
    deposit: post((_, own) => `/accounts/${own}/deposit`, () => ({ amount: "1.00" })),
    withdraw: post((_, own) => `/accounts/${own}/withdraw`, () => ({ amount: "0.50" })),
    payment_out: post(
      () => "/payments",
      (own) => ({ from_account_id: own, amount: "0.10", counterparty: PAYEE }),
    ),
  };
}

// The first step of a pair picks the customer and keeps the id the second step needs.
function firstOfPair(
  customers: Customer[],
  call: (customer: Customer) => Omit<Call, "customer">,
  keep: (status: number, json: Record<string, unknown>, context: Context) => boolean,
): Step {
  return {
    call: (context) => {
      const customer = random(customers);
      Object.assign(context, {
        customer,
        holdId: undefined,
        authorizationId: undefined,
        quoteId: undefined,
      });
      return { ...call(customer), customer };
    },
    read: keep,
  };
}

function secondOfPair(call: (context: Context, customer: Customer) => Call | undefined): Step {
  return { call: (context) => context.customer && call(context, context.customer) };
}

function pairedSteps(customers: Customer[]): Record<string, Step> {
  const idIf = (ok: boolean, json: Record<string, unknown>) => ok ? String(json.id) : undefined;
  return {
    hold_place: firstOfPair(customers, (c) => ({
      method: "POST",
      path: `/accounts/${random(c.accountIds)}/holds`,
      body: { amount: "1.00" },
    }), (status, json, context) => Boolean(context.holdId = idIf(status === 201, json))),
    hold_capture: secondOfPair((context, customer) =>
      context.holdId
        ? { method: "POST", path: `/holds/${context.holdId}/capture`, body: {}, customer }
        : undefined
    ),
    hold_void: secondOfPair((context, customer) =>
      context.holdId
        ? { method: "POST", path: `/holds/${context.holdId}/void`, customer }
        : undefined
    ),
    card_authorization: firstOfPair(
      customers,
      (c) => ({
        method: "POST",
        path: "/simulations/card_authorizations",
        body: { card_id: c.cardId, amount: "1.00", merchant: MERCHANT },
      }),
      (status, json, context) =>
        Boolean(context.authorizationId = idIf(status === 201 && json.status === "pending", json)),
    ),
    card_capture: secondOfPair((context, customer) =>
      context.authorizationId
        ? {
          method: "POST",
          path: `/simulations/card_authorizations/${context.authorizationId}/capture`,
          body: { amount: "1.00", final: true },
          customer,
        }
        : undefined
    ),
    ...fxSteps(customers),
  };
}

function fxSteps(customers: Customer[]): Record<string, Step> {
  return {
    fx_quote: firstOfPair(
      customers,
      () => ({
        method: "POST",
        path: "/fx/quotes",
        body: { from_currency: "ZAR", to_currency: "USD", sell_amount: FX_SELL },
      }),
      (status, json, context) =>
        Boolean(context.quoteId = status === 201 ? String(json.id) : undefined),
    ),
    fx_transfer: secondOfPair((context, customer) =>
      context.quoteId
        ? {
          method: "POST",
          path: "/transactions/transfer",
          body: {
            from_account_id: customer.accountIds[1],
            to_account_id: customer.usdAccountId,
            amount: FX_SELL,
            fx_quote_id: context.quoteId,
          },
          customer,
        }
        : undefined
    ),
  };
}

/** One kind's answers as they come. */
interface Tally {
  requests: number;
  approved: number;
  non2xx: number;
  serverErrors: number;
  skipped: number;
  latenciesMs: number[];
  outcomes: Record<string, number>;
}

function newTally(): Tally {
  return {
    requests: 0,
    approved: 0,
    non2xx: 0,
    serverErrors: 0,
    skipped: 0,
    latenciesMs: [],
    outcomes: {},
  };
}

// "422 fraud_rejected velocity_limit", "201 declined insufficient_funds": what an answer was.
function outcomeOf(status: number, json: Record<string, unknown>): string {
  const detail = status < 300 ? [json.status, json.decline_reason] : [json.code, json.reason];
  return [status, ...detail.filter((part) => part !== undefined && part !== null)].join(" ");
}

function parse(body: string): Record<string, unknown> {
  try {
    return JSON.parse(body);
  } catch {
    return {};
  }
}

function record(
  step: Step,
  tally: Tally,
  answer: { status: number; body: string },
  context: Context,
) {
  if (context.skipped) {
    tally.skipped++;
    return;
  }
  tally.requests++;
  tally.latenciesMs.push(performance.now() - (context.sentAt ?? 0));
  const { status } = answer;
  const json = step.read || status >= 300 ? parse(answer.body) : {};
  const approved = step.read ? step.read(status, json, context) : status < 300;
  if (approved) {
    tally.approved++;
    return;
  }
  if (status >= 300) tally.non2xx++;
  if (status >= 500) tally.serverErrors++;
  const outcome = outcomeOf(status, json);
  tally.outcomes[outcome] = (tally.outcomes[outcome] ?? 0) + 1;
}

// A dependent step whose first half was refused reads the customer's account instead, so that
// the cycle keeps its length; it is counted as skipped, not as its kind.
function skippedRead(context: Context, fallback: Customer): Call {
  const customer = context.customer ?? fallback;
  return { method: "GET", path: `/accounts/${customer.accountIds[0]}`, customer };
}

function loadRequest(kind: Kind, step: Step, tally: Tally, fallback: Customer): LoadRequest {
  return {
    method: "POST",
    setupRequest: (request, autocannonContext) => {
      const context = autocannonContext as Context;
      const call = step.call(context);
      Object.assign(context, { kind, skipped: call === undefined, sentAt: performance.now() });
      const { method, path, body, customer } = call ?? skippedRead(context, fallback);
      const headers: Record<string, string> = { authorization: `Bearer ${customer.token}` };
      if (method === "POST" && kind !== "fx_quote") {
        headers["idempotency-key"] = crypto.randomUUID();
      }
      if (body !== undefined) headers["content-type"] = "application/json";
      return {
        ...request,
        method,
        path,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      };
    },
    onResponse: (status, body, context) =>
      record(step, tally, { status, body }, context as Context),
  };
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const value = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return Math.round(value * 10) / 10;
}

function kindMeasured(kind: Kind, tally: Tally, seconds: number): KindMeasured {
  const sorted = [...tally.latenciesMs].sort((a, b) => a - b);
  return {
    kind,
    share: MOVEMENT_CYCLE.filter((k) => k === kind).length / MOVEMENT_CYCLE.length,
    requests: tally.requests,
    perSecond: Math.round(tally.requests / seconds),
    approvedPerSecond: Math.round(tally.approved / seconds),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    non2xx: tally.non2xx,
    serverErrors: tally.serverErrors,
    skipped: tally.skipped,
    outcomes: tally.outcomes,
  };
}

/** Runs the every-movement workload at `connections` for `seconds`. */
export async function runMovements(
  server: Server,
  customers: Customer[],
  load: { connections: number; seconds: number },
): Promise<MovementsMeasured> {
  const steps = { ...independentSteps(customers), ...pairedSteps(customers) };
  const tallies = new Map<Kind, Tally>(MOVEMENT_CYCLE.map((kind) => [kind, newTally()]));
  const requests = MOVEMENT_CYCLE.map((kind) =>
    loadRequest(kind, steps[kind], tallies.get(kind)!, customers[0])
  );
  const whole = await drive(server, { scenario: "movements", ...load, requests });
  const kinds = [...tallies].map(([kind, tally]) => kindMeasured(kind, tally, whole.seconds));
  const all = [...tallies.values()];
  const sum = (field: "requests" | "approved" | "non2xx") =>
    all.reduce((total, tally) => total + tally[field], 0);
  const latencies = all.flatMap((tally) => tally.latenciesMs).sort((a, b) => a - b);
  const refused = all.flatMap((tally) => Object.entries(tally.outcomes))
    .filter(([outcome]) => outcome.startsWith("422")).reduce((total, [, n]) => total + n, 0);
  return {
    ...whole,
    requests: sum("requests"),
    perSecond: Math.round(sum("requests") / whole.seconds),
    approved: sum("approved"),
    approvedPerSecond: Math.round(sum("approved") / whole.seconds),
    refused,
    non2xx: sum("non2xx"),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    kinds,
  };
}

/** One line per kind, as the run goes. */
export function logKinds(movements: MovementsMeasured) {
  for (const k of movements.kinds) {
    console.log(
      `  ${k.kind.padEnd(19)} ${String(k.perSecond).padStart(5)}/s  approved ${
        String(k.approvedPerSecond).padStart(5)
      }/s  p50 ${k.p50Ms} ms  p99 ${k.p99Ms} ms  non2xx ${k.non2xx}  5xx ${k.serverErrors}  skipped ${k.skipped}  ${
        JSON.stringify(k.outcomes)
      }`,
    );
  }
}
