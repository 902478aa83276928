/**
 * /app/fx: quotes and cross-currency transfers, through the same operations as the API. Both
 * forms Post/Redirect/Get: a quote redirects to the page showing it, a transfer (approved or
 * refused, both recorded) to the page with its outcome; the transfer form's idempotency key makes
 * a double submit replay the first answer.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { listAccounts } from "../../db/accounts.ts";
import { findQuote } from "../../db/fx.ts";
import { findLedgerEntry } from "../../db/ledger.ts";
import { BankError, ConflictError, InvalidInputError } from "../../domain/errors.ts";
import { currencyOf, formatAmount } from "../../domain/money.ts";
import { fxPage } from "../../views/fx.ts";
import { reasonLabel } from "../../views/format.ts";
import type { Notice } from "../../views/outcome.ts";
import { createQuote, readRates } from "../operations/fx.ts";
import { transfer } from "../operations/transfers.ts";
import { TransferSchema } from "../transactions/schemas.ts";
import { QuoteRequestSchema } from "../fx/schemas.ts";
import { chromeOf } from "./chrome.ts";
import { formFields } from "./forms.ts";
import { pageContext, storedObjectId, storedRefusal } from "./movements.ts";
import type { PageEnv } from "./page_env.ts";
import { requireSession } from "./session.ts";

const Id = z.uuid();

/** The page, POST /fx/quotes and POST /fx/transfers. */
export function fxPages() {
  return new Hono<PageEnv>()
    .get("/fx", requireSession, async (c) => await render(c, await noticeOf(c)))
    .post("/fx/quotes", requireSession, async (c) => {
      const fields = await formFields(c);
      const parsed = QuoteRequestSchema.safeParse({
        from_currency: fields.from_currency ?? "",
        to_currency: fields.to_currency ?? "",
        sell_amount: fields.sell_amount ?? "",
      });
      if (!parsed.success) {
        return await render(
          c,
          { tone: "error", title: "Choose two currencies and an amount" },
          400,
        );
      }
      try {
        const quote = await createQuote(c.var.deps, c.var.userId, parsed.data);
        return c.redirect(`/app/fx?quote=${quote.id}`, 303);
      } catch (error) {
        if (!(error instanceof BankError)) throw error;
        const status = error instanceof InvalidInputError ? 400 : 422;
        return await render(
          c,
          { tone: "error", title: "No quote", message: error.message },
          status,
        );
      }
    })
    .post("/fx/transfers", requireSession, async (c) => {
      const { deps, userId } = c.var;
      const fields = await formFields(c);
      const parsed = TransferSchema.safeParse({
        from_account_id: fields.from_account_id,
        to_account_id: fields.to_account_id,
        amount: fields.amount ?? "",
        fx_quote_id: fields.fx_quote_id,
      });
      if (!parsed.success) {
        return await render(c, { tone: "error", title: "Choose both accounts" }, 400);
      }
      try {
        const ran = await transfer(deps, userId, parsed.data, pageContext(c, fields));
        const id = ran.replayed
          ? storedRefusal(ran.stored)?.transaction_id ?? storedObjectId(ran.stored)
          : ran.result.entry.id;
        return c.redirect(`/app/fx?transaction=${id}`, 303);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        return await render(
          c,
          { tone: "error", title: "Nothing moved", message: error.message },
          409,
        );
      }
    });
}

// The notice the redirect asked for: the transfer's outcome, or nothing.
async function noticeOf(c: Context<PageEnv>): Promise<Notice | undefined> {
  const id = c.req.query("transaction");
  if (!id || !Id.safeParse(id).success) return undefined;
  const entry = await findLedgerEntry(c.var.deps.sql, c.var.userId, id);
  if (!entry) return undefined;
  if (entry.status === "rejected") {
    return { tone: "error", title: `Refused: ${reasonLabel(entry.reason ?? "")}` };
  }
  if (!entry.fx) return undefined;
  const { fx } = entry;
  const sold = formatAmount(fx.sourceAmount, currencyOf(fx.sourceCurrency));
  const bought = formatAmount(fx.destinationAmount, currencyOf(fx.destinationCurrency));
  return {
    tone: "success",
    title: "Converted",
    message:
      `${sold} ${fx.sourceCurrency} became ${bought} ${fx.destinationCurrency} at ${fx.rate}.`,
  };
}

async function render(c: Context<PageEnv>, notice?: Notice, status: 200 | 400 | 409 | 422 = 200) {
  const { deps, userId } = c.var;
  const [rates, accounts] = await Promise.all([
    readRates(deps, userId),
    listAccounts(deps.sql, userId, deps.clock()),
  ]);
  const quoteId = c.req.query("quote");
  const found = quoteId && Id.safeParse(quoteId).success
    ? await findQuote(deps.sql, userId, quoteId)
    : undefined;
  const quote = found && found.usedAt === null ? found : undefined;
  const page = fxPage({
    chrome: chromeOf(c, "Foreign exchange", "fx"),
    rates: { base: rates.base, rates: rates.rates, asOf: rates.as_of },
    accounts,
    quote,
    notice,
  });
  return c.html(page, status);
}
