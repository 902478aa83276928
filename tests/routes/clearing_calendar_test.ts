/** GET /clearing/calendar: business days, holidays, cut-offs and clearing runs. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";
import { call, signUp } from "../support/client.ts";

interface CalendarJson {
  time_zone: string;
  data: {
    date: string;
    business_day: boolean;
    holiday?: string;
    cutoff_at: string | null;
    settlement_at: string | null;
  }[];
}

bankTest("GET /clearing/calendar lists the days with ZA holidays, cut-offs and runs", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  const reply = await call<CalendarJson>(
    app,
    "GET",
    "/clearing/calendar?from=2026-12-15&to=2026-12-19",
    { token: customer.token },
  );
  assert.equal(reply.status, 200);
  assert.equal(reply.body.time_zone, "Africa/Johannesburg");
  assert.deepEqual(reply.body.data, [
    {
      date: "2026-12-15",
      business_day: true,
      cutoff_at: "2026-12-15T13:00:00.000Z",
      settlement_at: "2026-12-15T04:00:00.000Z",
    },
    {
      date: "2026-12-16",
      business_day: false,
      holiday: "Day of Reconciliation",
      cutoff_at: null,
      settlement_at: null,
    },
    {
      date: "2026-12-17",
      business_day: true,
      cutoff_at: "2026-12-17T13:00:00.000Z",
      settlement_at: "2026-12-17T04:00:00.000Z",
    },
    {
      date: "2026-12-18",
      business_day: true,
      cutoff_at: "2026-12-18T13:00:00.000Z",
      settlement_at: "2026-12-18T04:00:00.000Z",
    },
    { date: "2026-12-19", business_day: false, cutoff_at: null, settlement_at: null },
  ]);
});

bankTest("GET /clearing/calendar follows EFT_CUTOFF_TIME and EFT_SETTLEMENT_TIME", async () => {
  const { app } = await testApp({
    env: { EFT_CUTOFF_TIME: "16:30", EFT_SETTLEMENT_TIME: "08:15" },
  });
  const customer = await signUp(app);
  const reply = await call<CalendarJson>(
    app,
    "GET",
    "/clearing/calendar?from=2026-12-15&to=2026-12-15",
    { token: customer.token },
  );
  assert.equal(reply.body.data[0].cutoff_at, "2026-12-15T14:30:00.000Z");
  assert.equal(reply.body.data[0].settlement_at, "2026-12-15T06:15:00.000Z");
});

bankTest("GET /clearing/calendar defaults to 31 days from today on the user's clock", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  await call(app, "POST", "/simulations/clock/advance", {
    token: customer.token,
    body: { seconds: 10 * 86_400 },
  });
  const reply = await call<CalendarJson>(app, "GET", "/clearing/calendar", {
    token: customer.token,
  });
  assert.equal(reply.status, 200);
  assert.equal(reply.body.data.length, 31);
  const inTenDays = Date.now() + 10 * 86_400_000;
  const first = Date.parse(`${reply.body.data[0].date}T12:00:00Z`);
  assert.ok(Math.abs(first - inTenDays) < 86_400_000, reply.body.data[0].date);
});

bankTest("GET /clearing/calendar answers 400 for a bad range or an unknown parameter", async () => {
  const { app } = await testApp();
  const customer = await signUp(app);
  for (
    const query of [
      "from=2026-12-20&to=2026-12-19", // backwards
      "from=2026-01-01&to=2027-01-02", // 367 days
      "from=2026-13-01",
      "from=2026-12-01&days=3",
    ]
  ) {
    const reply = await call(app, "GET", `/clearing/calendar?${query}`, { token: customer.token });
    assert.equal(reply.status, 400, query);
  }
  const year = await call<CalendarJson>(
    app,
    "GET",
    "/clearing/calendar?from=2026-01-01&to=2026-12-31",
    { token: customer.token },
  );
  assert.equal(year.status, 200);
  assert.equal(year.body.data.length, 365);
  assert.equal(year.body.data.filter((day) => day.holiday).length, 13);
});

bankTest("GET /clearing/calendar needs a bearer token", async () => {
  const { app } = await testApp();
  const reply = await call(app, "GET", "/clearing/calendar");
  assert.equal(reply.status, 401);
});
