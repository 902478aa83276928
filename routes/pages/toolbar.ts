/**
 * The simulation toolbar's data (loaded for every signed-in page GET) and its actions: advancing
 * the sandbox clock (a preset, an amount of a unit, or to a date) with a summary of what fell
 * due, joining a shared clock, and an incoming payment. Each is a Post/Redirect/Get action
 * (prg.ts) coming back to the page it was posted from.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { listAccounts } from "../../db/accounts.ts";
import { advanceClock, joinClock, readClock } from "../../db/clock.ts";
import { dueSettingsFor } from "../operations/schedules.ts";
import { findHold, listHolds } from "../../db/holds.ts";
import { findPayment, listPayments } from "../../db/payments.ts";
import type { ClockAdvance } from "../../domain/clocks.ts";
import { BankError, ConflictError, InvalidInputError, NotFoundError } from "../../domain/errors.ts";
import { CLOCK_UNITS } from "../../views/toolbar.ts";
import type { Notice } from "../../views/outcome.ts";
import { receiveInbound } from "../operations/payments.ts";
import { InboundPaymentSchema } from "../payments/schemas.ts";
import { ClockSecondsSchema } from "../simulations/schemas.ts";
import { formFields, pageAmount } from "./forms.ts";
import { pageContext, storedObjectId } from "./movements.ts";
import type { PageEnv } from "./page_env.ts";
import { pageAction } from "./prg.ts";
import { isHtmx, requireSession, safeNextPath } from "./session.ts";
import { money } from "../../views/format.ts";

/** Pending payments and active holds looked at to say what an advance made fall due. */
export const DUE_SUMMARY_ROWS_MAX = 500;

/** The toolbar's clock and accounts, for a signed-in page GET. */
export const loadToolbar = createMiddleware<PageEnv>(async function loadToolbar(c, next) {
  c.set("toolbar", undefined);
  const userId = c.var.sessionUserId;
  // Pages only: not htmx fragments, nor the CSV downloads.
  if (c.req.method === "GET" && userId && !isHtmx(c) && !c.req.path.endsWith(".csv")) {
    const { deps } = c.var;
    const url = new URL(c.req.url);
    url.searchParams.delete("done");
    c.set("toolbar", {
      clock: await readClock(deps.sql, userId, deps.clock()),
      accounts: await listAccounts(deps.sql, userId, deps.clock()),
      back: safeNextPath(url.pathname + url.search),
    });
  }
  await next();
});

const ClockId = z.uuid();

/** POST /app/clock/advance, /app/clock/join and /app/simulate/inbound-payment. */
export function toolbarPages() {
  return new Hono<PageEnv>()
    .post("/clock/advance", requireSession, async (c) => {
      const fields = await formFields(c);
      const back = safeNextPath(fields.back);
      return await pageAction(c, fields, back, async () => {
        const advance = advanceOf(fields);
        if (!advance) {
          const message = "Advance by a whole number of seconds, minutes, hours or days, from " +
            "1 second to 365 days, or to a date ahead of the clock.";
          return { notice: { tone: "error", title: "The clock did not move", message } };
        }
        return { notice: await advanceWithSummary(c, advance) };
      });
    })
    .post("/clock/join", requireSession, async (c) => {
      const { deps, userId } = c.var;
      const fields = await formFields(c);
      const back = safeNextPath(fields.back);
      return await pageAction(c, fields, back, async () => {
        const id = fields.clock_id ?? "";
        if (!ClockId.safeParse(id).success) {
          return { notice: { tone: "error", title: "That is not a clock id", message: id } };
        }
        try {
          const clock = await joinClock(deps.sql, {
            userId,
            clockId: id,
            realNow: deps.clock(),
            due: dueSettingsFor(deps),
          });
          return {
            notice: {
              tone: "success",
              title: "Clock joined",
              message: `${clock.members} users now share clock ${clock.id}.`,
            },
          };
        } catch (error) {
          if (!(error instanceof NotFoundError || error instanceof ConflictError)) throw error;
          return { notice: { tone: "error", title: "Not joined", message: `${error.message}.` } };
        }
      });
    })
    .post("/simulate/inbound-payment", requireSession, async (c) => {
      const fields = await formFields(c);
      const back = safeNextPath(fields.back);
      return await pageAction(c, fields, back, async () => await inbound(c, fields));
    });
}

