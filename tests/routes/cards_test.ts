/** Cards and card authorizations over HTTP: issue, lifecycle, authorize, capture, refund, expire. */
import assert from "node:assert/strict";
import { auditDatabase, type AuditReport } from "../../db/audit.ts";
import { bankTest, testApp } from "../support/app.ts";
import { balanceOf, call, fundedAccount, signUp } from "../support/client.ts";
import { authorizationStep, authorize, digitRunsOutsideIds, issueCard } from "../support/cards.ts";
import { onRealPostgres } from "../support/database.ts";
import { advanceClock, availableOf } from "../support/payments.ts";

bankTest("POST /accounts/{id}/cards issues an active card showing only its last four", async () => {
  const { app, sql } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100");
  const reply = await call(app, "POST", `/accounts/${account.id}/cards`, {
    token: customer.token,
    body: { name_on_card: "T CUSTOMER" },
  });
  assert.equal(reply.status, 201);
  assert.equal(reply.body.status, "active");
  assert.match(String(reply.body.last4), /^[0-9]{4}$/);
  assert.equal(reply.body.name_on_card, "T CUSTOMER");
  // No 12-or-more-digit run anywhere: not in the answer, the card row or its event.
  const [row] = await sql`SELECT row_to_json(c)::text AS card FROM cards c WHERE id = ${
    String(reply.body.id)
  }`;
  const [event] = await sql`SELECT data::text FROM events WHERE type = 'card.created'
    AND data->'object'->>'id' = ${String(reply.body.id)}`;
  for (const text of [JSON.stringify(reply.body), row.card, event.data]) {
    assert.deepEqual(digitRunsOutsideIds(text), []);
  }
});

bankTest("another user's card and account are 404 for cards and authorizations", async () => {
  const { app } = await testApp();
  const owner = await signUp(app);
  const stranger = await signUp(app);
  const account = await fundedAccount(app, owner, "100");
  const card = await issueCard(app, owner, account.id);
  const auth = await authorize(app, owner, { card_id: card.id, amount: "10" });
  const replies = [
    await call(app, "POST", `/accounts/${account.id}/cards`, { token: stranger.token, body: {} }),
    await call(app, "GET", `/cards/${card.id}`, { token: stranger.token }),
    await call(app, "POST", `/cards/${card.id}/freeze`, { token: stranger.token }),
    await authorize(app, stranger, { card_id: card.id, amount: "10" }),
    await call(app, "GET", `/card_authorizations/${auth.body.id}`, { token: stranger.token }),
    await authorizationStep(app, stranger, auth.body.id, "capture", { amount: "1" }),
    await call(app, "POST", "/simulations/card_refunds", {
      token: stranger.token,
      body: { authorization_id: auth.body.id, amount: "1" },
    }),
  ];
  assert.deepEqual(replies.map((r) => r.status), [404, 404, 404, 404, 404, 404, 404]);
  const list = await call(app, "GET", "/cards", { token: stranger.token });
  assert.deepEqual(list.body.data, []);
});

bankTest(
  "freeze, unfreeze and cancel: a frozen or cancelled card declines card_inactive",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "100");
    const card = await issueCard(app, customer, account.id);
    const path = (action: string) => `/cards/${card.id}/${action}`;
    const frozen = await call(app, "POST", path("freeze"), { token: customer.token });
    assert.equal(frozen.body.status, "frozen");
    const declined = await authorize(app, customer, { card_id: card.id, amount: "10" });
    assert.equal(declined.status, 201);
    assert.equal(declined.body.status, "declined");
    assert.equal(declined.body.decline_reason, "card_inactive");
    const active = await call(app, "POST", path("unfreeze"), { token: customer.token });
    assert.equal(active.body.status, "active");
    const cancelled = await call(app, "POST", path("cancel"), { token: customer.token });
    assert.equal(cancelled.body.status, "cancelled");
    const again = await call(app, "POST", path("unfreeze"), { token: customer.token });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, "card_cancelled");
    const after = await authorize(app, customer, { card_id: card.id, amount: "10" });
    assert.equal(after.body.decline_reason, "card_inactive");
    assert.equal(await availableOf(app, customer, account.id), "100.00");
  },
);

