/**
 * The typed client (clients/typescript): its committed types are what openapi-typescript makes of
 * the app's document today, and its example's seed flow runs against the app in-process (CI runs
 * it again over HTTP against the started server, .ci/run).
 */
import assert from "node:assert/strict";
import { seedFlow } from "../../clients/typescript/example.ts";
import { appDocument, SCHEMA_FILE, schemaSource } from "../../tools/client_generate.ts";
import { bankTest, testApp } from "../support/app.ts";

Deno.test("clients/typescript/schema.d.ts is what client:generate makes of /openapi.json", async () => {
  const expected = await schemaSource(await appDocument());
  const committed = await Deno.readTextFile(SCHEMA_FILE);
  // A route or schema changed without `deno task client:generate` (then commit the file).
  assert.ok(committed === expected, "schema.d.ts is stale: run deno task client:generate");
});

bankTest(
  "the typed client's example does the seed flow and reads the refusal as a problem",
  async () => {
    const { app, sql } = await testApp();
    const result = await seedFlow("http://sandbox.test", {
      fetch: (request) => Promise.resolve(app.request(request)),
    });
    assert.equal(result.from.balance, "200.00");
    assert.equal(result.to.balance, "100.00");
    assert.equal(result.refusal.status, 422);
    assert.equal(result.refusal.code, "insufficient_funds");
    // The refusal is a ledger row of its own, with its reason.
    const id = result.refusal.transaction_id;
    assert.ok(typeof id === "string");
    const [row] = await sql`SELECT status, reason FROM transactions WHERE id = ${id}`;
    assert.deepEqual({ ...row }, { status: "rejected", reason: "insufficient_funds" });
  },
);
