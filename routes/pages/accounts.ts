/** Accounts: the list, opening one, and an account's page with deposits and withdrawals. */
import { Hono } from "hono";
import { z } from "zod";
import { findOwnAccount, listAccounts } from "../../db/accounts.ts";
import { accountBalanceHistory } from "../../db/balance_history.ts";
import { findHold, listHolds } from "../../db/holds.ts";
import type { Verdict } from "../../domain/ledger.ts";
import type { HoldState } from "../../domain/pipeline.ts";
import { listLedger } from "../../db/ledger.ts";
import { readUserClock } from "../../db/users.ts";
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  RefusedError,
} from "../../domain/errors.ts";
import {
  HOLD_EXPIRES_IN_SECONDS_DEFAULT,
  HOLD_EXPIRES_IN_SECONDS_MAX,
} from "../../domain/holds.ts";
import { statementCsv } from "../../domain/statements.ts";
import { dateIn } from "../../domain/time_zones.ts";
import { CURRENCIES } from "../../domain/money.ts";
import type { AccountView } from "../../domain/representations.ts";
import {
  accountHistory,
  accountLedger,
  accountPage,
  accountsPage,
  accountSummary,
  cashForm,
  type CashFormState,
  liveHolds,
} from "../../views/accounts.ts";
import { money } from "../../views/format.ts";
import type { Notice } from "../../views/outcome.ts";
import { PlaceHoldSchema } from "../holds/schemas.ts";
import { accountStatement, statementFileName } from "../statements/handlers.ts";
import { StatementQuery } from "../statements/schemas.ts";
import type { MovementOutcome } from "../../views/outcome.ts";
import { CashMovementSchema, FreezeAccountSchema, OpenAccountSchema } from "../accounts/schemas.ts";
import { chromeOf, perspectiveOf } from "./chrome.ts";
import { pageAction } from "./prg.ts";
import { formFields, pageAmount } from "./forms.ts";
import { cashMovement, changeStatus, openAccount } from "../operations/accounts.ts";
import {
  capture as captureHoldOp,
  place as placeHoldOp,
  release as releaseHold,
} from "../operations/holds.ts";
import type { AnyAnswer, Ran } from "../operations/run.ts";
import {
  movementOutcomeOf,
  outcomeStatus,
  pageContext,
  storedObjectId,
  storedRefusal,
} from "./movements.ts";
import { liveAnswer, versionOf } from "./live.ts";
import type { PageEnv } from "./page_env.ts";
import { readWindow, windowPage, windowParams } from "./paging.ts";
import { isHtmx, requireSession } from "./session.ts";
import type { Context } from "hono";
import { html } from "hono/html";
import { CHART_POINTS_MAX } from "./dashboard.ts";

/** How many ledger entries an account's page lists (the transactions page pages through all). */
export const ACCOUNT_PAGE_ENTRIES = 20;

/** Holds per page of an account's list, newest first ("Older" / "Newer" for the rest). */
export const ACCOUNT_PAGE_HOLDS = 20;

/** How long a new hold may last, as the place-hold form offers it. */
const HOLD_DURATIONS = [
  { seconds: 3_600, label: "1 hour" },
  { seconds: 86_400, label: "1 day" },
  { seconds: HOLD_EXPIRES_IN_SECONDS_DEFAULT, label: "7 days" },
  { seconds: HOLD_EXPIRES_IN_SECONDS_MAX, label: "31 days" },
] as const;

const currencyCodes = CURRENCIES.map((currency) => currency.code);
const AccountId = z.uuid();

