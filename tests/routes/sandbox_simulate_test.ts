/** Sandbox-Simulate: each fault, and an idempotent retry that yields the committed result once. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";
import {
  balanceOf,
  call,
  type Customer,
  fundedAccount,
  openAccount,
  type Requestable,
  signUp,
} from "../support/client.ts";

function depositWith(
  app: Requestable,
  customer: Customer,
  accountId: string,
  headers: Record<string, string>,
) {
  return call(app, "POST", `/accounts/${accountId}/deposit`, {
    token: customer.token,
    body: { amount: "10.00" },
    headers,
  });
}

async function ledgerSize(app: Requestable, customer: Customer, accountId: string) {
  const reply = await call<{ data: unknown[] }>(
    app,
    "GET",
    `/transactions?account_id=${accountId}`,
    {
      token: customer.token,
    },
  );
  return reply.body.data.length;
}

bankTest(
  "error_before_commit answers 503, moves nothing, and a retry then commits once",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await openAccount(app, customer);
    const key = crypto.randomUUID();
    const failed = await depositWith(app, customer, account.id, {
      "idempotency-key": key,
      "sandbox-simulate": "error_before_commit",
    });
    assert.equal(failed.status, 503);
    assert.equal(failed.headers.get("content-type"), "application/problem+json");
    assert.equal(failed.body.code, "service_unavailable");
    assert.equal(await balanceOf(app, customer, account.id), "0.00");
    assert.equal(await ledgerSize(app, customer, account.id), 0);
    const retried = await depositWith(app, customer, account.id, { "idempotency-key": key });
    assert.equal(retried.status, 201);
    const again = await depositWith(app, customer, account.id, { "idempotency-key": key });
    assert.equal(again.status, 201);
    assert.equal(again.headers.get("idempotent-replayed"), "true");
    assert.equal(again.body.id, retried.body.id);
    assert.equal(await balanceOf(app, customer, account.id), "10.00");
  },
);

bankTest("error_before_commit writes no event either", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  await depositWith(app, customer, account.id, { "sandbox-simulate": "error_before_commit" });
  const events = await call<{ data: unknown[] }>(app, "GET", "/events?type=transaction.approved", {
    token: customer.token,
  });
  assert.deepEqual(events.body.data, []);
});

bankTest("error_after_commit answers 500 but commits; a retry returns the 201 once", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const key = crypto.randomUUID();
  const failed = await depositWith(app, customer, account.id, {
    "idempotency-key": key,
    "sandbox-simulate": "error_after_commit",
  });
  assert.equal(failed.status, 500);
  assert.equal(failed.body.code, "internal_error");
  assert.equal(failed.body.simulated_fault, "error_after_commit");
  assert.equal(await balanceOf(app, customer, account.id), "10.00");
  const retried = await depositWith(app, customer, account.id, {
    "idempotency-key": key,
    "sandbox-simulate": "error_after_commit",
  });
  assert.equal(retried.status, 201, "a replay answers the committed result, fault or not");
  assert.equal(retried.headers.get("idempotent-replayed"), "true");
  assert.equal(retried.body.amount, "10.00");
  assert.equal(await balanceOf(app, customer, account.id), "10.00");
  assert.equal(await ledgerSize(app, customer, account.id), 1);
});

bankTest(
  "drop_after_commit commits and gives no readable answer; a retry returns the 201",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await openAccount(app, customer);
    const key = crypto.randomUUID();
    const response = await app.request(`/accounts/${account.id}/deposit`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${customer.token}`,
        "content-type": "application/json",
        "idempotency-key": key,
        "sandbox-simulate": "drop_after_commit",
      },
      body: JSON.stringify({ amount: "10.00" }),
    });
    await assert.rejects(response.text());
    assert.equal(await balanceOf(app, customer, account.id), "10.00");
    const retried = await depositWith(app, customer, account.id, { "idempotency-key": key });
    assert.equal(retried.status, 201);
    assert.equal(retried.headers.get("idempotent-replayed"), "true");
    assert.equal(await ledgerSize(app, customer, account.id), 1);
  },
);

bankTest("drop_after_commit closes a real connection before any body is sent", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const port = 8590;
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, app.fetch);
  try {
    const body = JSON.stringify({ amount: "10.00" });
    const key = crypto.randomUUID();
    const connection = await Deno.connect({ hostname: "127.0.0.1", port });
    const request = [
      `POST /accounts/${account.id}/deposit HTTP/1.1`,
      "host: 127.0.0.1",
      `authorization: Bearer ${customer.token}`,
      "content-type: application/json",
      `idempotency-key: ${key}`,
      "sandbox-simulate: drop_after_commit",
      `content-length: ${body.length}`,
      "",
      body,
    ].join("\r\n");
    await connection.write(new TextEncoder().encode(request));
    const bytes: number[] = [];
    const buffer = new Uint8Array(4096);
    // The server must end the connection by itself; reading until EOF proves it did.
    for (
      let read = await connection.read(buffer);
      read !== null;
      read = await connection.read(buffer)
    ) {
      bytes.push(...buffer.subarray(0, read));
    }
    connection.close();
    const raw = new TextDecoder().decode(new Uint8Array(bytes));
    const [, rest = ""] = raw.split("\r\n\r\n");
    assert.equal(rest, "", "no body byte reached the client");
    assert.ok(!raw.includes("\r\n0\r\n\r\n"), "the chunked body never ended");
    assert.equal(await balanceOf(app, customer, account.id), "10.00");
    const retried = await fetch(`http://127.0.0.1:${port}/accounts/${account.id}/deposit`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${customer.token}`,
        "content-type": "application/json",
        "idempotency-key": key,
      },
      body,
    });
    assert.equal(retried.status, 201);
    assert.equal(retried.headers.get("idempotent-replayed"), "true");
    assert.equal((await retried.json()).amount, "10.00");
    assert.equal(await balanceOf(app, customer, account.id), "10.00");
  } finally {
    await server.shutdown();
  }
});

bankTest("latency=<ms> delays the answer and commits normally", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const started = performance.now();
  const reply = await depositWith(app, customer, account.id, { "sandbox-simulate": "latency=60" });
  assert.ok(performance.now() - started >= 60, "the answer came no sooner than asked");
  assert.equal(reply.status, 201);
  assert.equal(await balanceOf(app, customer, account.id), "10.00");
});

bankTest("an unknown fault or a latency above 10000 ms is a 400 and moves nothing", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  for (
    const fault of ["explode", "latency=10001", "latency=-1", "latency=", "ERROR_AFTER_COMMIT"]
  ) {
    const reply = await depositWith(app, customer, account.id, {
      "idempotency-key": crypto.randomUUID(),
      "sandbox-simulate": fault,
    });
    assert.equal(reply.status, 400, fault);
    assert.equal(reply.body.code, "validation_error");
  }
  assert.equal(await balanceOf(app, customer, account.id), "0.00");
});

bankTest("faults apply to withdrawals and transfers too", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const from = await fundedAccount(app, customer, "100");
  const to = await openAccount(app, customer);
  const key = crypto.randomUUID();
  const body = { from_account_id: from.id, to_account_id: to.id, amount: "30" };
  const failed = await call(app, "POST", "/transactions/transfer", {
    token: customer.token,
    body,
    headers: { "idempotency-key": key, "sandbox-simulate": "error_after_commit" },
  });
  assert.equal(failed.status, 500);
  const retried = await call(app, "POST", "/transactions/transfer", {
    token: customer.token,
    body,
    headers: { "idempotency-key": key },
  });
  assert.equal(retried.status, 201);
  assert.equal(await balanceOf(app, customer, from.id), "70.00");
  assert.equal(await balanceOf(app, customer, to.id), "30.00");
  const withdrawal = await call(app, "POST", `/accounts/${from.id}/withdraw`, {
    token: customer.token,
    body: { amount: "5" },
    headers: { "sandbox-simulate": "error_before_commit" },
  });
  assert.equal(withdrawal.status, 503);
  assert.equal(await balanceOf(app, customer, from.id), "70.00");
});
