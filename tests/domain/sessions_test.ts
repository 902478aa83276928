import assert from "node:assert/strict";
import {
  REVOCATION_MARGIN_SECONDS,
  revokedUntilSeconds,
  shouldSlide,
  slidingExpiry,
} from "../../domain/sessions.ts";

const limits = { idleSeconds: 900, maxSeconds: 28_800 };

Deno.test("slidingExpiry: idle time from now, never past the cap from sign-in", () => {
  assert.equal(slidingExpiry(1_000, 1_000, limits), 1_900);
  assert.equal(slidingExpiry(29_500, 1_000, limits), 29_800);
});

Deno.test("shouldSlide: not within a minute of issue, nor once the cap is reached", () => {
  const signedIn = { ...limits, authTimeSeconds: 0 };
  assert.equal(shouldSlide({ iat: 0, exp: 900 }, 59, signedIn), false);
  assert.equal(shouldSlide({ iat: 0, exp: 900 }, 60, signedIn), true);
  assert.equal(shouldSlide({ iat: 28_000, exp: 28_800 }, 28_700, signedIn), false);
});

Deno.test("revokedUntilSeconds: past the token and any token still to be issued", () => {
  assert.equal(revokedUntilSeconds(1_900, 1_000, 900), 1_900 + REVOCATION_MARGIN_SECONDS);
  assert.equal(revokedUntilSeconds(1_100, 1_000, 900), 1_900 + REVOCATION_MARGIN_SECONDS);
});
