/** Handlers for simulations: inbound payments, forced outcomes, and the sandbox clock. */
import {
  advanceClock as advance,
  joinClock as join,
  leaveClock as leave,
  readClock,
} from "../../db/clock.ts";
import type { AppRouteHandler } from "../app_env.ts";
import { runWithRequest, successFor } from "../movements.ts";
import { forceOutcome, receiveInbound } from "../operations/payments.ts";
import { PaymentSchema } from "../payments/schemas.ts";
import type {
  AdvanceClockRoute,
  GetClockRoute,
  InboundPaymentRoute,
  JoinClockRoute,
  LeaveClockRoute,
  ReturnPaymentRoute,
  SettlePaymentRoute,
} from "./routes.ts";
import { toClockJson } from "./schemas.ts";
import { dueSettingsFor } from "../operations/schedules.ts";

export const inboundPayment: AppRouteHandler<InboundPaymentRoute> = async (c) => {
  const body = c.req.valid("json");
  const ran = await runWithRequest(
    c,
    (context) => receiveInbound(c.var.deps, c.var.userId, body, context),
  );
  const answer = await successFor(ran, { status: 201, schema: PaymentSchema });
  return c.json(answer.body, answer.status, answer.headers);
};

export const settlePayment: AppRouteHandler<SettlePaymentRoute> = async (c) => {
  const input = { paymentId: c.req.valid("param").id, outcome: { kind: "settle" as const } };
  const ran = await runWithRequest(
    c,
    (context) => forceOutcome(c.var.deps, c.var.userId, input, context),
  );
  const answer = await successFor(ran, { status: 200, schema: PaymentSchema });
  return c.json(answer.body, answer.status, answer.headers);
};

export const returnPayment: AppRouteHandler<ReturnPaymentRoute> = async (c) => {
  const { reason, code } = c.req.valid("json");
  const input = {
    paymentId: c.req.valid("param").id,
    outcome: { kind: "return" as const, reason, ...(code ? { code } : {}) },
  };
  const ran = await runWithRequest(
    c,
    (context) => forceOutcome(c.var.deps, c.var.userId, input, context),
  );
  const answer = await successFor(ran, { status: 200, schema: PaymentSchema });
  return c.json(answer.body, answer.status, answer.headers);
};

export const getClock: AppRouteHandler<GetClockRoute> = async (c) => {
  const clock = await readClock(c.var.deps.sql, c.var.userId, c.var.deps.clock());
  return c.json(toClockJson(clock), 200);
};

export const advanceClock: AppRouteHandler<AdvanceClockRoute> = async (c) => {
  const { deps, userId } = c.var;
  const body = c.req.valid("json");
  const clock = await advance(deps.sql, {
    userId,
    // The schema lets exactly one through; a missing seconds would be refused as below 1.
    advance: body.to === undefined ? { seconds: body.seconds ?? 0 } : { to: new Date(body.to) },
    realNow: deps.clock(),
    due: dueSettingsFor(deps),
  });
  return c.json(toClockJson(clock), 200);
};

export const joinClock: AppRouteHandler<JoinClockRoute> = async (c) => {
  const { deps, userId } = c.var;
  const { clock_id } = c.req.valid("json");
  const clock = await join(deps.sql, {
    userId,
    clockId: clock_id,
    realNow: deps.clock(),
    due: dueSettingsFor(deps),
  });
  return c.json(toClockJson(clock), 200);
};

export const leaveClock: AppRouteHandler<LeaveClockRoute> = async (c) => {
  const { deps, userId } = c.var;
  const clock = await leave(deps.sql, { userId, realNow: deps.clock() });
  return c.json(toClockJson(clock), 200);
};
