/** The delivery worker: signing, retries, failure, crash safety and sharing the queue. */
import assert from "node:assert/strict";
import { claimDueDeliveries } from "../../db/webhook_deliveries.ts";
import { deliverDueWebhooks } from "../../db/webhook_worker.ts";
import { createMemoryLogger } from "../../routes/logger.ts";
import { bankTest, testApp, testConfig } from "../support/app.ts";
import { call, deposit, openAccount, signUp } from "../support/client.ts";
import { onRealPostgres } from "../support/database.ts";
import { startReceiver } from "../support/receiver.ts";
import { createEndpoint, deliveriesOf, runWorkerUntil } from "../support/webhooks.ts";

const COMPRESSED = { WEBHOOK_RETRY_SCHEDULE: "20ms,40ms,60ms" };
const realTime = () => new Date();

bankTest(
  "a delivery is signed per Standard Webhooks and verifies with the endpoint secret",
  async () => {
    const { app, sql, config } = await testApp();
    const receiver = startReceiver();
    try {
      const customer = await signUp(app);
      const endpoint = await createEndpoint(app, customer, { url: receiver.url });
      receiver.secret = endpoint.secret;
      const account = await openAccount(app, customer);
      await runWorkerUntil({ sql, config }, () => receiver.received.length >= 1);
      const [got] = receiver.received;
      assert.equal(got.verified, true);
      const event = JSON.parse(got.body);
      assert.equal(event.type, "account.created");
      assert.equal(event.data.object.id, account.id);
      assert.equal(got.headers.get("webhook-id"), event.id);
      assert.match(got.headers.get("webhook-signature")!, /^v1,[A-Za-z0-9+/]+=*$/);
      assert.match(got.headers.get("webhook-timestamp")!, /^\d{10}$/);
    } finally {
      await receiver.close();
    }
  },
);

bankTest("a delivery signed with another secret does not verify", async () => {
  const { app, sql, config } = await testApp();
  const receiver = startReceiver();
  try {
    const customer = await signUp(app);
    const endpoint = await createEndpoint(app, customer, { url: receiver.url });
    receiver.secret = `whsec_${btoa("a different secret, 24 b")}`;
    assert.notEqual(receiver.secret, endpoint.secret);
    await openAccount(app, customer);
    await runWorkerUntil({ sql, config }, () => receiver.received.length >= 1);
    assert.equal(receiver.received[0].verified, false);
  } finally {
    await receiver.close();
  }
});

bankTest(
  "a receiver that fails twice then succeeds gets the event on the third attempt",
  async () => {
    const { app, sql, config } = await testApp({ env: COMPRESSED });
    const receiver = startReceiver([500, 503, 200]);
    try {
      const customer = await signUp(app);
      const endpoint = await createEndpoint(app, customer, {
        url: receiver.url,
        event_types: ["transaction.approved"],
      });
      receiver.secret = endpoint.secret;
      const account = await openAccount(app, customer);
      await deposit(app, customer, account.id, "25.00");
      await runWorkerUntil({ sql, config }, async () => {
        const [delivery] = await deliveriesOf(app, customer, endpoint.id);
        return delivery?.status !== "pending";
      });
      const [delivery] = await deliveriesOf(app, customer, endpoint.id);
      assert.equal(delivery.status, "succeeded");
      assert.equal(delivery.attempt, 3);
      assert.equal(delivery.response_status, 200);
      assert.equal(delivery.next_attempt_at, null);
      const attempts = delivery.attempts as { response_status: number; error: string | null }[];
      assert.deepEqual(attempts.map((attempt) => attempt.response_status), [500, 503, 200]);
      assert.deepEqual(attempts.map((attempt) => attempt.error), ["HTTP 500", "HTTP 503", null]);
      assert.equal(receiver.received.length, 3);
      assert.ok(receiver.received.every((got) => got.verified));
      const ids = new Set(receiver.received.map((got) => got.headers.get("webhook-id")));
      assert.equal(ids.size, 1, "every retry carries the same webhook-id");
    } finally {
      await receiver.close();
    }
  },
);

