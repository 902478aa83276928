/**
 * Where webhooks may be sent. Any http(s) URL in development (a sandbox user's receiver runs on
 * localhost); in production only public unicast addresses, so the bank cannot be made to POST
 * into its own network (SSRF): loopback, private, link-local (cloud metadata at 169.254.169.254),
 * carrier-grade NAT, multicast, reserved and IPv4-embedding IPv6 ranges are all refused, for
 * literal addresses and for every address a name resolves to.
 */
import ipaddr from "ipaddr.js";
import { InvalidInputError } from "./errors.ts";

/** The longest webhook URL accepted, in characters. */
export const WEBHOOK_URL_CHARS_MAX = 2048;

/** Resolves a host name to its addresses (Deno.resolveDns in the app; a fake in tests). */
export type ResolveHost = (hostname: string) => Promise<string[]>;

// Names that are internal by definition, whatever a resolver says about them.
const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

/** Parses an http(s) URL without credentials; anything else is a 400 on `field`. */
export function parseWebhookUrl(text: string, field = "url"): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidInputError(field, "must be an absolute http or https URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidInputError(field, "must use http or https");
  }
  if (url.username || url.password) {
    throw new InvalidInputError(field, "must not contain credentials");
  }
  return url;
}

/** True for an address webhooks may reach in production: public unicast only. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === "unicast";
}

/**
 * Checks that a webhook may be sent to `url`: in production its host must be, or resolve only
 * to, public addresses. Throws a 400 on `field` naming why not.
 */
export async function assertDeliverableUrl(
  url: URL,
  options: { production: boolean; resolve: ResolveHost; field?: string },
): Promise<void> {
  if (!options.production) return;
  const field = options.field ?? "url";
  const refused = "must not point to a loopback, private, link-local or metadata address";
  // URL keeps IPv6 literals in brackets; ipaddr wants them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (ipaddr.isValid(host)) {
    if (!isPublicAddress(host)) throw new InvalidInputError(field, refused);
    return;
  }
  if (INTERNAL_NAMES.test(host.replace(/\.$/, ""))) throw new InvalidInputError(field, refused);
  let addresses: string[];
  try {
    addresses = await options.resolve(host);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0) {
    throw new InvalidInputError(field, "has a host name that does not resolve");
  }
  if (!addresses.every(isPublicAddress)) throw new InvalidInputError(field, refused);
}

/** Resolves a name to its A and AAAA records with Deno's resolver. */
export async function resolveWithDns(hostname: string): Promise<string[]> {
  const lookups = await Promise.allSettled([
    Deno.resolveDns(hostname, "A"),
    Deno.resolveDns(hostname, "AAAA"),
  ]);
  return lookups.flatMap((lookup) => lookup.status === "fulfilled" ? lookup.value : []);
}
