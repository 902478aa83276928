/**
 * Freezing, unfreezing and closing accounts, as commands of the movement pipeline: the account's
 * row is locked like any movement's, so a status change and the movements on that account are
 * decided one after the other (domain/planners/account_status.ts), written by the one writer.
 */
import type { StatusAction } from "../domain/account_status.ts";
import type { AccountStatusResult } from "../domain/pipeline.ts";
import type { Sql } from "./client.ts";
import { submit, type SubmitOptions } from "./pipeline.ts";

/** Changes the status of one of the user's accounts; a 404, or a 409 when the change may not be. */
export function changeAccountStatus(
  sql: Sql,
  command: {
    userId: string;
    accountId: string;
    action: StatusAction;
    reason: string | null;
    realNow: Date;
  },
  options: SubmitOptions<AccountStatusResult> = {},
): Promise<AccountStatusResult> {
  return submit<"account_status">(sql, { kind: "account_status", ...command }, undefined, options);
}
