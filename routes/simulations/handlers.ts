/** Handlers for simulations: inbound payments, forced outcomes, and the sandbox clock. */
import { advanceUserClock } from "../../db/clock.ts";
import { readUserClock } from "../../db/users.ts";
import type { AppRouteHandler } from "../app_env.ts";
import { runWithRequest, sendSuccess } from "../movements.ts";
import { forceOutcome, receiveInbound } from "../operations/payments.ts";
import { PaymentSchema } from "../payments/schemas.ts";
import type {
  AdvanceClockRoute,
  GetClockRoute,
  InboundPaymentRoute,
  ReturnPaymentRoute,
  SettlePaymentRoute,
} from "./routes.ts";
import { toClockJson } from "./schemas.ts";

export const inboundPayment: AppRouteHandler<InboundPaymentRoute> = async (c) => {
  const body = c.req.valid("json");
  const ran = await runWithRequest(
    c,
    (context) => receiveInbound(c.var.deps, c.var.userId, body, context),
  );
  return await sendSuccess(c, ran, { status: 201, schema: PaymentSchema });
};

export const settlePayment: AppRouteHandler<SettlePaymentRoute> = async (c) => {
  const input = { paymentId: c.req.valid("param").id, outcome: { kind: "settle" as const } };
  const ran = await runWithRequest(
    c,
    (context) => forceOutcome(c.var.deps, c.var.userId, input, context),
  );
  return await sendSuccess(c, ran, { status: 200, schema: PaymentSchema });
};

export const returnPayment: AppRouteHandler<ReturnPaymentRoute> = async (c) => {
  const { reason } = c.req.valid("json");
  const input = {
    paymentId: c.req.valid("param").id,
    outcome: { kind: "return" as const, reason },
  };
  const ran = await runWithRequest(
    c,
    (context) => forceOutcome(c.var.deps, c.var.userId, input, context),
  );
  return await sendSuccess(c, ran, { status: 200, schema: PaymentSchema });
};

export const getClock: AppRouteHandler<GetClockRoute> = async (c) => {
  const clock = await readUserClock(c.var.deps.sql, c.var.userId, c.var.deps.clock());
  return c.json(toClockJson(clock), 200);
};

export const advanceClock: AppRouteHandler<AdvanceClockRoute> = async (c) => {
  const { deps, userId } = c.var;
  const { seconds } = c.req.valid("json");
  const clock = await advanceUserClock(deps.sql, { userId, seconds, realNow: deps.clock() });
  return c.json(toClockJson(clock), 200);
};
