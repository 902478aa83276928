/** API keys: long-lived bearer credentials made of a fixed prefix and 256 random bits. */

/** Every key starts with this; it marks the credential as a sandbox key, never a JWT. */
export const API_KEY_PREFIX = "sk_test_";
const SECRET_BYTES = 32;
/** Characters of the key (after `sk_test_`) kept in clear so its owner can tell keys apart. */
const VISIBLE_CHARS = 6;

/** A fresh key: the secret to show once, and what is stored. */
export interface NewApiKey {
  key: string;
  keyPrefix: string;
  keyHash: string;
}

/** Makes a key `sk_test_<43 base64url chars>` (256 bits from the CSPRNG) with its prefix and hash. */
export async function generateApiKey(): Promise<NewApiKey> {
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  const key = API_KEY_PREFIX + base64Url(bytes);
  return {
    key,
    keyPrefix: key.slice(0, API_KEY_PREFIX.length + VISIBLE_CHARS),
    keyHash: await hashApiKey(key),
  };
}

/** True when the bearer credential has the shape of an API key rather than a JWT. */
export function looksLikeApiKey(credential: string): boolean {
  return credential.startsWith(API_KEY_PREFIX);
}

/**
 * The stored form of a key: hex SHA-256. A fast hash is right here, unlike for passwords: the key
 * has 256 random bits, so no dictionary or brute force can find it from its digest, and a slow
 * hash (argon2) would only add its cost to every API request. Lookup is by digest, so no
 * comparison of secrets happens in application code.
 */
export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replaceAll("=", "");
}

/** What a key may do: `read` GETs, `money` reads plus every other call, `admin` everything. */
export const API_KEY_SCOPES = ["read", "money", "admin"] as const;
/** One scope. */
export type ApiKeyScope = typeof API_KEY_SCOPES[number];
/** The scopes of a key made without any. */
export const DEFAULT_API_KEY_SCOPES: readonly ApiKeyScope[] = ["read", "money"];

// Credentials and where events are copied to: a leaked key must not be able to entrench itself.
const ADMIN_PATH = /^\/(api_keys|webhook_endpoints)(\/|$)/;
const READ_METHODS = new Set(["GET", "HEAD"]);

/**
 * The scope an API request needs: admin for keys and webhook endpoints (any method), read for
 * every other GET, money for every other call (movements, simulations, the rest).
 */
export function requiredScope(method: string, path: string): ApiKeyScope {
  if (ADMIN_PATH.test(path)) return "admin";
  return READ_METHODS.has(method.toUpperCase()) ? "read" : "money";
}

// Each scope includes those below it: admin is everything, money includes read.
const RANK: Record<ApiKeyScope, number> = { read: 0, money: 1, admin: 2 };

/** True when a key holding `held` may do what `needed` names. */
export function scopesCover(held: readonly ApiKeyScope[], needed: ApiKeyScope): boolean {
  return held.some((scope) => RANK[scope] >= RANK[needed]);
}

/** What a new key is granted, or why not: its maker's own power bounds it. */
export type KeyGrant =
  | { ok: true; scopes: ApiKeyScope[]; expiresAt: Date | null }
  | { ok: false; reason: string };

/**
 * The scopes and expiry of a key made by `maker` (an API key, or undefined for the user's own
 * session): never a scope the maker lacks, never outliving the maker; a key made by an expiring
 * key expires with it unless it asks to go sooner.
 */
export function grantKey(
  maker: { scopes: readonly ApiKeyScope[]; expiresAt: Date | null } | undefined,
  requested: { scopes?: readonly ApiKeyScope[]; expiresAt?: Date },
): KeyGrant {
  const scopes = API_KEY_SCOPES.filter((scope) =>
    (requested.scopes ?? DEFAULT_API_KEY_SCOPES).includes(scope)
  );
  if (!maker) return { ok: true, scopes, expiresAt: requested.expiresAt ?? null };
  const beyond = scopes.filter((scope) => !scopesCover(maker.scopes, scope));
  if (beyond.length > 0) {
    return { ok: false, reason: `this key cannot grant the scope ${beyond.join(", ")}` };
  }
  if (maker.expiresAt && requested.expiresAt && requested.expiresAt > maker.expiresAt) {
    return {
      ok: false,
      reason:
        `this key expires at ${maker.expiresAt.toISOString()}; a key it makes cannot outlive it`,
    };
  }
  return { ok: true, scopes, expiresAt: requested.expiresAt ?? maker.expiresAt };
}
