/** Opens the configured database: PostgreSQL at DATABASE_URL, or the embedded one. */
import type { Config } from "../config.ts";
import { connectDatabase, type Sql } from "./client.ts";

/** An open database and how to close it. */
export interface OpenDatabase {
  sql: Sql;
  embedded: boolean;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or starts the embedded PGlite persisted in DATA_DIR. */
export async function openDatabase(config: Config): Promise<OpenDatabase> {
  if (config.databaseUrl) {
    const sql = connectDatabase(config.databaseUrl, {
      max: config.databasePoolMax,
      pooler: config.databasePooler,
    });
    return { sql, embedded: false, close: () => sql.end({ timeout: 5 }) };
  }
  // Loaded only here: a deployment with DATABASE_URL never loads PGlite's WebAssembly, and
  // never writes to the file system (Deno Deploy has none to write to).
  const { startEmbeddedDatabase } = await import("./embedded.ts");
  await Deno.mkdir(config.dataDir, { recursive: true });
  const server = await startEmbeddedDatabase({ dataDir: config.dataDir });
  // PGlite serves one connection at a time.
  const sql = connectDatabase(server.url, { max: 1, idleTimeoutSeconds: 0 });
  return {
    sql,
    embedded: true,
    close: async () => {
      await sql.end({ timeout: 5 });
      await server.stop();
    },
  };
}
