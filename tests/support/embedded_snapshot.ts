/**
 * Embedded test databases started from a ready-made data directory. A fresh PGlite runs initdb
 * (about 5 s of CPU), which every test file and every isolated database used to pay; instead the
 * initialised and the migrated data directories are made once, kept under the temp directory
 * keyed by PGlite's version and the migrations' checksums, and each database starts on a copy.
 */
import { connectDatabase } from "../../db/client.ts";
import { type EmbeddedDatabase, startEmbeddedDatabase } from "../../db/embedded.ts";
import { migrate, type Migration, readMigrations } from "../../db/migrate.ts";

/**
 * Settings the test templates run with. PostgreSQL zeroes all of shared_buffers at every start:
 * the default 128MB costs PGlite about 0.7 s of CPU per boot, and a test database holds little.
 */
const TEST_SETTINGS = "shared_buffers = 16MB\n";

const ROOT = `${Deno.env.get("TMPDIR") ?? Deno.env.get("TEMP") ?? "/tmp"}/bank-sandbox-test-db`;

/** The name of a template data directory: its kind and what it was made from, hashed. */
export async function templateName(
  kind: "initialised" | "migrated",
  migrations: Migration[],
): Promise<string> {
  // The resolved module path names PGlite's version: another version gets its own template.
  // The settings are part of the name: a template made with others is not reused.
  const parts = [import.meta.resolve("@electric-sql/pglite"), TEST_SETTINGS];
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
    await Deno.writeTextFile(`${dataDir}/postgresql.conf`, TEST_SETTINGS, { append: true });
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
  if (await exists(`${path}/PG_VERSION`)) {
    const now = new Date();
    await Deno.utime(path, now, now); // Marks it in use, for sweepOnce.
    return path;
  }
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

/**
 * Removes copies left by test runs that died before their unload (their process is gone), and
 * templates no run has used for a week (older migrations; a checkout elsewhere may use the rest).
 */
function sweepOnce(): Promise<void> {
  swept ??= (async () => {
    await Deno.mkdir(ROOT, { recursive: true });
    const canCheckOwner = await exists("/proc/self"); // No cheap liveness check off Linux.
    for await (const entry of Deno.readDir(ROOT)) {
      const path = `${ROOT}/${entry.name}`;
      const owner = /^(?:run|partial)-(\d+)-/.exec(entry.name)?.[1];
      const stale = owner
        ? canCheckOwner && !(await exists(`/proc/${owner}`))
        : Date.now() - ((await Deno.stat(path)).mtime?.getTime() ?? Date.now()) > WEEK_MS;
      if (stale) await Deno.remove(path, { recursive: true }).catch(() => {});
    }
  })();
  return swept;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
