/** GET /events: the user's own events, newest first, paged, filtered by type. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";
import { call, deposit, fundedAccount, openAccount, signUp, transfer } from "../support/client.ts";

interface EventPage {
  data: {
    id: string;
    type: string;
    created_at: string;
    data: { object: Record<string, unknown> };
  }[];
  next_cursor: string | null;
}

bankTest("GET /events lists the user's events newest first", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const moved = await deposit(app, customer, account.id, "12.50");
  const reply = await call<EventPage>(app, "GET", "/events", { token: customer.token });
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body.data.map((event) => event.type), [
    "transaction.approved",
    "account.created",
  ]);
  assert.equal(reply.body.data[0].data.object.id, moved.body.id);
  assert.equal(reply.body.data[0].data.object.amount, "12.50");
  assert.equal(reply.body.data[1].data.object.id, account.id);
  assert.equal(reply.body.next_cursor, null);
});

bankTest("GET /events pages with next_cursor and filters by type", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  for (const amount of ["1", "2", "3"]) await deposit(app, customer, account.id, amount);
  const first = await call<EventPage>(app, "GET", "/events?type=transaction.approved&limit=2", {
    token: customer.token,
  });
  assert.deepEqual(first.body.data.map((event) => event.data.object.amount), ["3.00", "2.00"]);
  assert.equal(typeof first.body.next_cursor, "string");
  const second = await call<EventPage>(
    app,
    "GET",
    `/events?type=transaction.approved&limit=2&cursor=${first.body.next_cursor}`,
    { token: customer.token },
  );
  assert.deepEqual(second.body.data.map((event) => event.data.object.amount), ["1.00"]);
  assert.equal(second.body.next_cursor, null);
});

bankTest("GET /events refuses an unknown type, a bad cursor and a limit out of range", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  for (const query of ["type=money.printed", "cursor=bm9wZQ", "limit=0", "limit=101"]) {
    const reply = await call(app, "GET", `/events?${query}`, { token: customer.token });
    assert.equal(reply.status, 400, query);
  }
});

bankTest("a transfer between two users is an event for each", async () => {
  const { app } = await testApp();
  const payer = await signUp(app);
  const payee = await signUp(app);
  const from = await fundedAccount(app, payer, "100");
  const to = await openAccount(app, payee);
  const moved = await transfer(app, payer, {
    from_account_id: from.id,
    to_account_id: to.id,
    amount: "40",
  });
  assert.equal(moved.status, 201);
  for (const customer of [payer, payee]) {
    const reply = await call<EventPage>(app, "GET", "/events?type=transaction.approved&limit=1", {
      token: customer.token,
    });
    assert.equal(reply.body.data[0].data.object.id, moved.body.id);
  }
});

bankTest("GET /events/{id} answers the event; another user's event is a 404", async () => {
  const { app } = await testApp();
  const owner = await signUp(app);
  const stranger = await signUp(app);
  await openAccount(app, owner);
  const page = await call<EventPage>(app, "GET", "/events", { token: owner.token });
  const eventId = page.body.data[0].id;
  const own = await call(app, "GET", `/events/${eventId}`, { token: owner.token });
  assert.equal(own.status, 200);
  assert.deepEqual(own.body, page.body.data[0]);
  const theirs = await call(app, "GET", `/events/${eventId}`, { token: stranger.token });
  assert.equal(theirs.status, 404);
  const redeliver = await call(app, "POST", `/events/${eventId}/redeliver`, {
    token: stranger.token,
  });
  assert.equal(redeliver.status, 404);
  const strangersList = await call<EventPage>(app, "GET", "/events", { token: stranger.token });
  assert.deepEqual(strangersList.body.data, []);
});

bankTest("a refused movement is a transaction.rejected event", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await openAccount(app, customer);
  const refused = await call(app, "POST", `/accounts/${account.id}/withdraw`, {
    token: customer.token,
    body: { amount: "5" },
  });
  assert.equal(refused.status, 422);
  const reply = await call<EventPage>(app, "GET", "/events?type=transaction.rejected", {
    token: customer.token,
  });
  assert.equal(reply.body.data.length, 1);
  assert.equal(reply.body.data[0].data.object.id, refused.body.transaction_id);
  assert.equal(reply.body.data[0].data.object.reason, "insufficient_funds");
});