bankTest("an approved authorization holds the amount through a card hold", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100");
  const card = await issueCard(app, customer, account.id);
  const reply = await authorize(app, customer, { card_id: card.id, amount: "40" });
  assert.equal(reply.status, 201);
  assert.equal(reply.body.status, "pending");
  assert.equal(await availableOf(app, customer, account.id), "60.00");
  const hold = await call(app, "GET", `/holds/${reply.body.hold_id}`, { token: customer.token });
  assert.equal(hold.body.source, "card");
  assert.equal(hold.body.amount, "40.00");
  // The hold belongs to the authorization: capturing it through /holds would part them.
  const direct = await call(app, "POST", `/holds/${reply.body.hold_id}/capture`, {
    token: customer.token,
    body: {},
  });
  assert.equal(direct.status, 409);
  assert.equal(direct.body.code, "hold_managed_by_card");
});

bankTest(
  "declines are 201 declined with a rejected card_authorization row, nothing held",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "100");
    const card = await issueCard(app, customer, account.id);
    const short = await authorize(app, customer, { card_id: card.id, amount: "100.01" });
    const fraud = await authorize(app, customer, { card_id: card.id, amount: "150000.01" });
    const frozen = await authorize(app, customer, {
      card_id: card.id,
      amount: "1",
      simulate_decline: "account_frozen",
    });
    const reasons = [short, fraud, frozen].map((r) => [r.status, r.body.decline_reason]);
    assert.deepEqual(reasons, [
      [201, "insufficient_funds"],
      [201, "fraud_rejected"],
      [201, "account_frozen"],
    ]);
    const row = await call(app, "GET", `/transactions/${frozen.body.transaction_id}`, {
      token: customer.token,
    });
    assert.equal(row.body.type, "card_authorization");
    assert.equal(row.body.status, "rejected");
    assert.equal(row.body.reason, "account_frozen");
    assert.equal(await availableOf(app, customer, account.id), "100.00");
  },
);

bankTest("partial captures move card_capture rows; the last one closes and releases", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100");
  const card = await issueCard(app, customer, account.id);
  const auth = await authorize(app, customer, { card_id: card.id, amount: "50" });
  const first = await authorizationStep(app, customer, auth.body.id, "capture", { amount: "20" });
  assert.equal(first.status, 200);
  assert.equal(first.body.status, "pending");
  assert.equal(first.body.captured_amount, "20.00");
  assert.equal(await balanceOf(app, customer, account.id), "80.00");
  assert.equal(await availableOf(app, customer, account.id), "50.00");
  const last = await authorizationStep(app, customer, auth.body.id, "capture", {
    amount: "10",
    final: true,
  });
  assert.equal(last.body.status, "closed");
  assert.equal(await balanceOf(app, customer, account.id), "70.00");
  assert.equal(await availableOf(app, customer, account.id), "70.00");
  const captured = await call(app, "GET", `/transactions/${last.body.transaction_id}`, {
    token: customer.token,
  });
  assert.equal(captured.body.type, "card_capture");
  const after = await authorizationStep(app, customer, auth.body.id, "capture", { amount: "1" });
  assert.equal(after.status, 409);
  assert.equal(after.body.code, "authorization_not_pending");
  assert.equal(await balanceOf(app, customer, account.id), "70.00");
});

bankTest("captures may go 20 % past the amount for restaurants only", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "500");
  const card = await issueCard(app, customer, account.id);
  const shop = await authorize(app, customer, { card_id: card.id, amount: "100" });
  const over = await authorizationStep(app, customer, shop.body.id, "capture", {
    amount: "100.01",
  });
  assert.equal(over.status, 422);
  assert.equal(over.body.code, "capture_exceeds_authorization");
  assert.ok(over.body.transaction_id);
  const cafe = await authorize(app, customer, { card_id: card.id, amount: "100", mcc: "5812" });
  const tooMuch = await authorizationStep(app, customer, cafe.body.id, "capture", {
    amount: "120.01",
  });
  assert.equal(tooMuch.status, 422);
  const tipped = await authorizationStep(app, customer, cafe.body.id, "capture", {
    amount: "120",
  });
  assert.equal(tipped.status, 200);
  assert.equal(tipped.body.status, "closed");
  assert.equal(await balanceOf(app, customer, account.id), "380.00");
  assert.equal(await availableOf(app, customer, account.id), "280.00");
});