bankTest("a delivery is failed after the last attempt of the schedule", async () => {
  const { app, sql, config } = await testApp({ env: COMPRESSED });
  const receiver = startReceiver([500]);
  try {
    const customer = await signUp(app);
    const endpoint = await createEndpoint(app, customer, { url: receiver.url });
    await openAccount(app, customer);
    await runWorkerUntil({ sql, config }, async () => {
      const [delivery] = await deliveriesOf(app, customer, endpoint.id);
      return delivery?.status !== "pending";
    });
    const [delivery] = await deliveriesOf(app, customer, endpoint.id);
    assert.equal(delivery.status, "failed");
    assert.equal(delivery.attempt, 4, "one attempt and one per scheduled retry");
    assert.equal(delivery.next_attempt_at, null);
    assert.equal(receiver.received.length, 4);
  } finally {
    await receiver.close();
  }
});

bankTest("an unreachable receiver is recorded as a connection error and retried", async () => {
  const { app, sql, config } = await testApp({ env: COMPRESSED });
  const receiver = startReceiver();
  await receiver.close();
  const customer = await signUp(app);
  const endpoint = await createEndpoint(app, customer, { url: receiver.url });
  await openAccount(app, customer);
  await deliverDueWebhooks({ sql, config, log: createMemoryLogger(), clock: realTime });
  const [delivery] = await deliveriesOf(app, customer, endpoint.id);
  assert.equal(delivery.status, "pending");
  assert.equal(delivery.attempt, 1);
  assert.equal(delivery.response_status, null);
  assert.match(String(delivery.error), /^connection failed/);
  assert.equal(typeof delivery.next_attempt_at, "string");
});

bankTest("an event committed while no worker runs is delivered by the next worker", async () => {
  const { app } = await testApp();
  const receiver = startReceiver();
  try {
    const customer = await signUp(app);
    const endpoint = await createEndpoint(app, customer, { url: receiver.url });
    // The server "dies" right after this commit: no worker has run.
    const account = await openAccount(app, customer);
    const [queued] = await deliveriesOf(app, customer, endpoint.id);
    assert.equal(queued.status, "pending");
    assert.equal(queued.attempt, 0);
    // A new process: a new app over the same database, and its worker.
    const restarted = await testApp();
    await runWorkerUntil(
      { sql: restarted.sql, config: restarted.config },
      () => receiver.received.length >= 1,
    );
    assert.equal(JSON.parse(receiver.received[0].body).data.object.id, account.id);
    const [delivered] = await deliveriesOf(app, customer, endpoint.id);
    assert.equal(delivered.status, "succeeded");
    assert.equal(delivered.attempt, 1);
  } finally {
    await receiver.close();
  }
});

bankTest("a worker that dies holding a delivery only delays it until its lease ends", async () => {
  const { app, sql, config } = await testApp();
  const receiver = startReceiver();
  try {
    const customer = await signUp(app);
    const endpoint = await createEndpoint(app, customer, { url: receiver.url });
    await openAccount(app, customer);
    // Claims everything due with a 1 ms lease, then "crashes" before sending anything.
    await claimDueDeliveries(sql, { limit: 1000, leaseMs: 1, realNow: new Date() });
    await runWorkerUntil({ sql, config }, () => receiver.received.length >= 1);
    const [delivery] = await deliveriesOf(app, customer, endpoint.id);
    assert.equal(delivery.status, "succeeded");
    assert.equal(delivery.attempt, 1, "the dead worker's claim is not counted as an attempt");
    assert.equal(receiver.received.length, 1);
  } finally {
    await receiver.close();
  }
});

bankTest("a delivery leased by a live worker is not claimed by another", async () => {
  const { app, sql } = await testApp();
  const customer = await signUp(app);
  const endpoint = await createEndpoint(app, customer, { url: "http://127.0.0.1:8599/unused" });
  await openAccount(app, customer);
  const first = await claimDueDeliveries(sql, {
    limit: 1000,
    leaseMs: 60_000,
    realNow: new Date(),
  });
  const second = await claimDueDeliveries(sql, {
    limit: 1000,
    leaseMs: 60_000,
    realNow: new Date(),
  });
  const [delivery] = await deliveriesOf(app, customer, endpoint.id);
  assert.ok(first.some((row) => row.id === delivery.id));
  assert.ok(!second.some((row) => row.id === delivery.id));
});

bankTest("two workers claiming at once never take the same delivery", async () => {
  const { app, sql } = await testApp();
  const customer = await signUp(app);
  await createEndpoint(app, customer, { url: "http://127.0.0.1:8599/unused" });
  for (let index = 0; index < 20; index++) await openAccount(app, customer);
  const [a, b] = await Promise.all([
    claimDueDeliveries(sql, { limit: 12, leaseMs: 60_000, realNow: new Date() }),
    claimDueDeliveries(sql, { limit: 12, leaseMs: 60_000, realNow: new Date() }),
  ]);
  const overlap = a.filter((row) => b.some((other) => other.id === row.id));
  assert.deepEqual(overlap, []);
  assert.ok(a.length + b.length >= 20);
  // One embedded connection serialises everything: nothing to race there.
}, { ignore: !onRealPostgres() });

