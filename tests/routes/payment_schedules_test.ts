/**
 * Standing orders over HTTP: created, listed, read and cancelled; runs made by advancing the
 * sandbox clock, in order, each an eft payment dated at its day's clearing run; a refused run;
 * completion by count and by end date; another user's schedule is a 404.
 */
import assert from "node:assert/strict";
import { localDate, zonedInstant } from "../../domain/business_days.ts";
import { addDays } from "../../domain/public_holidays.ts";
import { runDate } from "../../domain/schedules.ts";
import { processDue } from "../../db/clearing.ts";
import { clearingPass, dueSettingsOf } from "../../db/jobs.ts";
import { bankTest, testApp, testConfig } from "../support/app.ts";
import { balanceOf, call, type Customer, fundedAccount, signUp } from "../support/client.ts";
import type { Requestable } from "../support/client.ts";
import { counterparty } from "../support/payments.ts";

const CALENDAR = testConfig().clearingCalendar;
const DAY_SECONDS = 86_400;

/** Today's date in the bank's zone for a customer who never advanced their clock. */
function today(): string {
  return localDate(new Date(), CALENDAR.timeZone);
}

type Json = Record<string, unknown>;

async function createSchedule(app: Requestable, customer: Customer, body: Json) {
  return await call<Json>(app, "POST", "/payment_schedules", {
    token: customer.token,
    body: { amount: "100", counterparty: counterparty(), interval: "monthly", ...body },
  });
}

async function advanceDays(app: Requestable, customer: Customer, days: number) {
  const reply = await call(app, "POST", "/simulations/clock/advance", {
    token: customer.token,
    body: { seconds: days * DAY_SECONDS },
  });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
}

async function paymentsOf(app: Requestable, customer: Customer, accountId: string) {
  const reply = await call<{ data: Json[] }>(app, "GET", `/payments?account_id=${accountId}`, {
    token: customer.token,
  });
  assert.equal(reply.status, 200);
  return reply.body.data.toReversed();
}

async function eventTypes(app: Requestable, customer: Customer, prefix: string) {
  const reply = await call<{ data: { type: string }[] }>(app, "GET", "/events?limit=100", {
    token: customer.token,
  });
  return reply.body.data.map((event) => event.type).filter((type) => type.startsWith(prefix))
    .toReversed();
}

async function getSchedule(app: Requestable, customer: Customer, id: string) {
  const reply = await call<Json>(app, "GET", `/payment_schedules/${id}`, { token: customer.token });
  assert.equal(reply.status, 200);
  return reply.body;
}

bankTest(
  "POST /payment_schedules answers 201 with an active schedule, listed and readable",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const start = addDays(today(), 3);
    const created = await createSchedule(app, customer, {
      from_account_id: account.id,
      start_date: start,
      description: "Rent",
      count: 6,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, "active");
    assert.equal(created.body.next_run_on, start);
    assert.equal(created.body.runs_made, 0);
    assert.equal(created.body.amount, "100.00");
    assert.equal(created.body.currency, "ZAR");
    assert.equal(created.body.end_date, null);
    const list = await call<{ data: Json[]; next_cursor: unknown }>(
      app,
      "GET",
      "/payment_schedules",
      {
        token: customer.token,
      },
    );
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.data.map((s) => s.id), [created.body.id]);
    assert.deepEqual(await getSchedule(app, customer, String(created.body.id)), created.body);
    assert.deepEqual(await eventTypes(app, customer, "payment_schedule."), [
      "payment_schedule.created",
    ]);
  },
);

bankTest(
  "POST /payment_schedules refuses a start date in the past and an end before the start",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const past = await createSchedule(app, customer, {
      from_account_id: account.id,
      start_date: addDays(today(), -1),
    });
    assert.equal(past.status, 400);
    const backwards = await createSchedule(app, customer, {
      from_account_id: account.id,
      start_date: addDays(today(), 5),
      end_date: addDays(today(), 4),
    });
    assert.equal(backwards.status, 400);
    const other = await signUp(app);
    const notYours = await createSchedule(app, other, {
      from_account_id: account.id,
      start_date: today(),
    });
    assert.equal(notYours.status, 404);
  },
);

