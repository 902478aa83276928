/**
 * The seed flow through the typed client: openapi-fetch over the types openapi-typescript made of
 * /openapi.json (schema.d.ts beside this file). Every path, body, parameter and answer is typed:
 * a misspelt field or path is a compile error, and `data` / `error` have the response schemas.
 *
 *   deno task client:example                        # against http://localhost:8000
 *   BASE_URL=http://127.0.0.1:8310 deno task client:example
 *
 * It exits non-zero when the sandbox answers anything but what the contract says.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.d.ts";

type Account = components["schemas"]["Account"];
type Problem = components["schemas"]["Problem"];
/** What openapi-fetch calls to send a request (globalThis.fetch unless given). */
type Fetch = (request: Request) => Promise<Response>;

/** What the flow saw: the two accounts at the end and the refusal it read. */
export interface SeedFlowResult {
  from: Account;
  to: Account;
  refusal: Problem;
}

/** Fails the flow with what was expected when the sandbox answered otherwise. */
function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`Seed flow: ${message}`);
}

/** Registers a new customer and returns a client that sends its access token. */
async function signedInClient(baseUrl: string, fetch?: Fetch) {
  const anonymous = createClient<paths>({ baseUrl, fetch });
  const email = `typed-client-${crypto.randomUUID()}@example.com`;
  const password = "correct horse battery";
  const registered = await anonymous.POST("/users", {
    body: { name: "Typed Client", email, password },
  });
  expect(registered.response.status === 201, `POST /users answered ${registered.response.status}`);
  const login = await anonymous.POST("/auth/login", { body: { email, password } });
  expect(login.data !== undefined, `POST /auth/login answered ${login.response.status}`);
  const headers = { authorization: `Bearer ${login.data.access_token}` };
  return createClient<paths>({ baseUrl, fetch, headers });
}

/** Register, log in, open two accounts, deposit R500, withdraw R200, transfer R100, be refused. */
export async function seedFlow(
  baseUrl: string,
  options: { fetch?: Fetch } = {},
): Promise<SeedFlowResult> {
  const client = await signedInClient(baseUrl, options.fetch);
  const first = await client.POST("/accounts", { body: { currency: "ZAR" } });
  const second = await client.POST("/accounts", {});
  expect(first.data !== undefined && second.data !== undefined, "POST /accounts failed");
  const id = first.data.id;

  const deposit = await client.POST("/accounts/{id}/deposit", {
    params: { path: { id }, header: { "idempotency-key": `salary-${crypto.randomUUID()}` } },
    body: { amount: "500.00", description: "Salary" },
  });
  expect(deposit.data?.status === "approved", "the deposit was not approved");
  const withdrawal = await client.POST("/accounts/{id}/withdraw", {
    params: { path: { id } },
    body: { amount: "200.00" },
  });
  expect(withdrawal.data?.status === "approved", "the withdrawal was not approved");
  const transfer = await client.POST("/transactions/transfer", {
    body: { from_account_id: id, to_account_number: second.data.account_number, amount: "100.00" },
  });
  expect(transfer.data?.status === "approved", "the transfer was not approved");

  // More than the balance: a 422 problem+json, recorded on the ledger, and nothing moves.
  const refused = await client.POST("/transactions/transfer", {
    body: { from_account_id: id, to_account_id: second.data.id, amount: "1000.00" },
  });
  expect(refused.response.status === 422, `the refusal answered ${refused.response.status}`);
  const type = refused.response.headers.get("content-type") ?? "";
  expect(type.startsWith("application/problem+json"), `the refusal was ${type}`);
  expect(refused.error?.code === "insufficient_funds", "the refusal's code");
  expect(typeof refused.error.transaction_id === "string", "the refusal names its ledger row");

  const from = await client.GET("/accounts/{id}", { params: { path: { id } } });
  const to = await client.GET("/accounts/{id}", { params: { path: { id: second.data.id } } });
  expect(from.data?.balance === "200.00", `the first balance is ${from.data?.balance}`);
  expect(to.data?.balance === "100.00", `the second balance is ${to.data?.balance}`);
  return { from: from.data, to: to.data, refusal: refused.error };
}

if (import.meta.main) {
  const baseUrl = Deno.env.get("BASE_URL") ?? "http://localhost:8000";
  const { from, to, refusal } = await seedFlow(baseUrl);
  console.log(`${from.account_number}: ${from.balance} ${from.currency}`);
  console.log(`${to.account_number}: ${to.balance} ${to.currency}`);
  console.log(`Refused: ${refusal.status} ${refusal.code} (${refusal.detail})`);
}
