/**
 * Embedded test databases started from a ready-made data directory. A fresh PGlite runs initdb
 * (about 5 s of CPU), which every test file and every isolated database used to pay; instead the
 * initialised and the migrated data directories are made once, kept under the temp directory
 * keyed by PGlite's version and the migrations' checksums, and each database starts on a copy.
 */
import { connectDatabase } from "../../db/client.ts";
import { type EmbeddedDatabase, startEmbeddedDatabase } from "../../db/embedded.ts";
import { migrate, type Migration, readMigrations } from "../../db/migrate.ts";

const ROOT = `${Deno.env.get("TMPDIR") ?? Deno.env.get("TEMP") ?? "/tmp"}/bank-sandbox-test-db`;

/** The name of a template data directory: its kind and what it was made from, hashed. */
export async function templateName(
  kind: "initialised" | "migrated",
  migrations: Migration[],
): Promise<string> {
  // The resolved module path names PGlite's version: another version gets its own template.
  const parts = [import.meta.resolve("@electric-sql/pglite")];
  if (kind === "migrated") parts.push(...migrations.map((file) => `${file.name}:${file.checksum}`));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("\n")));
  const hex = Array.from(
    new Uint8Array(digest).slice(0, 8),
    (b) => b.toString(16).padStart(2, "0"),
  );
  return `${kind}-${hex.join("")}`;
}

/** Starts an embedded database on a private copy of the migrated (or only initialised) template. */
export async function startFromTemplate(migrated: boolean): Promise<EmbeddedDatabase> {
  await sweepOnce();
  const migrations = await readMigrations();
  const template = migrated ? await migratedTemplate(migrations) : await initialisedTemplate();
  const dataDir = `${ROOT}/run-${Deno.pid}-${crypto.randomUUID()}`;
  await copyDirectory(template, dataDir);
  // The shared per-file database is never stopped: its copy goes when the test file's isolate does.
  const removeCopy = () => Deno.removeSync(dataDir, { recursive: true });
  globalThis.addEventListener("unload", removeCopy);
  const server = await startEmbeddedDatabase({ dataDir });
  return {
    url: server.url,
    async stop() {
      await server.stop();
      globalThis.removeEventListener("unload", removeCopy);
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

async function initialisedTemplate(): Promise<string> {
  return await ensureTemplate(await templateName("initialised", []), async (dataDir) => {
    // Starting PGlite on an empty directory runs initdb there.
    await (await startEmbeddedDatabase({ dataDir })).stop();
  });
}

async function migratedTemplate(migrations: Migration[]): Promise<string> {
  const initialised = await initialisedTemplate();
  const name = await templateName("migrated", migrations);
  return await ensureTemplate(name, async (dataDir) => {
    await copyDirectory(initialised, dataDir);
    const server = await startEmbeddedDatabase({ dataDir });
    const sql = connectDatabase(server.url, { max: 1, idleTimeoutSeconds: 0 });
    try {
      await migrate(sql, migrations);
    } finally {
      await sql.end();
      await server.stop();
    }
  });
}

/** The template's directory, made by `fill` in an unused path and renamed into place. */
async function ensureTemplate(
  name: string,
  fill: (dataDir: string) => Promise<void>,
): Promise<string> {
  const path = `${ROOT}/${name}`;
  if (await exists(`${path}/PG_VERSION`)) return path;
  const scratch = `${ROOT}/partial-${Deno.pid}-${crypto.randomUUID()}`;
  try {
    await fill(scratch);
    // Rename is atomic: a parallel run either sees the whole template or none, never a half.
    await Deno.rename(scratch, path);
  } catch (error) {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
    if (!(await exists(`${path}/PG_VERSION`))) throw error; // Else another run made it first.
  }
  return path;
}

async function copyDirectory(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  const copies: Promise<void>[] = [];
  for await (const entry of Deno.readDir(from)) {
    const [source, target] = [`${from}/${entry.name}`, `${to}/${entry.name}`];
    copies.push(entry.isDirectory ? copyDirectory(source, target) : Deno.copyFile(source, target));
  }
  await Promise.all(copies);
}

let swept: Promise<void> | undefined;

/** Removes copies left by test runs that died before their unload (their process is gone). */
function sweepOnce(): Promise<void> {
  swept ??= (async () => {
    await Deno.mkdir(ROOT, { recursive: true });
    if (!(await exists("/proc/self"))) return; // No cheap liveness check off Linux: keep them.
    for await (const entry of Deno.readDir(ROOT)) {
      const owner = /^(?:run|partial)-(\d+)-/.exec(entry.name)?.[1];
      if (owner && !(await exists(`/proc/${owner}`))) {
        await Deno.remove(`${ROOT}/${entry.name}`, { recursive: true }).catch(() => {});
      }
    }
  })();
  return swept;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
