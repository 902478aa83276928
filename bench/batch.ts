/**
 * Times 1000-item batches against a running server: `deno task bench:batch [baseUrl]`. Start the
 * server with FRAUD_MAX_TRANSFERS above 1000, or the velocity rule refuses item 6 onwards (as it
 * must: a batch's items count as that many transfers).
 */
const BASE_URL = Deno.args[0] ?? "http://127.0.0.1:8000";
const ITEMS = 1000;
const RUNS = 5;

async function post(path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${BASE_URL}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const parsed = await response.json();
  if (response.status >= 300) {
    throw new Error(`${path}: ${response.status} ${JSON.stringify(parsed)}`);
  }
  return parsed;
}

const email = `bench-${crypto.randomUUID()}@example.test`;
const password = "correct horse battery";
await post("/auth/register", { name: "Batch bench", email, password });
const { access_token: token } = await post("/auth/login", { email, password }) as {
  access_token: string;
};
const from = await post("/accounts", {}, token);
const to = await post("/accounts", {}, token);
await post(`/accounts/${from.id}/deposit`, { amount: String(ITEMS * RUNS * 2) }, token);

const transfers = Array.from({ length: ITEMS }, () => ({
  from_account_id: from.id,
  to_account_id: to.id,
  amount: "1.00",
}));
const payments = Array.from({ length: ITEMS }, () => ({
  from_account_id: from.id,
  amount: "1.00",
  counterparty: { name: "Bench", bank_code: "250655", account_number: "62001234567" },
}));
for (const [path, items] of [["/transactions/batch", transfers], ["/payments/bulk", payments]]) {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const answer = await post(path as string, { atomic: true, items }, token);
    times.push(performance.now() - started);
    console.log(`${path} run ${run + 1}: ${Math.round(times[run])} ms`);
    const results = answer.results as { status: string }[];
    if (!results.every((result) => result.status === "approved")) throw new Error("item refused");
  }
  times.sort((a, b) => a - b);
  console.log(
    `${path}: ${ITEMS} items, ${RUNS} runs: median ${Math.round(times[RUNS >> 1])} ms, ` +
      `min ${Math.round(times[0])} ms, max ${Math.round(times[RUNS - 1])} ms`,
  );
}
