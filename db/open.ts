/** Opens the configured database: PostgreSQL at DATABASE_URL, or the embedded one. */
import { type Config, ConfigError } from "../config.ts";
import { connectDatabase, type Sql } from "./client.ts";

/** An open database and how to close it. */
export interface OpenDatabase {
  sql: Sql;
  embedded: boolean;
  close(): Promise<void>;
}

/** A running embedded PostgreSQL (PGlite) reachable over TCP. */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** What db/embedded.ts exports. */
interface EmbeddedModule {
  startEmbeddedDatabase(options: { dataDir?: string; port?: number }): Promise<EmbeddedDatabase>;
}

// Named at run time, not as a literal: the module graph of main.ts (what `deno install
// --entrypoint main.ts` fetches and a deployment uploads) then holds neither this module nor PGlite.
// PGlite is mapped in deno.dev.json only, the configuration `deno task dev` and the tests run with.
const EMBEDDED_MODULE = new URL("./embedded.ts", import.meta.url).href;

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
  const { startEmbeddedDatabase } = await loadEmbedded();
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

async function loadEmbedded(): Promise<EmbeddedModule> {
  try {
    return await import(EMBEDDED_MODULE);
  } catch (error) {
    throw new ConfigError(
      "The embedded database is a development dependency: set DATABASE_URL, or run with " +
        `\`--config deno.dev.json\` (as \`deno task dev\` does); loading it failed: ${
          (error as Error).message
        }`,
    );
  }
}
