/**
 * The bulk transfer form: CSV lines become the items of one POST /transactions/batch (the same
 * operation), then Post/Redirect/Get to the transfers page, which shows the batch's counts.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { listAccounts } from "../../db/accounts.ts";
import { BATCH_ITEMS_MAX } from "../../domain/batches.ts";
import { InvalidInputError } from "../../domain/errors.ts";
import { type Notice, noticeBox } from "../../views/outcome.ts";
import type { BulkFormValues } from "../../views/bulk_transfers.ts";
import { transferPage } from "../../views/transfers.ts";
import { transferBatch } from "../operations/batches.ts";
import type { TransferBody } from "../operations/transfers.ts";
import { TransferSchema } from "../transactions/schemas.ts";
import { chromeOf } from "./chrome.ts";
import { formFields } from "./forms.ts";
import { pageContext } from "./movements.ts";
import type { PageEnv } from "./page_env.ts";
import { isHtmx, requireSession } from "./session.ts";

/** POST /app/transfers/bulk. */
export function bulkTransferPages() {
  return new Hono<PageEnv>().post("/transfers/bulk", requireSession, async (c) => {
    const fields = await formFields(c);
    // The lines field is read whole: formFields caps a field at 2,000 characters.
    const raw = (await c.req.parseBody()).lines;
    const values: BulkFormValues = {
      fromAccountId: fields.from_account_id,
      lines: typeof raw === "string" ? raw : "",
      atomic: fields.atomic === "true",
    };
    const parsed = itemsOf(values);
    if (typeof parsed === "string") return await refused(c, values, parsed);
    try {
      const ran = await transferBatch(
        c.var.deps,
        c.var.userId,
        { items: parsed, atomic: values.atomic ?? true },
        pageContext(c, fields),
      );
      const body = ran.replayed ? JSON.parse(ran.stored.body) : ran.answer.body;
      const location = `/app/transfers?${new URLSearchParams(countsOf(body)).toString()}`;
      if (!isHtmx(c)) return c.redirect(location, 303);
      c.header("HX-Redirect", location);
      return c.body(null, 200);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      const line = /^items\.(\d+)\./.exec(error.field);
      const where = line ? `Line ${Number(line[1]) + 1}` : "The form";
      return await refused(c, values, `${where}: ${error.problem}.`);
    }
  });
}

// The form's lines as batch items, or what is wrong with them (naming the line).
function itemsOf(values: BulkFormValues): TransferBody[] | string {
  if (!values.fromAccountId) return "Choose the account to send from.";
  const lines = (values.lines ?? "").split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  if (lines.length === 0) return "Enter at least one line.";
  if (lines.length > BATCH_ITEMS_MAX) return `At most ${BATCH_ITEMS_MAX} lines.`;
  const items: TransferBody[] = [];
  for (const [index, line] of lines.entries()) {
    const [number, amount, ...rest] = line.split(",");
    const description = rest.join(",").trim();
    const item = TransferSchema.safeParse({
      from_account_id: values.fromAccountId,
      to_account_number: (number ?? "").trim(),
      amount: (amount ?? "").trim(),
      description: description || null,
    });
    if (!item.success || !amount?.trim()) {
      return `Line ${index + 1}: write to_account_number,amount,description.`;
    }
    items.push(item.data);
  }
  return items;
}

const Results = z.object({ results: z.array(z.object({ status: z.string() })) });

// What the redirect carries: whether the batch posted, and how many items ended each way.
function countsOf(body: unknown): Record<string, string> {
  const { results } = Results.parse(body);
  const count = (status: string) => String(results.filter((r) => r.status === status).length);
  const posted = (body as { code?: string }).code !== "batch_rejected";
  return {
    bulk: posted ? "posted" : "rejected",
    approved: count("approved"),
    rejected: count("rejected"),
    failed: count("failed"),
  };
}

/** The notice the transfers page shows after a bulk transfer's redirect (query: its counts). */
export function bulkNotice(query: (name: string) => string | undefined): Notice | undefined {
  const outcome = query("bulk");
  const [approved, rejected, failed] = ["approved", "rejected", "failed"].map((name) => {
    const value = query(name) ?? "0";
    return /^\d{1,4}$/.test(value) ? Number(value) : 0;
  });
  if (outcome === "posted") {
    return {
      tone: rejected + failed > 0 ? "info" : "success",
      title: `Bulk transfer: ${approved} sent`,
      message: `${rejected} refused, ${failed} not found. Each is in your ledger.`,
    };
  }
  if (outcome === "rejected") {
    return {
      tone: "error",
      title: "Bulk transfer refused: nothing was sent",
      message: `A line was refused (${rejected} recorded as refused, ${failed} not found), so no ` +
        "line was sent. The refusals are in your ledger.",
    };
  }
  return undefined;
}

async function refused(c: Context<PageEnv>, values: BulkFormValues, message: string) {
  const notice: Notice = { tone: "error", title: "Nothing was sent", message };
  if (isHtmx(c)) return c.html(noticeBox(notice), 400);
  const accounts = await listAccounts(c.var.deps.sql, c.var.userId, c.var.deps.clock());
  const chrome = chromeOf(c, "Transfers", "transfers");
  return c.html(transferPage({ chrome, accounts, bulk: { values, notice } }), 400);
}