bankTest("increments raise the hold; reversals give back part or all of it", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100");
  const card = await issueCard(app, customer, account.id);
  const auth = await authorize(app, customer, { card_id: card.id, amount: "30" });
  const raised = await authorizationStep(app, customer, auth.body.id, "increment", {
    amount: "20",
  });
  assert.equal(raised.body.amount, "50.00");
  assert.equal(await availableOf(app, customer, account.id), "50.00");
  const short = await authorizationStep(app, customer, auth.body.id, "increment", {
    amount: "50.01",
  });
  assert.equal(short.status, 422);
  assert.equal(short.body.code, "insufficient_funds");
  const part = await authorizationStep(app, customer, auth.body.id, "reverse", { amount: "15" });
  assert.equal(part.body.status, "pending");
  assert.equal(part.body.amount, "35.00");
  assert.equal(await availableOf(app, customer, account.id), "65.00");
  const rest = await authorizationStep(app, customer, auth.body.id, "reverse");
  assert.equal(rest.body.status, "reversed");
  assert.equal(await availableOf(app, customer, account.id), "100.00");
  assert.equal(await balanceOf(app, customer, account.id), "100.00");
});

bankTest("refunds credit card_refund up to what was captured, never more", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100");
  const card = await issueCard(app, customer, account.id);
  const auth = await authorize(app, customer, { card_id: card.id, amount: "40" });
  await authorizationStep(app, customer, auth.body.id, "capture", { amount: "40" });
  const refund = (amount: string) =>
    call(app, "POST", "/simulations/card_refunds", {
      token: customer.token,
      body: { authorization_id: auth.body.id, amount },
    });
  const first = await refund("15");
  assert.equal(first.status, 201);
  assert.equal(first.body.type, "card_refund");
  const over = await refund("25.01");
  assert.equal(over.status, 422);
  assert.equal(over.body.code, "refund_exceeds_capture");
  assert.equal(await balanceOf(app, customer, account.id), "75.00");
});

bankTest(
  "a pending authorization expires with its hold after 7 days on the sandbox clock",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "100");
    const card = await issueCard(app, customer, account.id);
    const auth = await authorize(app, customer, { card_id: card.id, amount: "40" });
    await authorizationStep(app, customer, auth.body.id, "capture", { amount: "10" });
    await advanceClock(app, customer, 7 * 86_400 - 60);
    const still = await call(app, "GET", `/card_authorizations/${auth.body.id}`, {
      token: customer.token,
    });
    assert.equal(still.body.status, "pending");
    await advanceClock(app, customer, 120);
    const expired = await call(app, "GET", `/card_authorizations/${auth.body.id}`, {
      token: customer.token,
    });
    assert.equal(expired.body.status, "expired");
    const hold = await call(app, "GET", `/holds/${auth.body.hold_id}`, { token: customer.token });
    assert.equal(hold.body.status, "expired");
    assert.equal(await availableOf(app, customer, account.id), "90.00");
    const events = await call<{ data: { type: string }[] }>(
      app,
      "GET",
      "/events?type=card_authorization.expired",
      { token: customer.token },
    );
    assert.equal(events.body.data.length, 1);
  },
);

