/**
 * Run as its own process from another working directory: builds the app and asks for each file
 * /docs needs, printing the statuses (the deploy-readiness test reads them).
 */
import { createApp } from "../../app.ts";
import type { Sql } from "../../db/client.ts";
import { createMemoryLogger } from "../../routes/logger.ts";
import { testConfig } from "./app.ts";

// The reference's files need no database: a client that is never called stands in.
const app = createApp({
  sql: {} as Sql,
  config: testConfig(),
  clock: () => new Date(),
  fraudRules: [],
  log: createMemoryLogger(),
});
const statuses: Record<string, number> = {};
for (const path of ["/docs", "/docs/assets/swagger-ui-bundle.js", "/docs/assets/init.js"]) {
  const response = await app.request(path);
  await response.body?.cancel();
  statuses[path] = response.status;
}
console.log(JSON.stringify(statuses));
