/**
 * A small API client over `app.request()`, for tests that read as the customer's steps. Every
 * answer is checked against the app's OpenAPI document.
 */
import { assertAnswerInContract } from "./contract.ts";

/** Anything with Hono's in-process `request`. */
export interface Requestable {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

/** A parsed response. */
export interface Reply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** Sends a request with JSON body and bearer token; parses a JSON or problem+json answer. */
export async function call<T = Record<string, unknown>>(
  app: Requestable,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = JSON.stringify(options.body);
  } else if (options.raw !== undefined) {
    headers["content-type"] ??= "application/json";
  }
  const response = await app.request(path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: the text stays as it is.
  }
  // Every answer a test receives is checked against /openapi.json: the suite is the contract test.
  await assertAnswerInContract(app, {
    method,
    path: new URL(path, "http://localhost").pathname,
    status: response.status,
    contentType: response.headers.get("content-type"),
    body: parsed,
  });
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/** A registered, logged-in customer. */
export interface Customer {
  id: string;
  email: string;
  password: string;
  token: string;
}

/** Registers a fresh customer and logs in. */
export async function signUp(app: Requestable, name = "Test Customer"): Promise<Customer> {
  const email = `c-${crypto.randomUUID()}@example.test`;
  const password = "correct horse battery";
  const registered = await call(app, "POST", "/auth/register", { body: { name, email, password } });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status}`);
  const login = await call<{ access_token: string }>(app, "POST", "/auth/login", {
    body: { email, password },
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  return { id: String(registered.body.id), email, password, token: login.body.access_token };
}

/** An account as the API answers it. */
export interface AccountJson {
  id: string;
  account_number: string;
  currency: string;
  balance: string;
  available_balance: string;
}

/** Opens an account for the customer. */
export async function openAccount(
  app: Requestable,
  customer: Customer,
  currency = "ZAR",
): Promise<AccountJson> {
  const reply = await call<AccountJson>(app, "POST", "/accounts", {
    token: customer.token,
    body: { currency },
  });
  if (reply.status !== 201) throw new Error(`open account failed: ${reply.status}`);
  return reply.body;
}

/** Deposits into the customer's account and returns the reply. */
export async function deposit(
  app: Requestable,
  customer: Customer,
  accountId: string,
  amount: string | number,
): Promise<Reply> {
  return await call(app, "POST", `/accounts/${accountId}/deposit`, {
    token: customer.token,
    body: { amount },
  });
}

/** Opens an account and funds it. */
export async function fundedAccount(
  app: Requestable,
  customer: Customer,
  amount: string,
  currency = "ZAR",
): Promise<AccountJson> {
  const account = await openAccount(app, customer, currency);
  const reply = await deposit(app, customer, account.id, amount);
  if (reply.status !== 201) throw new Error(`deposit failed: ${reply.status}`);
  return account;
}

/** The account's balance as the API reports it now. */
export async function balanceOf(
  app: Requestable,
  customer: Customer,
  accountId: string,
): Promise<string> {
  const reply = await call<AccountJson>(app, "GET", `/accounts/${accountId}`, {
    token: customer.token,
  });
  return reply.body.balance;
}

/** Sends a transfer. */
export async function transfer(
  app: Requestable,
  customer: Customer,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return await call(app, "POST", "/transactions/transfer", {
    token: customer.token,
    body,
    headers,
  });
}
