/** Reading submitted forms: text fields only, each trimmed and capped, never a file. */
import type { Context } from "hono";

/** The longest text field a page form accepts, in characters (the body limit caps the total). */
export const FORM_FIELD_CHARS_MAX = 2_000;

/** The form's text fields; files and repeated names are ignored. */
export async function formFields(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === "string") fields[name] = value.trim().slice(0, FORM_FIELD_CHARS_MAX);
  }
  return fields;
}

/** The first message per field of a zod error, keyed by the field's name. */
export function fieldMessages(issues: { path: PropertyKey[]; message: string }[]) {
  const messages: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "form");
    messages[field] ??= issue.message;
  }
  return messages;
}

/**
 * An amount as typed into a page form, for the API's schema: digit groups ("1,000.00",
 * "1 000.00") are taken out when they are groups of three; anything else is left for the schema
 * to refuse.
 */
export function pageAmount(text: string | undefined): string {
  const typed = (text ?? "").trim();
  const grouped = /^-?\d{1,3}([, \u00a0]\d{3})+(\.\d+)?$/.test(typed);
  return grouped ? typed.replace(/[, \u00a0]/g, "") : typed;
}
