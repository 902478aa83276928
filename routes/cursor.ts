/** Opaque page cursors: a position encoded so clients never construct one. */
import { InvalidInputError } from "../domain/errors.ts";

const BIGINT_MAX = 2n ** 63n - 1n;

/** Encodes a ledger position as an opaque cursor. */
export function encodeCursor(seq: bigint): string {
  return btoa(`s:${seq}`).replaceAll("=", "");
}

/** Decodes a cursor from encodeCursor; anything else is a 400. */
export function decodeCursor(cursor: string): bigint {
  let text = "";
  try {
    text = atob(cursor);
  } catch {
    // Falls through to the format check below.
  }
  const match = /^s:(\d{1,19})$/.exec(text);
  const position = match ? BigInt(match[1]) : -1n;
  if (position < 0n || position > BIGINT_MAX) {
    throw new InvalidInputError("cursor", "is not a cursor this API issued");
  }
  return position;
}

/**
 * One page of a list read with `limit + 1` rows: the extra row only says another page exists,
 * and the cursor points past the last row shown.
 */
export function cursorPage<Row extends { seq: bigint }, Item>(
  rows: Row[],
  limit: number,
  toJson: (row: Row) => Item,
): { data: Item[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  const next = rows.length > limit ? encodeCursor(page[page.length - 1].seq) : null;
  return { data: page.map(toJson), next_cursor: next };
}
