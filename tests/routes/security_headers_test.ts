/** Security headers on every response: JSON, problems, and HTML pages. */
import assert from "node:assert/strict";
import { HTML_CONTENT_SECURITY_POLICY } from "../../routes/content_security.ts";
import { bankTest, testApp } from "../support/app.ts";
import { call } from "../support/client.ts";

bankTest("every JSON response says nosniff, no referrer, and may not be framed", async () => {
  const { app } = await testApp();
  const reply = await call(app, "GET", "/currencies");
  assert.equal(reply.headers.get("x-content-type-options"), "nosniff");
  assert.equal(reply.headers.get("referrer-policy"), "no-referrer");
  assert.equal(reply.headers.get("x-frame-options"), "DENY");
  assert.match(reply.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
});

bankTest("problem responses carry the same security headers", async () => {
  const { app } = await testApp();
  const reply = await call(app, "GET", "/accounts");
  assert.equal(reply.status, 401);
  assert.equal(reply.headers.get("x-content-type-options"), "nosniff");
  assert.match(reply.headers.get("content-security-policy") ?? "", /default-src 'none'/);
});

bankTest("an HTML response gets a CSP that allows no inline script and no framing", async () => {
  const { app } = await testApp();
  // Any HTML page the app serves: the policy is chosen by content type, not by route.
  app.get("/__test_page", (c) => c.html("<p>hello</p>"));
  const response = await app.request("/__test_page");
  const policy = response.headers.get("content-security-policy") ?? "";
  assert.equal(policy, HTML_CONTENT_SECURITY_POLICY);
  assert.match(policy, /script-src 'self'(;|$)/);
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
  assert.match(policy, /frame-ancestors 'none'/);
});
