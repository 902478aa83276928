/**
 * Cards and card authorizations in the database. Issuing and freezing a card move no money: they
 * are owner-scoped writes here. Every step of an authorization is a command of the movement
 * pipeline (domain/planners/card_*.ts); this module submits them and reads the rows back.
 */
import type {
  AuthorizationState,
  AuthorizationStatus,
  Merchant,
} from "../domain/card_authorizations.ts";
import {
  type CardAction,
  cardExpiry,
  cardJson,
  cardNumberFrom,
  type CardView,
  last4Of,
  nextCardStatus,
} from "../domain/cards.ts";
import { NotFoundError } from "../domain/errors.ts";
import type { FraudRule } from "../domain/fraud/mod.ts";
import type {
  CardAuthorizeResult,
  CardStepResult,
  Command,
  CommandKind,
  CommandOf,
  CommandResults,
} from "../domain/pipeline.ts";
import type { Queryable, Sql, Tx } from "./client.ts";
import { type SeqWindow, seqWindowOrder, seqWindowWhere } from "./seq_window.ts";
import { recordEvents } from "./events.ts";
import { authorizationFromRow, type AuthorizationRow } from "./facts.ts";
import { submit, type SubmitOptions } from "./pipeline.ts";

/** A card as stored. */
export type CardRow = CardView;

/**
 * Issues a card on one of the user's accounts (404 otherwise), with its card.created event. The
 * card number is made and cut to its last four digits here: the full number is never stored,
 * logged or returned.
 */
export async function issueCard(
  sql: Sql,
  card: { userId: string; accountId: string; nameOnCard: string | null; now: Date },
  options: { onRecorded?: (tx: Tx, card: CardRow) => Promise<void> } = {},
): Promise<CardRow> {
  const { expMonth, expYear } = cardExpiry(card.now);
  const last4 = last4Of(cardNumberFrom(randomDigits(9)));
  return await sql.begin(async (tx) => {
    const [row] = await tx<CardRow[]>`
      INSERT INTO cards (user_id, account_id, last4, exp_month, exp_year, name_on_card, status,
        created_at)
      SELECT a.user_id, a.id, ${last4}, ${expMonth}, ${expYear}, ${card.nameOnCard}, 'active',
        ${card.now}
      FROM accounts a WHERE a.id = ${card.accountId} AND a.user_id = ${card.userId}
      RETURNING *`;
    if (!row) throw new NotFoundError("Account");
    await recordEvents(tx, [{
      userId: card.userId,
      type: "card.created",
      object: cardJson(row),
      createdAt: card.now,
    }]);
    await options.onRecorded?.(tx, row);
    return row;
  });
}

// Decimal digits from the platform's CSPRNG. (byte % 10 leans slightly towards 0–5: harmless for
// a test number of which only the last four digits are ever kept.)
function randomDigits(count: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(count));
  return [...bytes].map((byte) => String(byte % 10)).join("");
}

/** Freezes, unfreezes or cancels one of the user's cards (domain/cards.ts says which may). */
export async function changeCardStatus(
  sql: Sql,
  change: { userId: string; cardId: string; action: CardAction },
  options: { onRecorded?: (tx: Tx, card: CardRow) => Promise<void> } = {},
): Promise<CardRow> {
  return await sql.begin(async (tx) => {
    const [card] = await tx<CardRow[]>`
      SELECT * FROM cards WHERE id = ${change.cardId} AND user_id = ${change.userId} FOR UPDATE`;
    if (!card) throw new NotFoundError("Card");
    const status = nextCardStatus(card.status, change.action);
    const [row] = await tx<CardRow[]>`
      UPDATE cards SET status = ${status} WHERE id = ${card.id} RETURNING *`;
    await options.onRecorded?.(tx, row);
    return row;
  });
}

