/**
 * Standing orders and debit orders in the browser: create or simulate, list, and cancel or
 * dispute after a confirmation step. Each success redirects (Post/Redirect/Get) to the list with
 * a fixed notice; input is checked with the API's schemas and runs through the same operations.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { listAccounts } from "../../db/accounts.ts";
import { findDebitOrder, listDebitOrders } from "../../db/debit_orders.ts";
import { findSchedule, listSchedules } from "../../db/schedules.ts";
import { InvalidInputError, NotFoundError } from "../../domain/errors.ts";
import { confirmPage, debitOrdersPage, schedulesPage } from "../../views/schedules.ts";
import type { Notice } from "../../views/outcome.ts";
import { CreateDebitOrderSchema } from "../debit_orders/schemas.ts";
import {
  announceDebitOrder,
  disputeOrder,
  startSchedule,
  stopSchedule,
} from "../operations/schedules.ts";
import { CreateScheduleSchema } from "../payment_schedules/schemas.ts";
import { chromeOf } from "./chrome.ts";
import { formFields } from "./forms.ts";
import { pageContext } from "./movements.ts";
import type { PageEnv } from "./page_env.ts";
import { requireSession } from "./session.ts";

/** Rows each list shows, newest first. */
export const SCHEDULE_PAGE_ROWS = 50;

const Id = z.uuid();

// The only notices a redirect may ask for: nothing the URL carries is echoed onto the page.
const NOTICES: Record<string, Notice> = {
  created: { tone: "success", title: "Standing order created" },
  cancelled: { tone: "success", title: "Standing order cancelled" },
  simulated: { tone: "success", title: "Debit order simulated" },
  disputed: { tone: "success", title: "Debit order disputed: the money is back" },
};

const optional = (value: string | undefined) => value ? value : undefined;

// The form's first invalid field as the API would name it.
function parsed<T>(result: z.ZodSafeParseResult<T>): T {
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  throw new InvalidInputError(issue.path.join(".") || "form", issue.message);
}

/** /app/standing_orders and /app/debit_orders with their actions. */
export function schedulePages() {
  return new Hono<PageEnv>()
    .get("/standing_orders", requireSession, async (c) => {
      const { deps, userId } = c.var;
      const [accounts, schedules] = await Promise.all([
        listAccounts(deps.sql, userId, deps.clock()),
        listSchedules(deps.sql, { userId, limit: SCHEDULE_PAGE_ROWS }),
      ]);
      const notice = NOTICES[c.req.query("done") ?? ""];
      const chrome = chromeOf(c, "Standing orders", "standing_orders");
      return c.html(schedulesPage({ chrome, accounts, schedules, notice }));
    })
    .post("/standing_orders", requireSession, async (c) => {
      const fields = await formFields(c);
      const body = parsed(CreateScheduleSchema.safeParse({
        from_account_id: fields.from_account_id,
        amount: fields.amount,
        counterparty: {
          name: fields.counterparty_name,
          bank_code: fields.bank_code,
          account_number: fields.account_number,
        },
        description: optional(fields.description),
        interval: fields.interval,
        start_date: fields.start_date,
        count: optional(fields.count) === undefined ? undefined : Number(fields.count),
        end_date: optional(fields.end_date),
      }));
      await startSchedule(c.var.deps, c.var.userId, body, pageContext(c, fields));
      return c.redirect("/app/standing_orders?done=created", 303);
    })
    .get("/standing_orders/:id/cancel", requireSession, async (c) => {
      const schedule = await findSchedule(
        c.var.deps.sql,
        c.var.userId,
        idOf(c, "Payment schedule"),
      );
      if (!schedule) throw new NotFoundError("Payment schedule");
      return c.html(confirmPage({
        chrome: chromeOf(c, "Cancel standing order", "standing_orders"),
        title: "Cancel this standing order?",
        message: `No further payments to ${schedule.counterparty.name} will be made.`,
        action: `/app/standing_orders/${schedule.id}/cancel`,
        button: "Yes, cancel it",
        back: "/app/standing_orders",
      }));
    })
    .post("/standing_orders/:id/cancel", requireSession, async (c) => {
      const fields = await formFields(c);
      const id = idOf(c, "Payment schedule");
      await stopSchedule(c.var.deps, c.var.userId, id, pageContext(c, fields));
      return c.redirect("/app/standing_orders?done=cancelled", 303);
    })
    .route("/", debitOrderPages());
}

function debitOrderPages() {
  return new Hono<PageEnv>()
    .get("/debit_orders", requireSession, async (c) => {
      const { deps, userId } = c.var;
      const [accounts, debitOrders] = await Promise.all([
        listAccounts(deps.sql, userId, deps.clock()),
        listDebitOrders(deps.sql, { userId, limit: SCHEDULE_PAGE_ROWS }),
      ]);
      const notice = NOTICES[c.req.query("done") ?? ""];
      const chrome = chromeOf(c, "Debit orders", "debit_orders");
      return c.html(debitOrdersPage({ chrome, accounts, debitOrders, notice }));
    })
    .post("/debit_orders", requireSession, async (c) => {
      const fields = await formFields(c);
      const body = parsed(CreateDebitOrderSchema.safeParse({
        account_number: fields.account_number,
        amount: fields.amount,
        creditor: { name: fields.creditor_name, reference: fields.reference },
        collect_on: optional(fields.collect_on),
      }));
      await announceDebitOrder(c.var.deps, c.var.userId, body, pageContext(c, fields));
      return c.redirect("/app/debit_orders?done=simulated", 303);
    })
    .get("/debit_orders/:id/dispute", requireSession, async (c) => {
      const order = await findDebitOrder(c.var.deps.sql, c.var.userId, idOf(c, "Debit order"));
      if (!order) throw new NotFoundError("Debit order");
      return c.html(confirmPage({
        chrome: chromeOf(c, "Dispute debit order", "debit_orders"),
        title: "Dispute this debit order?",
        message: `The collection by ${order.creditor.name} is reversed and credited back.`,
        action: `/app/debit_orders/${order.id}/dispute`,
        button: "Yes, dispute it",
        back: "/app/debit_orders",
      }));
    })
    .post("/debit_orders/:id/dispute", requireSession, async (c) => {
      const fields = await formFields(c);
      const id = idOf(c, "Debit order");
      await disputeOrder(c.var.deps, c.var.userId, id, pageContext(c, fields));
      return c.redirect("/app/debit_orders?done=disputed", 303);
    });
}

function idOf(c: Context<PageEnv>, what: string): string {
  const id = c.req.param("id") ?? "";
  if (!Id.safeParse(id).success) throw new NotFoundError(what);
  return id;
}
