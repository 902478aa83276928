import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type { EmbeddedDatabase } from "./open.ts";

export type { EmbeddedDatabase } from "./open.ts";

/** Starts PGlite persisted in `dataDir` (in memory when undefined) and serves it on 127.0.0.1. */
export async function startEmbeddedDatabase(
  options: { dataDir?: string; port?: number },
): Promise<EmbeddedDatabase> {
  const host = "127.0.0.1";
  if (options.dataDir) await Deno.mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir });
  // pglite-socket passes port 0 to net.listen and reads back the OS-assigned port.
  const server = new PGLiteSocketServer({ db, host, port: options.port ?? 0 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const port = Number(server.getServerConn().split(":").pop());
  // PGlite ignores credentials, but postgres.js needs a user and database to send.
  const url = `postgres://postgres:postgres@${host}:${port}/postgres?sslmode=disable`;

  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping ??= (async () => {
      await server.stop();
      await db.close();
    })();
    return stopping;
  }
  return { url, stop };
}
