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
