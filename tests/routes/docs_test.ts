/** GET /docs and its files, as HTTP: served by the app, no inline script, nothing from elsewhere. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";

bankTest("GET /docs answers an HTML page under a script-src 'self' policy", async () => {
  const { app } = await testApp();
  const response = await app.request("/docs");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
  const policy = response.headers.get("content-security-policy") ?? "";
  assert.match(policy, /(^|; )script-src 'self'(;|$)/);
  assert.match(policy, /(^|; )connect-src 'self'(;|$)/);
  await response.body?.cancel();
});

bankTest("GET /docs has no inline script and loads every file from the app", async () => {
  const { app } = await testApp();
  const html = await (await app.request("/docs")).text();
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 2);
  for (const [, attributes, body] of scripts) {
    assert.match(attributes, /\bsrc="\/docs\/assets\/[^"]+"/);
    assert.equal(body.trim(), "");
  }
  const links = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
  for (const link of links) {
    assert.ok(link.startsWith("/"), `${link} is not a path on the app`);
    const asset = await app.request(link);
    assert.equal(asset.status, 200, link);
    await asset.body?.cancel();
  }
});

bankTest("GET /docs/assets serves the Swagger UI bundle from the installed package", async () => {
  const { app } = await testApp();
  const response = await app.request("/docs/assets/swagger-ui-bundle.js");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/javascript/);
  const text = await response.text();
  assert.ok(text.includes("SwaggerUIBundle"));
});

bankTest("GET /docs/assets answers 404 for a file it does not serve", async () => {
  const { app } = await testApp();
  for (const name of ["package.json", "constructor", "..%2F..%2Fdeno.json", "index.html"]) {
    const response = await app.request(`/docs/assets/${name}`);
    assert.equal(response.status, 404, name);
    await response.body?.cancel();
  }
});

bankTest("the reference's start-up script turns off the third-party spec validator", async () => {
  const { app } = await testApp();
  const script = await (await app.request("/docs/assets/init.js")).text();
  assert.match(script, /validatorUrl:\s*null/);
  assert.match(script, /\/openapi\.json/);
});