bankTest("a disabled endpoint is sent nothing and event_types filters what is queued", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const disabled = await createEndpoint(app, customer, { url: "http://127.0.0.1:8599/off" });
  await call(app, "PATCH", `/webhook_endpoints/${disabled.id}`, {
    token: customer.token,
    body: { enabled: false },
  });
  const rejectedOnly = await createEndpoint(app, customer, {
    url: "http://127.0.0.1:8599/rejected",
    event_types: ["transaction.rejected"],
  });
  const account = await openAccount(app, customer);
  await deposit(app, customer, account.id, "10");
  await call(app, "POST", `/accounts/${account.id}/withdraw`, {
    token: customer.token,
    body: { amount: "99" },
  });
  assert.deepEqual(await deliveriesOf(app, customer, disabled.id), []);
  const queued = await deliveriesOf(app, customer, rejectedOnly.id);
  assert.deepEqual(queued.map((delivery) => delivery.event_type), ["transaction.rejected"]);
});

bankTest(
  "POST /events/{id}/redeliver queues the event again with the same webhook-id",
  async () => {
    const { app, sql, config } = await testApp();
    const receiver = startReceiver();
    try {
      const customer = await signUp(app);
      const endpoint = await createEndpoint(app, customer, { url: receiver.url });
      await openAccount(app, customer);
      await runWorkerUntil({ sql, config }, () => receiver.received.length >= 1);
      const eventId = receiver.received[0].headers.get("webhook-id")!;
      const reply = await call(app, "POST", `/events/${eventId}/redeliver`, {
        token: customer.token,
      });
      assert.equal(reply.status, 202);
      assert.deepEqual(reply.body, { event_id: eventId, deliveries_queued: 1 });
      await runWorkerUntil({ sql, config }, () => receiver.received.length >= 2);
      assert.equal(receiver.received[1].headers.get("webhook-id"), eventId);
      assert.equal((await deliveriesOf(app, customer, endpoint.id)).length, 2);
    } finally {
      await receiver.close();
    }
  },
);

bankTest(
  "the worker refuses to send to a private address at delivery time unless allowed",
  async () => {
    const { app, sql } = await testApp();
    const receiver = startReceiver();
    try {
      const customer = await signUp(app);
      // Registered while the name looked public; it now resolves to loopback (DNS rebinding).
      const endpoint = await createEndpoint(app, customer, { url: receiver.url });
      await openAccount(app, customer);
      const production = testConfig({ APP_ENV: "production", WEBHOOK_ALLOW_PRIVATE: "false" });
      await deliverDueWebhooks({
        sql,
        config: production,
        log: createMemoryLogger(),
        clock: realTime,
        resolveHost: () => Promise.resolve(["127.0.0.1"]),
      });
      const [delivery] = await deliveriesOf(app, customer, endpoint.id);
      assert.equal(delivery.attempt, 1);
      assert.equal(delivery.response_status, null);
      assert.match(
        String(delivery.error),
        /^refused: url must point to a public \(global unicast\) address/,
      );
      assert.equal(receiver.received.length, 0);
    } finally {
      await receiver.close();
    }
  },
);

bankTest("three workers draining one queue together send each event exactly once", async () => {
  const { app, sql, config } = await testApp();
  const receiver = startReceiver();
  try {
    const customer = await signUp(app);
    await createEndpoint(app, customer, { url: receiver.url });
    const account = await openAccount(app, customer);
    await Promise.all(
      Array.from({ length: 30 }, (_, index) => deposit(app, customer, account.id, index + 1)),
    );
    const worker = { sql, config, log: createMemoryLogger(), clock: realTime };
    const expected = 31; // account.created and 30 transaction.approved
    for (let pass = 0; pass < 100 && receiver.received.length < expected; pass++) {
      await Promise.all([1, 2, 3].map(() => deliverDueWebhooks(worker, { limit: 4 })));
    }
    const ids = receiver.received.map((got) => got.headers.get("webhook-id"));
    assert.equal(ids.length, expected);
    assert.equal(new Set(ids).size, expected);
  } finally {
    await receiver.close();
  }
  // One embedded connection serialises everything: nothing to race there.
}, { ignore: !onRealPostgres() });