/** /app/accounts and /app/accounts/:id with its deposit and withdraw forms. */
export function accountPages() {
  return new Hono<PageEnv>()
    .get("/accounts", requireSession, async (c) => {
      const accounts = await listAccounts(c.var.deps.sql, c.var.userId, c.var.deps.clock());
      return c.html(accountsPage({
        chrome: chromeOf(c, "Accounts", "accounts"),
        accounts,
        currencies: currencyCodes,
      }));
    })
    .post("/accounts", requireSession, async (c) => {
      const fields = await formFields(c);
      const parsed = OpenAccountSchema.safeParse({ currency: fields.currency });
      if (!parsed.success) throw new InvalidInputError("currency", "is not a supported currency");
      const ran = await openAccount(c.var.deps, c.var.userId, parsed.data, pageContext(c, fields));
      const id = ran.replayed ? storedObjectId(ran.stored) : ran.result.id;
      return c.redirect(`/app/accounts/${id}`, 303);
    })
    .get("/accounts/:id", requireSession, async (c) => {
      const account = await ownAccount(c, c.req.param("id"));
      return c.html(await renderAccountPage(c, account, {}));
    })
    // The holds list alone, for its live region: 204 while none of them changed.
    .get("/accounts/:id/holds/live", requireSession, async (c) => {
      const account = await ownAccount(c, c.req.param("id"));
      const holds = await accountHolds(c, account.id);
      return await liveAnswer(
        c,
        holds.version,
        () => c.html(liveHolds(account.id, holds, c.var.csrfToken)),
      );
    })
    .post("/accounts/:id/:kind{deposit|withdraw}", requireSession, async (c) => {
      const { deps, userId } = c.var;
      const kind = c.req.param("kind") as "deposit" | "withdraw";
      const account = await ownAccount(c, c.req.param("id"));
      const fields = await formFields(c);
      const outcome = await runCashMovement(c, kind, account.id, fields);
      const status = outcomeStatus(outcome);
      const state: CashFormState = outcome.kind === "approved"
        ? { outcome }
        : { outcome, amount: fields.amount, description: fields.description };
      const fresh = (await findOwnAccount(deps.sql, userId, account.id, deps.clock()))!;
      if (!isHtmx(c)) {
        return c.html(await renderAccountPage(c, fresh, { [kind]: state }), status);
      }
      const view = await accountViewData(c, fresh);
      return c.html(
        html`${cashForm(kind, fresh, c.var.csrfToken, state)}${accountSummary(fresh, true)}${
          accountHistory(view, true)
        }${accountLedger(view, true)}`,
        status,
      );
    })
    .post("/accounts/:id/:action{freeze|unfreeze|close}", requireSession, async (c) => {
      const account = await ownAccount(c, c.req.param("id"));
      const action = c.req.param("action") as "freeze" | "unfreeze" | "close";
      const fields = await formFields(c);
      const notice = await runStatusChange(c, account.id, action, fields);
      // Post/Redirect/Get: the account page shows the new status.
      if (!notice) return c.redirect(`/app/accounts/${account.id}`, 303);
      return c.html(
        await renderAccountPage(c, account, {}, { statusNotice: notice.notice }),
        notice.status,
      );
    })
    .post("/accounts/:id/holds", requireSession, async (c) => {
      const account = await ownAccount(c, c.req.param("id"));
      const fields = await formFields(c);
      return await pageAction(c, fields, `/app/accounts/${account.id}`, async () => {
        const { notice, status } = await runPlaceHold(c, account, fields);
        // Invalid, or refused (recorded; a re-post replays it under its key): the form again,
        // with what was typed, to correct.
        if (status === 400 || status === 422) {
          const holdError = status === 400 ? notice.message : undefined;
          return await renderAfterHoldAction(c, account.id, {
            notice,
            holdValues: fields,
            holdError,
          }, status);
        }
        return { notice };
      });
    })
    .post("/holds/:id/:action{capture|void}", requireSession, async (c) => {
      const { deps, userId } = c.var;
      const id = c.req.param("id");
      const hold = AccountId.safeParse(id).success
        ? await findHold(deps.sql, userId, id)
        : undefined;
      if (!hold) throw new NotFoundError("Hold");
      const fields = await formFields(c);
      return await pageAction(c, fields, `/app/accounts/${hold.accountId}`, async () => {
        const { notice, status } = await runHoldChange(c, id, c.req.param("action"), fields);
        if (status === 400 || status === 422) {
          return await renderAfterHoldAction(c, hold.accountId, { notice }, status);
        }
        return { notice };
      });
    })
    .get("/accounts/:id/statement.csv", requireSession, statementDownload);
}