bankTest(
  "advancing the clock 95 days runs three monthly payments in order, each on its day's clearing run",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const start = addDays(today(), 10);
    const created = await createSchedule(app, customer, {
      from_account_id: account.id,
      start_date: start,
    });
    assert.equal(created.status, 201);
    await advanceDays(app, customer, 95);
    const payments = await paymentsOf(app, customer, account.id);
    const dates = [0, 1, 2].map((index) => runDate("monthly", start, index));
    assert.deepEqual(
      payments.map((p) => [p.rail, p.status === "rejected" ? "rejected" : "ok", p.created_at]),
      dates.map((date) => [
        "eft",
        "ok",
        zonedInstant(date, CALENDAR.eftSettlement, CALENDAR.timeZone).toISOString(),
      ]),
    );
    const schedule = await getSchedule(app, customer, String(created.body.id));
    assert.equal(schedule.runs_made, 3);
    assert.equal(schedule.next_run_on, runDate("monthly", start, 3));
    assert.equal(await balanceOf(app, customer, account.id), "700.00");
    assert.deepEqual(await eventTypes(app, customer, "payment_schedule."), [
      "payment_schedule.created",
      "payment_schedule.run",
      "payment_schedule.run",
      "payment_schedule.run",
    ]);
  },
);

bankTest(
  "a run the funds do not cover is a rejected payment and a payment_schedule.run_failed event",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "50");
    const created = await createSchedule(app, customer, {
      from_account_id: account.id,
      start_date: addDays(today(), 1),
      interval: "weekly",
      count: 3,
    });
    await advanceDays(app, customer, 3);
    const [payment] = await paymentsOf(app, customer, account.id);
    assert.equal(payment.status, "rejected");
    const entry = await call<Json>(app, "GET", `/transactions/${payment.transaction_id}`, {
      token: customer.token,
    });
    assert.equal(entry.body.status, "rejected");
    assert.equal(entry.body.reason, "insufficient_funds");
    assert.equal(await balanceOf(app, customer, account.id), "50.00");
    const schedule = await getSchedule(app, customer, String(created.body.id));
    assert.equal(schedule.runs_made, 1, "a refused run still counts");
    assert.equal(schedule.status, "active");
    assert.deepEqual(await eventTypes(app, customer, "payment_schedule."), [
      "payment_schedule.created",
      "payment_schedule.run_failed",
    ]);
  },
);

bankTest(
  "a schedule completes after `count` runs, and one with an end date once past it",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const start = addDays(today(), 1);
    const counted = await createSchedule(app, customer, {
      from_account_id: account.id,
      start_date: start,
      interval: "weekly",
      count: 2,
    });
    const ended = await createSchedule(app, customer, {
      from_account_id: account.id,
      start_date: start,
      interval: "weekly",
      end_date: addDays(start, 10),
    });
    await advanceDays(app, customer, 30);
    for (const id of [counted.body.id, ended.body.id]) {
      const schedule = await getSchedule(app, customer, String(id));
      assert.equal(schedule.status, "completed");
      assert.equal(schedule.runs_made, 2);
      assert.equal(schedule.next_run_on, null);
    }
    assert.equal((await paymentsOf(app, customer, account.id)).length, 4);
    const types = await eventTypes(app, customer, "payment_schedule.completed");
    assert.equal(types.length, 2);
  },
);

