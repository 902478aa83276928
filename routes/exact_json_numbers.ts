/**
 * JSON numbers become doubles when parsed; a client's `100.0099999999999999` would silently
 * become 100.01. This middleware reads each number's source text and refuses (400) any number a
 * double cannot carry exactly, so amounts are always what the client wrote.
 */
import { createMiddleware } from "hono/factory";
import { InvalidInputError } from "../domain/errors.ts";

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;

/** Refuses JSON bodies holding a number that does not survive the trip into a double. */
export const exactJsonNumbers = createMiddleware(async function exactJsonNumbers(c, next) {
  const mediaType = (c.req.header("content-type") ?? "").split(";")[0].trim();
  if (c.req.method !== "GET" && c.req.method !== "HEAD" && JSON_MEDIA.test(mediaType)) {
    // Cached by Hono: the validator parses this same text afterwards.
    const text = await c.req.text();
    let inexact: string | undefined;
    try {
      JSON.parse(text, function (key, value, context?: { source?: string }) {
        if (typeof value === "number" && context?.source !== undefined) {
          if (!sameDecimal(context.source, String(value))) inexact ??= key || "body";
        }
        return value;
      });
    } catch {
      // Malformed JSON is the validator's to refuse, with its own problem.
    }
    if (inexact !== undefined) {
      throw new InvalidInputError(
        inexact,
        "has more precision than a JSON number carries; send it as a decimal string",
      );
    }
  }
  await next();
});

/** True when two decimal numerals (with optional exponent) denote the same value exactly. */
export function sameDecimal(a: string, b: string): boolean {
  const x = normalise(a);
  const y = normalise(b);
  return x !== undefined && y !== undefined && x === y;
}

function normalise(numeral: string): string | undefined {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(numeral.trim());
  if (!match) return undefined;
  const [, sign, whole, fraction = "", exponent = "0"] = match;
  let digits = (whole + fraction).replace(/^0+/, "");
  let scale = Number(exponent) - fraction.length;
  if (digits === "") return "0";
  while (digits.endsWith("0")) {
    digits = digits.slice(0, -1);
    scale++;
  }
  return `${sign}${digits}e${scale}`;
}
