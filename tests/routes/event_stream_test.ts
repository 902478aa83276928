/** GET /events/stream: the user's events as they are written, resumable, scoped, bounded. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";
import { call, deposit, openAccount, signUp } from "../support/client.ts";
import { onRealPostgres } from "../support/database.ts";
import { openEventStream } from "../support/event_stream.ts";

// Polled fast so each test takes well under a second of waiting.
const FAST = { EVENT_STREAM_POLL_MS: "50" };

interface EventPage {
  data: { id: string; type: string }[];
}

bankTest(
  "the stream delivers an event written after connecting, with id: the event id",
  async () => {
    const { app } = await testApp({ env: FAST });
    const customer = await signUp(app);
    const account = await openAccount(app, customer);
    const stream = await openEventStream(app, customer.token);
    try {
      assert.equal(stream.response.status, 200);
      assert.equal(stream.response.headers.get("content-type"), "text/event-stream");
      const moved = await deposit(app, customer, account.id, "3.25");
      const message = await stream.next();
      // The account.created written before connecting is not replayed.
      assert.equal(message.data.type, "transaction.approved");
      assert.equal(message.data.data.object.id, moved.body.id);
      assert.equal(message.id, message.data.id);
      const listed = await call<EventPage>(app, "GET", "/events?limit=1", {
        token: customer.token,
      });
      assert.equal(message.id, listed.body.data[0].id);
    } finally {
      await stream.close();
    }
  },
);

bankTest("Last-Event-ID resumes with exactly the events after that one, in order", async () => {
  const { app } = await testApp({ env: FAST });
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  for (const amount of ["1", "2", "3"]) await deposit(app, customer, account.id, amount);
  const listed = await call<EventPage>(app, "GET", "/events", { token: customer.token });
  const [third, second, first] = listed.body.data;
  const stream = await openEventStream(app, customer.token, { "last-event-id": first.id });
  try {
    assert.equal((await stream.next()).id, second.id);
    assert.equal((await stream.next()).id, third.id);
    assert.ok(await stream.quietFor(300), "nothing twice, nothing before the resume point");
    await deposit(app, customer, account.id, "4");
    assert.equal((await stream.next()).data.data.object.amount, "4.00");
  } finally {
    await stream.close();
  }
});

bankTest("an event that commits after a later one is still delivered, before it", async () => {
  const { app, sql } = await testApp({ env: FAST });
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const stream = await openEventStream(app, customer.token);
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  try {
    // A transaction takes its event's seq first and commits last, as a slow writer would.
    let inserted = () => {};
    const hasInserted = new Promise<void>((resolve) => (inserted = resolve));
    const slow = sql.begin(async (tx) => {
      await tx`INSERT INTO events (user_id, type, data, created_at)
        VALUES (${customer.id}, 'account.frozen', ${
        tx.json({ object: { id: account.id } })
      }, now())`;
      inserted();
      await held;
    });
    await hasInserted;
    await deposit(app, customer, account.id, "5");
    assert.ok(await stream.quietFor(300), "the later event waits for the earlier transaction");
    release();
    await slow;
    assert.equal((await stream.next()).data.type, "account.frozen");
    assert.equal((await stream.next()).data.type, "transaction.approved");
  } finally {
    release();
    await stream.close();
  }
}, { ignore: !onRealPostgres() }); // the embedded database runs one transaction at a time

bankTest("another user's events never appear on the stream", async () => {
  const { app } = await testApp({ env: FAST });
  const customer = await signUp(app);
  const other = await signUp(app);
  const mine = await openAccount(app, customer);
  const theirs = await openAccount(app, other);
  const stream = await openEventStream(app, customer.token);
  try {
    await deposit(app, other, theirs.id, "9");
    const moved = await deposit(app, customer, mine.id, "1");
    const message = await stream.next();
    assert.equal(message.data.data.object.id, moved.body.id);
    assert.ok(await stream.quietFor(200));
    const listed = await call<EventPage>(app, "GET", "/events", { token: other.token });
    const resumed = await call(app, "GET", "/events/stream", {
      token: customer.token,
      headers: { "last-event-id": listed.body.data[0].id },
    });
    assert.equal(resumed.status, 400, "another user's event id is no resume point");
  } finally {
    await stream.close();
  }
});

bankTest("a read-scope API key streams; no credential is a 401", async () => {
  const { app } = await testApp({ env: FAST });
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const key = await call<{ key: string }>(app, "POST", "/api_keys", {
    token: customer.token,
    body: { name: "stream", scopes: ["read"] },
  });
  const stream = await openEventStream(app, key.body.key);
  try {
    assert.equal(stream.response.status, 200);
    await deposit(app, customer, account.id, "2");
    assert.equal((await stream.next()).data.type, "transaction.approved");
  } finally {
    await stream.close();
  }
  const anonymous = await call(app, "GET", "/events/stream");
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.headers.get("www-authenticate") ?? "", /^Bearer/);
});

bankTest("one stream more than EVENT_STREAMS_PER_USER_MAX is a 429", async () => {
  const { app } = await testApp({ env: { ...FAST, EVENT_STREAMS_PER_USER_MAX: "2" } });
  const customer = await signUp(app);
  const first = await openEventStream(app, customer.token);
  const second = await openEventStream(app, customer.token);
  try {
    const third = await call(app, "GET", "/events/stream", { token: customer.token });
    assert.equal(third.status, 429);
    assert.ok(third.headers.get("retry-after"));
    await first.close();
    // The closed stream's slot comes back once its pump sees the client gone (a poll or two).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await openEventStream(app, customer.token);
    assert.equal(again.response.status, 200);
    await again.close();
  } finally {
    await first.close();
    await second.close();
  }
});

bankTest("a quiet stream sends heartbeats", async () => {
  const { app } = await testApp({ env: { ...FAST, EVENT_STREAM_HEARTBEAT_SECONDS: "1" } });
  const customer = await signUp(app);
  const stream = await openEventStream(app, customer.token);
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    assert.ok(
      stream.comments.some((comment) => comment.trim() === "heartbeat"),
      stream.comments.join(),
    );
  } finally {
    await stream.close();
  }
});