/**
 * The statement as CSV; a period the statement cannot have is the account page again, with the
 * reason beside the field at fault (400), never an error page.
 */
async function statementDownload(c: Context<PageEnv>): Promise<Response> {
  const { deps, userId } = c.var;
  const account = await ownAccount(c, c.req.param("id") ?? "");
  const query = StatementQuery.safeParse({
    from: c.req.query("from") || undefined,
    to: c.req.query("to") || undefined,
    time_zone: c.req.query("time_zone") || undefined,
  });
  const typed = {
    from: c.req.query("from") ?? "",
    to: c.req.query("to") ?? "",
    timeZone: c.req.query("time_zone") ?? "",
  };
  // A period the statement cannot have is said beside its field, on the account page.
  const refuse = async (field: string, message: string) =>
    c.html(
      await renderAccountPage(c, account, {}, {
        statement: { period: typed, error: { field, message } },
      }),
      400,
    );
  if (!query.success) {
    const field = String(query.error.issues[0]?.path[0] ?? "from");
    return await refuse(field, "Enter real dates (YYYY-MM-DD) and an IANA time zone.");
  }
  let body;
  try {
    ({ body } = await accountStatement(deps, {
      userId,
      accountId: account.id,
      from: query.data.from,
      to: query.data.to,
      timeZone: query.data.time_zone,
    }));
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return await refuse(error.field, STATEMENT_PROBLEMS[error.field]?.(error) ?? error.message);
  }
  return c.body(statementCsv(body.entries), 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${
      statementFileName(account.accountNumber, body.from, body.to)
    }"`,
  });
}

/**
 * Freezes, unfreezes or closes the account as the API would; undefined when it is done, else the
 * status card's notice: a close without its ticked confirmation (400), or the 409 it met.
 */
async function runStatusChange(
  c: Context<PageEnv>,
  accountId: string,
  action: "freeze" | "unfreeze" | "close",
  fields: Record<string, string>,
): Promise<{ notice: Notice; status: 400 | 409 } | undefined> {
  if (action === "close" && fields.confirm !== "yes") {
    return {
      notice: {
        tone: "error",
        title: "Nothing changed",
        message: "Tick the box to confirm: closing an account is final.",
      },
      status: 400,
    };
  }
  const parsed = FreezeAccountSchema.safeParse({ reason: fields.reason || null });
  if (!parsed.success) {
    return {
      notice: { tone: "error", title: "Check the form", message: "The reason is too long." },
      status: 400,
    };
  }
  const body = action === "freeze" && parsed.data.reason ? { reason: parsed.data.reason } : {};
  try {
    const input = { accountId, action, body };
    await changeStatus(c.var.deps, c.var.userId, input, pageContext(c, fields));
    return undefined;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return {
      notice: { tone: "error", title: "Nothing changed", message: `${error.message}.` },
      status: 409,
    };
  }
}

/** Places a hold as the API would; a refusal or bad amount becomes the hold card's notice. */
async function runPlaceHold(
  c: Context<PageEnv>,
  account: AccountView,
  fields: Record<string, string>,
): Promise<{ notice: Notice; status: 200 | 400 | 409 | 422 }> {
  const { deps, userId } = c.var;
  const parsed = PlaceHoldSchema.safeParse({
    amount: pageAmount(fields.amount),
    description: fields.description || null,
    expires_in_seconds: Number(fields.expires_in_seconds || HOLD_EXPIRES_IN_SECONDS_DEFAULT),
  });
  if (!parsed.success) {
    return {
      notice: { tone: "error", title: "Check the form", message: "Enter an amount to hold." },
      status: 400,
    };
  }
  try {
    const input = { accountId: account.id, body: parsed.data };
    const hold = await holdOf(c, await placeHoldOp(deps, userId, input, pageContext(c, fields)));
    if ("refused" in hold) return refusedNotice(hold.refused);
    return {
      notice: { tone: "success", title: `Hold of ${money(hold.amount, hold.currency)} placed` },
      status: 200,
    };
  } catch (error) {
    return holdErrorNotice(error);
  }
}

