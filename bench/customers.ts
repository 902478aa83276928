/** The bank's customers under benchmark: registered, logged in once, accounts funded, a card. */

export const USERS = 256;
export const ACCOUNTS_PER_USER = 4;

/** A customer: a token, four funded ZAR accounts, an empty USD account and a card on the first. */
export interface Customer {
  token: string;
  accountIds: string[];
  usdAccountId: string;
  cardId: string;
}

/** How a request reaches the bank: over HTTP to the bench's server, or `app.request` in process. */
export type Send = (path: string, init: RequestInit) => Promise<Response>;

/** Requests to the bench's server on `port`. */
export const overHttp = (port: number): Send => (path, init) =>
  fetch(`http://127.0.0.1:${port}${path}`, init);

/** One JSON call to the bank; anything but a success throws. */
async function api(send: Send, method: string, path: string, body: unknown, token?: string) {
  const response = await send(path, {
    method,
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  }
  return json;
}

async function createCustomer(send: Send, index: number): Promise<Customer> {
  const email = `bench-${index}-${crypto.randomUUID()}@example.test`;
  const password = "bench password 123";
  await api(send, "POST", "/auth/register", { name: `Bench ${index}`, email, password });
  const { access_token: token } = await api(send, "POST", "/auth/login", { email, password });
  const accountIds: string[] = [];
  for (let i = 0; i < ACCOUNTS_PER_USER; i++) {
    const account = await api(send, "POST", "/accounts", { currency: "ZAR" }, token);
    await api(send, "POST", `/accounts/${account.id}/deposit`, { amount: "1000000.00" }, token);
    accountIds.push(account.id);
  }
  const usd = await api(send, "POST", "/accounts", { currency: "USD" }, token);
  const card = await api(send, "POST", `/accounts/${accountIds[0]}/cards`, {}, token);
  return { token, accountIds, usdAccountId: usd.id, cardId: card.id };
}

/** Registers `count` customers (USERS), eight at a time. */
export async function createCustomers(send: Send, count = USERS): Promise<Customer[]> {
  const customers: Customer[] = [];
  for (let start = 0; start < count; start += 8) {
    const batch = Array.from(
      { length: Math.min(8, count - start) },
      (_, i) => createCustomer(send, start + i),
    );
    customers.push(...await Promise.all(batch));
  }
  return customers;
}
