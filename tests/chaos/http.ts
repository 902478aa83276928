/**
 * The chaos clients' HTTP: a request under an Idempotency-Key retried until it has a definitive
 * answer, and the shapes every kind of attempt shares. Every loop here is bounded by its deadline.
 */
import { REQUEST_TIMEOUT_MS } from "../../app.ts";

/** A client waits this long at most: the server's own request timeout plus slack. */
export const CLIENT_WAIT_MS_MAX = REQUEST_TIMEOUT_MS + 3_000;

/** A customer of the server under test, with one funded account and a card on it. */
export interface ChaosCustomer {
  token: string;
  accountId: string;
  /** The ZAR account's number (debit orders name the account by it). */
  accountNumber: string;
  cardId: string;
  /** A USD account the customer's FX transfers (from the ZAR account) go into. */
  usdAccountId: string;
}

/** The kinds of movement the chaos mix sends (see mix.ts for the banking ones). */
export type AttemptKind =
  | "transfer"
  | "card"
  | "batch"
  | "bulk"
  | "payment"
  | "return"
  | "schedule"
  | "debit_order"
  | "dispute";

/**
 * What became of one movement a client tried (perhaps several times, under one key): a transfer,
 * a card purchase (an authorization, then a final capture of all of it under a key of its own), a
 * batch, an EFT payment, a return after settlement, a standing order, a debit order or a dispute.
 */
export interface Attempt {
  kind: AttemptKind;
  key: string;
  customer: ChaosCustomer;
  /** The request body, or for a return or dispute the body of the request that names `target`. */
  body: Record<string, unknown>;
  /** The payment returned or the debit order disputed. */
  target?: string;
  /**
   * The final answer, or undefined while no definitive answer came. A card purchase's is its
   * capture's (200), or its authorization's when declined (201) or when the capture never got one.
   */
  status?: number;
  /** The transfer's row; a purchase's card_capture row, or its declined authorization's. */
  transactionId?: string;
  /** The definitive answer's body (a batch's results, a payment, a debit order, a schedule). */
  answer?: Record<string, unknown>;
  /** A card purchase's authorization, once answered, and whether it was approved. */
  authorization?: { id: string; pending: boolean };
  tries: number;
  /** The label of the latest answer a try got ("409", "503", "network", …), for a failure's report. */
  lastAnswer?: string;
}

/** The name the harness has used for an attempt since it held only transfers. */
export type TransferAttempt = Attempt;

/** Everything a load run saw. */
export interface LoadReport {
  attempts: Attempt[];
  /** Count of answers by status ("network" for a refused or reset connection). */
  answers: Record<string, number>;
  /** Requests that got no answer within CLIENT_WAIT_MS_MAX. */
  hangs: number;
  /** 503 answers that were not problem+json. */
  malformed503s: number;
  /** What each 400 answer said (the harness means to send only well-formed requests). */
  badRequests?: string[];
  /** Sandbox clock advances that were answered 200 while the load ran. */
  clockAdvances?: number;
}

/** How a retry loop knows where to send and when to stop. */
export interface Retrying {
  baseUrls: () => string[];
  report: LoadReport;
  deadline: number;
  /** False once the run is over (its deadline passed or it was stopped). */
  going: () => boolean;
  onAnswer?: (label: string) => void;
}

/** One answer: a label for the tally, and the status and body when there was one. */
export interface Answered {
  label: string;
  status?: number;
  problem?: boolean;
  body?: Record<string, unknown>;
}

const RETRY_PAUSE_MS_MIN = 50;
const RETRY_PAUSE_MS_SPREAD = 250;

/**
 * Posts until a definitive answer or the deadline. Not definitive: a network error, a 503, and a
 * 409 whose key is still in flight; any other 409 (a payment no longer pending, say) is an answer.
 */
export async function postUntilAnswered(
  attempt: Attempt,
  request: { path: string; key: string; body: unknown },
  { baseUrls, report, going, onAnswer }: Retrying,
): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
  while (going()) {
    attempt.tries++;
    const urls = baseUrls();
    const baseUrl = urls[Math.floor(Math.random() * urls.length)];
    const answer = await send(baseUrl, attempt.customer.token, { method: "POST", ...request });
    report.answers[answer.label] = (report.answers[answer.label] ?? 0) + 1;
    attempt.lastAnswer = answer.label;
    onAnswer?.(answer.label);
    if (answer.label === "hang") report.hangs++;
    if (answer.status === 503 && !answer.problem) report.malformed503s++;
    if (answer.status === 400) {
      (report.badRequests ??= []).push(`${attempt.kind}: ${JSON.stringify(answer.body)}`);
    }
    const inFlight = answer.status === 409 && answer.body?.code === "idempotency_key_in_flight";
    if (answer.status !== undefined && answer.status !== 503 && !inFlight) {
      return { status: answer.status, body: answer.body ?? {} };
    }
    await pause(RETRY_PAUSE_MS_MIN + Math.random() * RETRY_PAUSE_MS_SPREAD);
  }
  return undefined;
}

/** Sends one request (a GET when `method` says so, without a key) and labels what came back. */
export async function send(
  baseUrl: string,
  token: string,
  request: { method: string; path: string; key?: string; body?: unknown },
): Promise<Answered> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  if (request.key) headers["idempotency-key"] = request.key;
  try {
    const response = await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(CLIENT_WAIT_MS_MAX),
    });
    const body = await response.json().catch(() => ({}));
    const problem = response.headers.get("content-type") === "application/problem+json";
    return { label: String(response.status), status: response.status, problem, body };
  } catch (error) {
    const name = (error as Error).name;
    return { label: name === "TimeoutError" ? "hang" : "network" };
  }
}

/** Waits `ms` milliseconds: a client's pause between tries, never a test waiting for a result. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