/** Captures (all, or the amount given) or voids a hold; refusals become the notice. */
async function runHoldChange(
  c: Context<PageEnv>,
  holdId: string,
  action: string,
  fields: Record<string, string>,
): Promise<{ notice: Notice; status: 200 | 400 | 409 | 422 }> {
  const { deps, userId } = c.var;
  const context = pageContext(c, fields);
  try {
    if (action === "void") {
      await releaseHold(deps, userId, holdId, context);
      return {
        notice: { tone: "success", title: "Hold voided: the money is free again" },
        status: 200,
      };
    }
    const body = fields.amount ? { amount: pageAmount(fields.amount) } : {};
    const hold = await holdOf(c, await captureHoldOp(deps, userId, { holdId, body }, context));
    if ("refused" in hold) return refusedNotice(hold.refused);
    return {
      notice: {
        tone: "success",
        title: `Captured ${money(hold.capturedAmount, hold.currency)} of the hold`,
        message: hold.capturedAmount < hold.amount ? "The rest is released." : undefined,
      },
      status: 200,
    };
  } catch (error) {
    return holdErrorNotice(error);
  }
}

/**
 * The hold a hold operation left: its result, or (a replayed form) the hold as it is now; or the
 * detail of its recorded refusal, run now or replayed.
 */
async function holdOf(
  c: Context<PageEnv>,
  ran: Ran<{ hold: HoldState | null; verdict?: Verdict }, AnyAnswer>,
): Promise<HoldState | { refused: string }> {
  if (!ran.replayed) {
    const { hold, verdict } = ran.result;
    if (verdict && !verdict.approved) return { refused: verdict.detail };
    if (hold) return hold;
    throw new Error("A hold operation without a hold must have been refused");
  }
  const problem = storedRefusal(ran.stored);
  if (problem) return { refused: problem.detail };
  const hold = await findHold(c.var.deps.sql, c.var.userId, storedObjectId(ran.stored));
  if (!hold) throw new NotFoundError("Hold");
  return hold;
}

function refusedNotice(detail: string): { notice: Notice; status: 422 } {
  return { notice: { tone: "error", title: "Refused", message: `${detail}.` }, status: 422 };
}

function holdErrorNotice(error: unknown): { notice: Notice; status: 400 | 409 | 422 } {
  if (error instanceof InvalidInputError) {
    return {
      notice: { tone: "error", title: "Check the form", message: `The amount ${error.problem}.` },
      status: 400,
    };
  }
  if (error instanceof RefusedError) {
    return {
      notice: { tone: "error", title: "Refused", message: `${error.message}.` },
      status: 422,
    };
  }
  if (error instanceof ConflictError) {
    return {
      notice: { tone: "error", title: "Nothing changed", message: `${error.message}.` },
      status: 409,
    };
  }
  throw error;
}

async function renderAfterHoldAction(
  c: Context<PageEnv>,
  accountId: string,
  forms: { notice: Notice; holdValues?: Record<string, string>; holdError?: string },
  status: number,
) {
  const account =
    (await findOwnAccount(c.var.deps.sql, c.var.userId, accountId, c.var.deps.clock()))!;
  return c.html(
    await renderAccountPage(c, account, {}, {
      holdNotice: forms.notice,
      holdValues: forms.holdValues,
      holdError: forms.holdError,
    }),
    status as 200,
  );
}

/** The user's account with this id, or a 404 (another user's account looks like none). */
async function ownAccount(c: Context<PageEnv>, id: string): Promise<AccountView> {
  const account = AccountId.safeParse(id).success
    ? await findOwnAccount(c.var.deps.sql, c.var.userId, id, c.var.deps.clock())
    : undefined;
  if (!account) throw new NotFoundError("Account");
  return account;
}