/** The user's cards, newest first (oldest first after `afterSeq`); `beforeSeq` is the cursor. */
export async function listCards(
  sql: Queryable,
  filter: { userId: string; limit: number } & SeqWindow,
): Promise<(CardRow & { seq: bigint })[]> {
  return await sql<(CardRow & { seq: bigint })[]>`
    SELECT * FROM cards WHERE user_id = ${filter.userId}
      ${seqWindowWhere(sql, sql`seq`, filter)}
    ${seqWindowOrder(sql, sql`seq`, filter)} LIMIT ${filter.limit}`;
}

/** One of the user's cards, or undefined (another user's is the same as none). */
export async function findCard(
  sql: Queryable,
  userId: string,
  cardId: string,
): Promise<CardRow | undefined> {
  const [row] = await sql<CardRow[]>`
    SELECT * FROM cards WHERE id = ${cardId} AND user_id = ${userId}`;
  return row;
}

/** An authorization with its list position. */
export type AuthorizationListed = AuthorizationState & { seq: bigint };

/** The user's authorizations, newest first (oldest first after `afterSeq`). */
export async function listAuthorizations(
  sql: Queryable,
  filter: {
    userId: string;
    cardId?: string;
    status?: AuthorizationStatus;
    limit: number;
  } & SeqWindow,
): Promise<AuthorizationListed[]> {
  const rows = await sql<AuthorizationRow[]>`
    SELECT * FROM card_authorizations WHERE user_id = ${filter.userId}
      ${filter.cardId ? sql`AND card_id = ${filter.cardId}` : sql``}
      ${filter.status ? sql`AND status = ${filter.status}` : sql``}
      ${seqWindowWhere(sql, sql`seq`, filter)}
    ${seqWindowOrder(sql, sql`seq`, filter)} LIMIT ${filter.limit}`;
  return rows.map((row) => ({ ...authorizationFromRow(row), seq: row.seq }));
}

/** One of the user's authorizations, or undefined. */
export async function findAuthorization(
  sql: Queryable,
  userId: string,
  authorizationId: string,
): Promise<AuthorizationState | undefined> {
  const [row] = await sql<AuthorizationRow[]>`
    SELECT * FROM card_authorizations WHERE id = ${authorizationId} AND user_id = ${userId}`;
  return row ? authorizationFromRow(row) : undefined;
}

/** A new authorization on one of the user's cards. */
export interface AuthorizeCommand {
  userId: string;
  cardId: string;
  amount: string | number;
  merchant: Merchant;
  simulateDecline: string | null;
  expiresInSeconds: number;
  realNow: Date;
  rules: readonly FraudRule[];
}

/** Hooks into a card step's transaction (an idempotency record commits with it). */
export type CardOptions<R> = Pick<SubmitOptions<R>, "onRecorded" | "commitBy" | "alone">;

/**
 * Authorizes: a hold on the card's account, or a declined authorization with its rejected
 * card_authorization row (domain/planners/card_authorize.ts).
 */
export function authorize(
  sql: Sql,
  command: AuthorizeCommand,
  options: CardOptions<CardAuthorizeResult> = {},
): Promise<CardAuthorizeResult> {
  const { rules, ...rest } = command;
  return submit<"card_authorize">(
    sql,
    { kind: "card_authorize", description: null, ...rest },
    { rules },
    options,
  );
}

/** The steps on an existing authorization. */
export type CardStepKind = Exclude<
  Extract<Command, { authorizationId: string }>["kind"],
  "card_expire"
>;

/**
 * Runs a step on one of the user's authorizations (increment, capture, reverse, refund). One that
 * met an expired authorization commits the expiry and throws its 409; its idempotency record is
 * only written for an answer the step itself gave.
 */
export async function cardStep<K extends CardStepKind & CommandKind>(
  sql: Sql,
  command: CommandOf<K>,
  context: { rules: readonly FraudRule[] },
  options: CardOptions<CardStepResult> = {},
): Promise<CardStepResult> {
  const { onRecorded } = options;
  const result: CardStepResult = await submit<K>(sql, command, context, {
    ...options,
    onRecorded: async (tx, outcome: CommandResults[K]) => {
      if (!outcome.conflict) await onRecorded?.(tx, outcome);
    },
  });
  if (result.conflict) throw result.conflict;
  return result;
}
