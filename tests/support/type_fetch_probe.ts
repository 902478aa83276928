/**
 * A process that meets postgres.js's dropped array-type query (porsager/postgres#1223): a proxy in
 * front of DATABASE_URL answers the driver's first pg_type query the way `pg_terminate_backend`
 * does (a FATAL 57P01, then the socket closes). With `guarded` as its argument it installs the
 * app's guard first. It then runs one query (retried once: the driver replays the old error onto
 * it) and prints `survived` if the process is still alive a moment later. Used by
 * tests/db/client_test.ts.
 */
import postgres from "postgres";
import { guardAgainstTypeFetchFailures } from "../../db/client.ts";

const target = new URL(Deno.env.get("DATABASE_URL") ?? "");
if (Deno.args.includes("guarded")) {
  guardAgainstTypeFetchFailures((code) => console.log(`guarded ${code}`));
}

// A FATAL ErrorResponse as PostgreSQL sends it for a terminated backend.
function adminShutdown(): Uint8Array {
  const fields =
    ["SFATAL", "VFATAL", "C57P01", "Mterminating connection due to administrator command"]
      .map((field) => field + "\0").join("") + "\0";
  const body = new TextEncoder().encode(fields);
  const message = new Uint8Array(5 + body.length);
  message[0] = "E".charCodeAt(0);
  new DataView(message.buffer).setInt32(1, 4 + body.length);
  message.set(body, 5);
  return message;
}

let killed = false;
const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
(async () => {
  for await (const client of listener) {
    const upstream = await Deno.connect({
      hostname: target.hostname,
      port: Number(target.port || 5432),
    });
    upstream.readable.pipeTo(client.writable).catch(() => {});
    (async () => {
      const writer = upstream.writable.getWriter();
      for await (const chunk of client.readable) {
        if (!killed && new TextDecoder().decode(chunk).includes("pg_catalog.pg_type")) {
          killed = true;
          upstream.close();
          await client.write(adminShutdown()).catch(() => 0);
          client.close();
          return;
        }
        await writer.write(chunk);
      }
    })().catch(() => {});
  }
})();

const proxied = new URL(target);
proxied.hostname = "127.0.0.1";
proxied.port = String((listener.addr as Deno.NetAddr).port);
const sql = postgres(proxied.toString(), { max: 1, onnotice: () => {} });
for (let attempt = 0; attempt < 3; attempt++) {
  try {
    await sql`SELECT 1`;
    break;
  } catch (error) {
    console.log(`query failed ${(error as { code?: string }).code}`);
  }
}
await new Promise((resolve) => setTimeout(resolve, 200));
console.log(killed ? "survived" : "not triggered");
await sql.end({ timeout: 1 });
listener.close();
Deno.exit(0);
