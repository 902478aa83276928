/** Handler for account statements. */
import { findOwnAccount } from "../../db/accounts.ts";
import { readStatement, STATEMENT_ENTRIES_MAX } from "../../db/statements.ts";
import { readUserClock } from "../../db/users.ts";
import { InvalidInputError, NotFoundError } from "../../domain/errors.ts";
import { STATEMENT_PERIOD_DAYS_MAX, statementCsv, statementJson } from "../../domain/statements.ts";
import { dateIn, nextDate, requireTimeZone, startOfDay } from "../../domain/time_zones.ts";
import type { AppDeps, AppRouteHandler } from "../app_env.ts";
import type { StatementRoute } from "./routes.ts";

const DAY_MS = 86_400_000;

/**
 * The user's statement of one account for a period of calendar days in `timeZone` (default
 * BANK_TIME_ZONE; defaults: the month so far on the user's clock there), checked like the API
 * checks it; the pages' CSV download uses it too. Each day runs from its first moment in that
 * zone to the next day's, so a day of a daylight-saving change is 23 or 25 hours long.
 */
export async function accountStatement(
  deps: AppDeps,
  command: { userId: string; accountId: string; from?: string; to?: string; timeZone?: string },
) {
  const { userId, accountId } = command;
  const timeZone = requireTimeZone(command.timeZone ?? deps.config.bankTimeZone);
  const account = await findOwnAccount(deps.sql, userId, accountId, deps.clock());
  if (!account) throw new NotFoundError("Account");
  const { now } = await readUserClock(deps.sql, userId, deps.clock());
  const to = command.to ?? dateIn(now, timeZone);
  const from = command.from ?? `${to.slice(0, 8)}01`;
  const start = startOfDay(from, timeZone);
  const end = startOfDay(nextDate(to), timeZone);
  const days = (Date.parse(nextDate(to)) - Date.parse(from)) / DAY_MS;
  if (days <= 0) throw new InvalidInputError("from", "must not be after to");
  if (days > STATEMENT_PERIOD_DAYS_MAX) {
    throw new InvalidInputError(
      "to",
      `must be at most ${STATEMENT_PERIOD_DAYS_MAX} days after from`,
    );
  }
  const data = await readStatement(deps.sql, { accountId, from: start, to: end });
  if (data.truncated) {
    throw new InvalidInputError(
      "from",
      `the period holds more than ${STATEMENT_ENTRIES_MAX} entries; ask for a shorter one`,
    );
  }
  const body = statementJson({
    accountId,
    currency: account.currency,
    from,
    to,
    timeZone,
    opening: data.opening,
    entries: data.entries,
  });
  return { account, body };
}

/** The CSV download's file name. */
export function statementFileName(accountNumber: string, from: string, to: string): string {
  return `statement-${accountNumber}-${from}-${to}.csv`;
}

export const statement: AppRouteHandler<StatementRoute> = async (c) => {
  const { deps, userId } = c.var;
  const { id } = c.req.valid("param");
  const query = c.req.valid("query");
  const { account, body } = await accountStatement(deps, {
    userId,
    accountId: id,
    from: query.from,
    to: query.to,
    timeZone: query.time_zone,
  });
  if (prefersCsv(c.req.header("accept"))) {
    return c.body(statementCsv(body.entries), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${
        statementFileName(account.accountNumber, body.from, body.to)
      }"`,
    });
  }
  return c.json(body, 200);
};

// CSV only when asked for ahead of JSON; anything else (or no Accept) gets JSON.
function prefersCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(",").map((part) => part.split(";")[0].trim().toLowerCase());
  const csv = types.indexOf("text/csv");
  const json = types.indexOf("application/json");
  return csv !== -1 && (json === -1 || csv < json);
}
