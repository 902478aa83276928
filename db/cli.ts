/** `deno task migrate | seed | reset | audit`: database chores outside the server. */
import { ConfigError, loadConfig } from "../config.ts";
import { createFraudRules } from "../domain/fraud/mod.ts";
import { auditDatabase, formatAuditReport } from "./audit.ts";
import { migrate } from "./migrate.ts";
import { openDatabase } from "./open.ts";
import { DEMO_CUSTOMER, seedDemoData } from "./seed.ts";

// An entry point, as main.ts is: real time is read here and handed in, never inside db/.
const clock = () => new Date();
const command = Deno.args[0];
const commands = ["migrate", "seed", "reset", "audit"];
if (!commands.includes(command)) {
  console.error(`Usage: deno run -A db/cli.ts <${commands.join("|")}>`);
  Deno.exit(2);
}

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    Deno.exit(1);
  }
  throw error;
}

const database = await openDatabase(config);
let exitCode = 0;
try {
  if (command === "reset") {
    await database.sql.unsafe("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    console.log("Dropped every table.");
  }
  if (command !== "audit") {
    const applied = await migrate(database.sql);
    console.log(applied.length ? `Applied ${applied.join(", ")}` : "Migrations up to date.");
  }
  if (command === "seed" || command === "reset") {
    const created = await seedDemoData(database.sql, {
      cost: config.passwordHash,
      rules: createFraudRules(config.fraud),
      now: clock(),
      clearing: {
        settlementSeconds: config.paymentSettlementSeconds,
        calendar: config.clearingCalendar,
      },
    });
    console.log(
      created
        ? `Seeded the demo customer: ${DEMO_CUSTOMER.email} / ${DEMO_CUSTOMER.password}`
        : "The demo customer exists already.",
    );
  }
  if (command === "audit") {
    const report = await auditDatabase(database.sql, {
      realNow: clock(),
      returnWindowDays: config.paymentReturnWindowDays,
      disputeDays: config.debitOrderDisputeDays,
    });
    console.log(formatAuditReport(report));
    if (report.findings.length > 0) exitCode = 1;
  }
} finally {
  await database.close();
}
Deno.exit(exitCode);
