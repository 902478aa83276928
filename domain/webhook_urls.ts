/**
 * Where webhooks may be sent: only global unicast addresses, in every mode, so the bank cannot
 * be made to POST into its own network (SSRF): loopback, private, link-local (cloud metadata at
 * 169.254.169.254), carrier-grade NAT, multicast, reserved and IPv4-embedding IPv6 ranges are
 * all refused, for literal addresses and for every address a name resolves to. Only
 * WEBHOOK_ALLOW_PRIVATE=true (which `deno task dev` sets, for a receiver on localhost) lifts it.
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

// Global unicast IPv6 is 2000::/3 (RFC 4291); inside it ipaddr.js names the special ranges
// (6to4, Teredo, benchmarking, ORCHID...) and these documentation prefixes are refused too.
const IPV6_GLOBAL = ipaddr.parseCIDR("2000::/3");
const IPV6_DOCUMENTATION = [ipaddr.parseCIDR("2001:db8::/32"), ipaddr.parseCIDR("3fff::/20")];

/**
 * True for an address webhooks may reach: global unicast only. IPv4-mapped IPv6 is judged as
 * the IPv4 it carries; every other IPv6 outside 2000::/3 (IPv4-compatible `::a9fe:a9fe`, NAT64
 * `64:ff9b::/96`, loopback, unique-local, link-local) and every transition range inside it that
 * embeds an IPv4 (6to4 `2002::/16`, Teredo) is refused, so no private IPv4 hides in an IPv6.
 */
export function isGlobalAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.range() === "unicast";
  const v6 = ipaddr.IPv6.parse(parsed.toString());
  if (!v6.match(IPV6_GLOBAL)) return false;
  if (IPV6_DOCUMENTATION.some((range) => v6.match(range))) return false;
  return v6.range() === "unicast";
}

/** The addresses a delivery may connect to, or none to let the system resolver choose. */
export interface DeliveryTarget {
  /** Checked addresses, in the order to try; empty when private destinations are allowed. */
  addresses: string[];
}

/**
 * Checks that a webhook may be sent to `url` and returns the addresses it was checked at: its
 * host must be, or resolve only to, global unicast addresses unless `allowPrivate`. The
 * delivery connects to exactly these (no second resolution an attacker's DNS could change).
 * Throws a 400 on `field` naming why not.
 */
export async function assertDeliverableUrl(
  url: URL,
  options: { allowPrivate: boolean; resolve: ResolveHost; field?: string },
): Promise<DeliveryTarget> {
  if (options.allowPrivate) return { addresses: [] };
  const field = options.field ?? "url";
  const refused = "must point to a public (global unicast) address, " +
    "not a loopback, private, link-local, metadata or IPv4-embedding one";
  // URL keeps IPv6 literals in brackets; ipaddr wants them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (ipaddr.isValid(host)) {
    if (!isGlobalAddress(host)) throw new InvalidInputError(field, refused);
    return { addresses: [host] };
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
  if (!addresses.every(isGlobalAddress)) throw new InvalidInputError(field, refused);
  return { addresses };
}

/**
 * The addresses a delivery to `url` connects to, resolved once: checked as assertDeliverableUrl
 * does unless `allowPrivate`, and resolved even then, so every delivery connects to addresses
 * chosen here and never resolves the name a second time.
 */
export async function deliveryAddresses(
  url: URL,
  options: { allowPrivate: boolean; resolve: ResolveHost },
): Promise<string[]> {
  if (!options.allowPrivate) {
    return (await assertDeliverableUrl(url, { ...options, allowPrivate: false })).addresses;
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (ipaddr.isValid(host)) return [host];
  const addresses = await options.resolve(host).catch(() => []);
  if (addresses.length === 0) {
    throw new InvalidInputError("url", "has a host name that does not resolve");
  }
  return addresses;
}

/** Resolves a name to its A and AAAA records with Deno's resolver. */
export async function resolveWithDns(hostname: string): Promise<string[]> {
  const lookups = await Promise.allSettled([
    Deno.resolveDns(hostname, "A"),
    Deno.resolveDns(hostname, "AAAA"),
  ]);
  return lookups.flatMap((lookup) => lookup.status === "fulfilled" ? lookup.value : []);
}