function advanceOf(fields: Record<string, string>): ClockAdvance | undefined {
  if (fields.preset) {
    const parsed = ClockSecondsSchema.safeParse(Number(fields.preset));
    if (parsed.success) return { seconds: parsed.data };
  } else if (fields.to) {
    // datetime-local gives "2027-01-01T10:00" without a zone: the toolbar says UTC.
    const to = new Date(`${fields.to.length === 16 ? `${fields.to}:00` : fields.to}Z`);
    if (!Number.isNaN(to.getTime())) return { to };
  } else {
    const unit = CLOCK_UNITS[fields.unit as keyof typeof CLOCK_UNITS];
    const count = /^\d{1,9}$/.test(fields.amount ?? "") ? Number(fields.amount) : NaN;
    const parsed = ClockSecondsSchema.safeParse(unit ? count * unit : NaN);
    if (parsed.success) return { seconds: parsed.data };
  }
  return undefined;
}

// The advance, and what it made fall due: payments settled or returned, holds expired.
async function advanceWithSummary(c: Context<PageEnv>, advance: ClockAdvance): Promise<Notice> {
  const { deps, userId } = c.var;
  const limit = DUE_SUMMARY_ROWS_MAX;
  const pending = await listPayments(deps.sql, { userId, status: "pending", limit });
  const active = await listHolds(deps.sql, { userId, status: "active", limit });
  let clock;
  try {
    clock = await advanceClock(deps.sql, {
      userId,
      advance,
      realNow: deps.clock(),
      due: dueSettingsFor(deps),
    });
  } catch (error) {
    if (!(error instanceof BankError) || error instanceof NotFoundError) throw error;
    return { tone: "error", title: "The clock did not move", message: `${error.message}.` };
  }
  const counts = { settled: 0, returned: 0, expired: 0 };
  for (const payment of pending) {
    const now = await findPayment(deps.sql, userId, payment.id);
    if (now?.status === "settled") counts.settled++;
    if (now?.status === "returned") counts.returned++;
  }
  for (const hold of active) {
    if ((await findHold(deps.sql, userId, hold.id))?.status === "expired") counts.expired++;
  }
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
  const fell = counts.settled + counts.returned + counts.expired === 0
    ? "Nothing fell due."
    : `Fell due: ${plural(counts.settled, "payment")} settled, ${
      plural(counts.returned, "payment")
    } returned, ${plural(counts.expired, "hold")} expired.`;
  return {
    tone: "success",
    title: `Clock advanced to ${clock.now.toISOString().slice(0, 16).replace("T", " ")} UTC`,
    message: fell,
  };
}

async function inbound(c: Context<PageEnv>, fields: Record<string, string>) {
  const { deps, userId } = c.var;
  const parsed = InboundPaymentSchema.safeParse({
    account_number: fields.account_number ?? "",
    amount: pageAmount(fields.amount),
    ...(fields.counterparty_name
      ? {
        counterparty: {
          name: fields.counterparty_name.slice(0, 140),
          bank_code: "SIMBANK",
          account_number: "0000000000",
        },
      }
      : {}),
  });
  if (!parsed.success) {
    const notice: Notice = {
      tone: "error",
      title: "No payment was simulated",
      message: "Choose the account, and give an amount such as 1,000.00.",
    };
    return { notice };
  }
  try {
    const ran = await receiveInbound(deps, userId, parsed.data, pageContext(c, fields));
    const payment = ran.replayed
      ? await findPayment(deps.sql, userId, storedObjectId(ran.stored))
      : ran.result.payment;
    if (!payment) throw new NotFoundError("Payment");
    const notice: Notice = {
      tone: "success",
      title: `Incoming payment of ${money(payment.amount, payment.currency)} announced`,
      message: `It is pending and settles at ${
        payment.settlesAt.toISOString().slice(0, 16).replace("T", " ")
      } UTC on your clock (payment ${payment.id}).`,
    };
    return { notice };
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const notice: Notice = {
      tone: "error",
      title: "No payment was simulated",
      message: `The ${error.message}.`,
    };
    return { notice };
  }
}