bankTest("bad input: a 3-digit MCC and too many decimals are 400, and nothing moves", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100");
  const card = await issueCard(app, customer, account.id);
  const mcc = await authorize(app, customer, { card_id: card.id, amount: "1", mcc: "581" });
  const decimals = await authorize(app, customer, { card_id: card.id, amount: "1.001" });
  const auth = await authorize(app, customer, { card_id: card.id, amount: "10" });
  const capture = await authorizationStep(app, customer, auth.body.id, "capture", {
    amount: "1.001",
  });
  assert.deepEqual([mcc.status, decimals.status, capture.status], [400, 400, 400]);
  const list = await call<{ data: unknown[] }>(
    app,
    "GET",
    `/card_authorizations?card_id=${card.id}`,
    {
      token: customer.token,
    },
  );
  assert.equal(list.body.data.length, 1);
  assert.equal(await balanceOf(app, customer, account.id), "100.00");
});

bankTest("GET /card_authorizations filters by status and pages", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100");
  const card = await issueCard(app, customer, account.id);
  for (const amount of ["1", "2", "3"]) {
    await authorize(app, customer, { card_id: card.id, amount });
  }
  await authorize(app, customer, {
    card_id: card.id,
    amount: "1",
    simulate_decline: "do_not_honor",
  });
  const declined = await call<{ data: { decline_reason: string }[] }>(
    app,
    "GET",
    "/card_authorizations?status=declined",
    { token: customer.token },
  );
  assert.deepEqual(declined.body.data.map((a) => a.decline_reason), ["do_not_honor"]);
  const page = await call<{ data: unknown[]; next_cursor: string }>(
    app,
    "GET",
    "/card_authorizations?limit=2",
    { token: customer.token },
  );
  assert.equal(page.body.data.length, 2);
  const next = await call<{ data: unknown[] }>(
    app,
    "GET",
    `/card_authorizations?limit=2&cursor=${page.body.next_cursor}`,
    { token: customer.token },
  );
  assert.equal(next.body.data.length, 2);
});

bankTest("the audit checks each authorization against its hold and its ledger row", async () => {
  const { app, sql } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "100");
  const card = await issueCard(app, customer, account.id);
  const auth = await authorize(app, customer, { card_id: card.id, amount: "40" });
  await authorizationStep(app, customer, auth.body.id, "capture", { amount: "15" });
  const mine = (findings: { subject: string }[]) =>
    findings.filter((finding) => finding.subject === `card authorization ${auth.body.id}`);
  assert.deepEqual(mine((await auditDatabase(sql, { realNow: new Date() })).findings), []);
  // Tampered inside a transaction that rolls back: the shared database stays clean. The audit
  // runs on the transaction itself (it has no begin(), so the audit opens none of its own).
  let tampered: AuditReport | undefined;
  const rollback = new Error("roll back the tampering");
  await sql.begin(async (tx) => {
    await tx`UPDATE card_authorizations SET status = 'reversed' WHERE id = ${auth.body.id}`;
    tampered = await auditDatabase(tx, { realNow: new Date() });
    throw rollback;
  }).catch((error) => {
    if (error !== rollback) throw error;
  });
  assert.equal(mine(tampered?.findings ?? []).length, 1);
});

bankTest(
  "two final captures of one authorization at once: one captures, the other is a 409",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "100");
    const card = await issueCard(app, customer, account.id);
    const auth = await authorize(app, customer, { card_id: card.id, amount: "60" });
    const body = { amount: "60", final: true };
    const replies = await Promise.all([
      authorizationStep(app, customer, auth.body.id, "capture", body),
      authorizationStep(app, customer, auth.body.id, "capture", body),
      authorizationStep(app, customer, auth.body.id, "reverse"),
    ]);
    const statuses = replies.map((reply) => reply.status).sort();
    assert.deepEqual(statuses, [200, 409, 409]);
    const balance = await balanceOf(app, customer, account.id);
    const available = await availableOf(app, customer, account.id);
    // Captured (40.00 left) or reversed (all 100.00 back) — never both, never twice.
    assert.ok(
      (balance === "40.00" && available === "40.00") ||
        (balance === "100.00" && available === "100.00"),
      `${balance} / ${available}`,
    );
  },
  { ignore: !onRealPostgres() }, // concurrency means something only on real PostgreSQL
);