async function runCashMovement(
  c: Context<PageEnv>,
  kind: "deposit" | "withdraw",
  accountId: string,
  fields: Record<string, string>,
): Promise<MovementOutcome> {
  const { deps, userId } = c.var;
  const parsed = CashMovementSchema.safeParse({
    amount: pageAmount(fields.amount),
    description: fields.description || null,
  });
  if (!parsed.success) {
    return {
      kind: "invalid",
      message: "Enter an amount and a description of up to 500 characters.",
    };
  }
  try {
    const input = { kind, accountId, body: parsed.data };
    const ran = await cashMovement(deps, userId, input, pageContext(c, fields));
    const accounts = await listAccounts(deps.sql, userId, deps.clock());
    return await movementOutcomeOf(deps, userId, ran, accounts);
  } catch (error) {
    if (error instanceof InvalidInputError) {
      return { kind: "invalid", message: `The amount ${error.problem}.` };
    }
    throw error;
  }
}

async function renderAccountPage(
  c: Context<PageEnv>,
  account: AccountView,
  forms: { deposit?: CashFormState; withdraw?: CashFormState },
  holdForm: {
    holdNotice?: Notice;
    holdValues?: Record<string, string>;
    holdError?: string;
    statusNotice?: Notice;
    /** A statement period refused, as typed, with the field at fault. */
    statement?: {
      period: { from: string; to: string; timeZone: string };
      error: { field: string; message: string };
    };
  } = {},
) {
  const { deps } = c.var;
  const view = await accountViewData(c, account);
  const holds = await accountHolds(c, account.id);
  const timeZone = deps.config.bankTimeZone;
  const to = dateIn(view.until, timeZone);
  return accountPage({
    chrome: chromeOf(c, `Account ${account.accountNumber}`, "accounts"),
    ...view,
    ...forms,
    ...holdForm,
    holds: holds.rows,
    holdsPager: holds.pager,
    holdsParams: holds.params,
    holdsVersion: holds.version,
    holdDurations: HOLD_DURATIONS,
    statementPeriod: holdForm.statement?.period ?? { from: `${to.slice(0, 8)}01`, to, timeZone },
    statementError: holdForm.statement?.error,
  });
}

// What the statement card says beside a refused field (the API's wording names the fields).
const STATEMENT_PROBLEMS: Record<string, (error: InvalidInputError) => string> = {
  from: (error) =>
    error.problem === "must not be after to"
      ? "The From date is after the To date."
      : `The period: ${error.problem}.`,
  to: (error) => `The To date ${error.problem.replace("from", "the From date")}.`,
  time_zone: () => "Enter an IANA time zone, such as Africa/Johannesburg.",
};

// The holds page on their own (`holds_older` / `holds_newer`), beside the account's ledger; the
// page and its live poll read the same window, so the poll keeps the reader on their page.
async function accountHolds(c: Context<PageEnv>, accountId: string) {
  const { deps, userId } = c.var;
  const window = readWindow(c, "holds_");
  const page = windowPage(
    await listHolds(deps.sql, { userId, accountId, ...window, limit: ACCOUNT_PAGE_HOLDS + 1 }),
    ACCOUNT_PAGE_HOLDS,
    window,
  );
  const params = windowParams(window, "holds_");
  return { ...page, params, version: await versionOf([page.rows, page.pager]) };
}

// What the account page and its out-of-band updates show: ledger, chart, and the clock's now.
async function accountViewData(c: Context<PageEnv>, account: AccountView) {
  const { deps, userId } = c.var;
  const entries = await listLedger(deps.sql, {
    accountIds: [account.id],
    limit: ACCOUNT_PAGE_ENTRIES,
  });
  const history = await accountBalanceHistory(deps.sql, account.id, CHART_POINTS_MAX);
  const { now } = await readUserClock(deps.sql, userId, deps.clock());
  const perspective = await perspectiveOf(deps.sql, [account], entries);
  return { account, entries, perspective, history, until: now };
}
