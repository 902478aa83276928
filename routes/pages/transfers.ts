/** Transfers: the form, its inline checks, and the outcome swapped in place. */
import { Hono } from "hono";
import type { Context } from "hono";
import { html } from "hono/html";
import { listAccounts } from "../../db/accounts.ts";
import { findPayee } from "../../db/account_directory.ts";
import { isValidAccountNumber } from "../../domain/account_number.ts";
import {
  ACCOUNT_NUMBER_CHECK_LIMIT,
  assertWithinLimit,
  rateKey,
} from "../../domain/abuse_limits.ts";
import { countHits } from "../../db/rate_counters.ts";
import { InvalidInputError, NotFoundError, RateLimitedError } from "../../domain/errors.ts";
import { currencyOf, parseAmount } from "../../domain/money.ts";
import type { AccountView } from "../../domain/representations.ts";
import { money } from "../../views/format.ts";
import { type MovementOutcome, movementOutcome } from "../../views/outcome.ts";
import {
  accountChoices,
  amountField,
  balancesPanel,
  type FieldHint,
  fieldHint,
  freshTransferKey,
  type TransferFormValues,
  transferPage,
} from "../../views/transfers.ts";
import { transfer } from "../operations/transfers.ts";
import { bulkNotice } from "./bulk_transfers.ts";
import { TransferSchema } from "../transactions/schemas.ts";
import { chromeOf } from "./chrome.ts";
import { formFields, pageAmount } from "./forms.ts";
import { movementOutcomeOf, outcomeStatus, pageContext } from "./movements.ts";
import type { PageEnv } from "./page_env.ts";
import { isHtmx, requireSession } from "./session.ts";

/** /app/transfers: the page, POST to send, and GET /check for the inline field checks. */
export function transferPages() {
  return new Hono<PageEnv>()
    .get("/transfers", requireSession, async (c) => {
      const accounts = await listAccounts(c.var.deps.sql, c.var.userId, c.var.deps.clock());
      const values = { fromAccountId: c.req.query("from_account_id") };
      const bulk = { notice: bulkNotice((name) => c.req.query(name)) };
      return c.html(
        transferPage({ chrome: chromeOf(c, "Transfers", "transfers"), accounts, values, bulk }),
      );
    })
    .get("/transfers/check", requireSession, async (c) => {
      const accounts = await listAccounts(c.var.deps.sql, c.var.userId, c.var.deps.clock());
      const from = accounts.find((account) => account.id === c.req.query("from_account_id"));
      const field = c.req.query("field");
      if (field === "amount") {
        return c.html(fieldHint("amount", amountHint(pageAmount(c.req.query("amount")), from)));
      }
      if (field === "to_account_number") {
        try {
          const hint = await recipientHint(c, c.req.query("to_account_number") ?? "", from);
          return c.html(fieldHint("to_account_number", hint));
        } catch (error) {
          if (!(error instanceof RateLimitedError)) throw error;
          c.header("retry-after", String(error.retryAfterSeconds));
          const message = `Too many checks: try again in ${error.retryAfterSeconds} s.`;
          return c.html(fieldHint("to_account_number", { tone: "error", message }), 429);
        }
      }
      throw new NotFoundError("Check");
    })
    .post("/transfers", requireSession, async (c) => {
      const { deps, userId } = c.var;
      const fields = await formFields(c);
      const outcome = await runTransfer(c, fields);
      const accounts = await listAccounts(deps.sql, userId, deps.clock());
      const status = outcomeStatus(outcome);
      const submitted: TransferFormValues = {
        fromAccountId: fields.from_account_id,
        toAccountId: fields.to_account_id,
        toAccountNumber: fields.to_account_number,
        amount: fields.amount,
        description: fields.description,
      };
      if (isHtmx(c)) {
        return c.html(
          html`${movementOutcome(outcome)}${balancesPanel(accounts, true)}${
            accountChoices(accounts, submitted)
          }${outcome.kind === "approved" ? amountField("", true) : ""}${freshTransferKey()}`,
          status,
        );
      }
      const values = outcome.kind === "approved" ? {} : submitted;
      return c.html(
        transferPage({ chrome: chromeOf(c, "Transfers", "transfers"), accounts, values, outcome }),
        status,
      );
    });
}