bankTest(
  "POST /payment_schedules/{id}/cancel stops every later run; a second cancel is a 409",
  async () => {
    const { app } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const created = await createSchedule(app, customer, {
      from_account_id: account.id,
      start_date: addDays(today(), 2),
      interval: "weekly",
    });
    const id = String(created.body.id);
    const cancelled = await call<Json>(app, "POST", `/payment_schedules/${id}/cancel`, {
      token: customer.token,
    });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, "cancelled");
    assert.equal(cancelled.body.next_run_on, null);
    const again = await call<Json>(app, "POST", `/payment_schedules/${id}/cancel`, {
      token: customer.token,
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, "schedule_not_active");
    await advanceDays(app, customer, 30);
    assert.equal((await paymentsOf(app, customer, account.id)).length, 0);
    assert.deepEqual(await eventTypes(app, customer, "payment_schedule."), [
      "payment_schedule.created",
      "payment_schedule.cancelled",
    ]);
  },
);

bankTest("another user's schedule is a 404 to read and to cancel", async () => {
  const { app } = await testApp();
  const owner = await signUp(app);
  const account = await fundedAccount(app, owner, "1000");
  const created = await createSchedule(app, owner, {
    from_account_id: account.id,
    start_date: addDays(today(), 2),
  });
  const stranger = await signUp(app);
  const id = String(created.body.id);
  const read = await call(app, "GET", `/payment_schedules/${id}`, { token: stranger.token });
  assert.equal(read.status, 404);
  const cancel = await call(app, "POST", `/payment_schedules/${id}/cancel`, {
    token: stranger.token,
  });
  assert.equal(cancel.status, 404);
  const list = await call<{ data: Json[] }>(app, "GET", "/payment_schedules", {
    token: stranger.token,
  });
  assert.deepEqual(list.body.data, []);
  assert.equal((await getSchedule(app, owner, id)).status, "active");
});

bankTest("two clearing passes racing over one due run make it once", async () => {
  const { app, sql, config } = await testApp();
  const customer = await signUp(app);
  const account = await fundedAccount(app, customer, "1000");
  const created = await createSchedule(app, customer, {
    from_account_id: account.id,
    start_date: addDays(today(), 1),
    interval: "monthly",
  });
  const later = new Date(Date.now() + 3 * DAY_SECONDS * 1000);
  const options = { realNow: later, userId: customer.id, due: dueSettingsOf(config) };
  const runs = await Promise.all([processDue(sql, options), processDue(sql, options)]);
  assert.equal(runs[0].schedules + runs[1].schedules, 1);
  assert.equal((await paymentsOf(app, customer, account.id)).length, 1);
  const [{ count }] = await sql<{ count: number }[]>`
    SELECT count(*)::int FROM payment_schedule_runs WHERE schedule_id = ${String(created.body.id)}`;
  assert.equal(count, 1);
});

bankTest(
  "the background clearing pass makes a due run on the owner's clock in real time",
  async () => {
    const { app, sql, config, log } = await testApp();
    const customer = await signUp(app);
    const account = await fundedAccount(app, customer, "1000");
    const created = await createSchedule(app, customer, {
      from_account_id: account.id,
      start_date: addDays(today(), 1),
      interval: "weekly",
      count: 1,
    });
    const later = new Date(Date.now() + 2 * DAY_SECONDS * 1000);
    await clearingPass({ sql, config, log, clock: () => later });
    const schedule = await getSchedule(app, customer, String(created.body.id));
    assert.equal(schedule.status, "completed");
    assert.equal((await paymentsOf(app, customer, account.id)).length, 1);
    // The database holds each run once: a second row for the same run number is refused.
    const [run] = await sql<{ paymentId: string }[]>`
    SELECT payment_id FROM payment_schedule_runs WHERE schedule_id = ${String(created.body.id)}`;
    await assert.rejects(
      sql`INSERT INTO payment_schedule_runs (schedule_id, run_number, run_on, payment_id, created_at)
      VALUES (${String(created.body.id)}, 1, '2099-01-01', ${run.paymentId}, now())`,
      (error: { code?: string }) => error.code === "23505",
    );
  },
);
