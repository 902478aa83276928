import assert from "node:assert/strict";
import { grantKey, requiredScope, scopesCover } from "../../domain/api_keys.ts";

Deno.test("requiredScope: admin for keys and webhook endpoints, read for GETs, money otherwise", () => {
  assert.equal(requiredScope("GET", "/api_keys"), "admin");
  assert.equal(requiredScope("DELETE", "/api_keys/abc"), "admin");
  assert.equal(requiredScope("GET", "/webhook_endpoints/abc/deliveries"), "admin");
  assert.equal(requiredScope("POST", "/webhook_endpoints/"), "admin");
  assert.equal(requiredScope("GET", "/accounts"), "read");
  assert.equal(requiredScope("HEAD", "/accounts"), "read");
  assert.equal(requiredScope("POST", "/accounts/abc/withdraw"), "money");
  assert.equal(requiredScope("POST", "/simulations/clock/advance"), "money");
  assert.equal(requiredScope("GET", "/api_keys_elsewhere"), "read");
});

Deno.test("scopesCover: admin covers everything, money covers read, read only itself", () => {
  assert.ok(scopesCover(["admin"], "money"));
  assert.ok(scopesCover(["money"], "read"));
  assert.ok(!scopesCover(["money"], "admin"));
  assert.ok(!scopesCover(["read"], "money"));
});

Deno.test("grantKey: a key never grants a scope it lacks nor a life longer than its own", () => {
  const expiresAt = new Date("2027-01-01T00:00:00Z");
  const money = { scopes: ["money"] as const, expiresAt: null };
  assert.equal(grantKey(money, { scopes: ["admin"] }).ok, false);
  assert.deepEqual(grantKey(money, { scopes: ["read"] }), {
    ok: true,
    scopes: ["read"],
    expiresAt: null,
  });
  const expiring = { scopes: ["admin"] as const, expiresAt };
  assert.deepEqual(grantKey(expiring, {}), {
    ok: true,
    scopes: ["read", "money"],
    expiresAt,
  });
  assert.equal(grantKey(expiring, { expiresAt: new Date("2028-01-01T00:00:00Z") }).ok, false);
  assert.deepEqual(grantKey(undefined, { scopes: ["admin", "read"] }), {
    ok: true,
    scopes: ["read", "admin"],
    expiresAt: null,
  });
});