/** Validates like the API (its schema and account-number rule), then runs the same transfer. */
async function runTransfer(
  c: Context<PageEnv>,
  fields: Record<string, string>,
): Promise<MovementOutcome> {
  const { deps, userId } = c.var;
  const toNumber = fields.to_account_number ?? "";
  const toId = fields.to_account_id ?? "";
  if (!toNumber && !toId) {
    return { kind: "invalid", message: "Choose one of your accounts or enter an account number." };
  }
  const parsed = TransferSchema.safeParse({
    from_account_id: fields.from_account_id,
    ...(toNumber ? { to_account_number: toNumber } : { to_account_id: toId }),
    amount: pageAmount(fields.amount),
    description: fields.description || null,
  });
  if (!parsed.success) {
    return { kind: "invalid", message: "Choose the accounts, and give an amount." };
  }
  try {
    const ran = await transfer(deps, userId, parsed.data, pageContext(c, fields));
    const accounts = await listAccounts(deps.sql, userId, deps.clock());
    return await movementOutcomeOf(deps, userId, ran, accounts);
  } catch (error) {
    if (error instanceof InvalidInputError) {
      const field = error.field === "to_account_number" ? "The account number" : "The amount";
      return { kind: "invalid", message: `${field} ${error.problem}.` };
    }
    if (error instanceof NotFoundError && toNumber && error.message.startsWith("Destination")) {
      return { kind: "invalid", message: `No account has the number ${toNumber}.` };
    }
    throw error;
  }
}

function amountHint(text: string, from: AccountView | undefined): FieldHint {
  if (!from) return { tone: "neutral", message: "Choose the account to send from." };
  if (!text.trim()) return { tone: "neutral", message: "In the source account's currency." };
  try {
    const amount = parseAmount(pageAmount(text), currencyOf(from.currency));
    const available = money(from.available, from.currency);
    return amount > from.available
      ? { tone: "error", message: `More than the ${available} available: it would be refused.` }
      : { tone: "ok", message: `${money(amount, from.currency)} of ${available} available.` };
  } catch (error) {
    if (error instanceof InvalidInputError) {
      return { tone: "error", message: `The amount ${error.problem}.` };
    }
    throw error;
  }
}

async function recipientHint(
  c: Context<PageEnv>,
  text: string,
  from: AccountView | undefined,
): Promise<FieldHint> {
  const number = text.replace(/[\s-]/g, "");
  if (!number) return { tone: "neutral", message: "10 digits." };
  if (!/^\d+$/.test(number)) {
    return { tone: "error", message: "An account number has digits only." };
  }
  if (number.length !== 10) {
    return {
      tone: "error",
      message: `An account number has 10 digits; this has ${number.length}.`,
    };
  }
  if (!isValidAccountNumber(number)) {
    return { tone: "error", message: "The check digit does not match: look for a typo." };
  }
  // Only a lookup reveals whether a number exists: that is what is counted, per user.
  const { deps, userId } = c.var;
  const now = deps.clock();
  const [count] = await countHits(deps.sql, [rateKey(ACCOUNT_NUMBER_CHECK_LIMIT, userId)], now);
  assertWithinLimit(ACCOUNT_NUMBER_CHECK_LIMIT, count, {
    now,
    message: "Too many account-number checks; retry later",
  });
  const payee = await findPayee(deps.sql, number);
  if (!payee) return { tone: "error", message: "No account has this number." };
  if (from && payee.id === from.id) {
    return { tone: "error", message: "This is the account you are sending from." };
  }
  if (from && payee.currency !== from.currency) {
    return {
      tone: "error",
      message: `This account holds ${payee.currency}; yours holds ${from.currency}.`,
    };
  }
  return { tone: "ok", message: `Account found (${payee.currency}).` };
}
