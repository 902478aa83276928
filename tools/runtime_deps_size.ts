/**
 * `deno task deps:size`: installs only what main.ts needs (its module graph, under deno.json, the
 * runtime configuration) into a fresh copy of the app, prints the size of that node_modules and
 * fails above RUNTIME_DEPS_MB_MAX. This is what a deployment installs and uploads; test, bench and
 * embedded-database packages live in deno.dev.json and must stay out of it.
 */

/** The most a deployment's node_modules may weigh, in megabytes (10^6 bytes). */
export const RUNTIME_DEPS_MB_MAX = 35;

const ROOT = new URL("../", import.meta.url);
// Not part of what main.ts runs: copying them would only slow the check.
const SKIPPED = new Set([
  ".git",
  "node_modules",
  "data",
  "tests",
  "browser_tests",
  "bench",
  ".screenshots",
]);

/** Copies the app without its dev-only directories into `target`. */
async function copyApp(from: URL, target: string): Promise<void> {
  for await (const entry of Deno.readDir(from)) {
    if (SKIPPED.has(entry.name) || entry.isSymlink) continue;
    const source = new URL(entry.name + (entry.isDirectory ? "/" : ""), from);
    const destination = `${target}/${entry.name}`;
    if (entry.isDirectory) {
      await Deno.mkdir(destination);
      await copyApp(source, destination);
    } else {
      await Deno.copyFile(source, destination);
    }
  }
}

/** Bytes on disk under `dir`, each file once (hard links shared with the cache count once). */
async function diskBytes(dir: string, seen = new Set<string>()): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    const info = await Deno.lstat(path);
    const key = `${info.dev}:${info.ino}`;
    if (seen.has(key)) continue;
    seen.add(key);
    total += (info.blocks ?? 0) * 512;
    if (info.isDirectory) total += await diskBytes(path, seen);
  }
  return total;
}

async function main(): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "runtime-deps-" });
  try {
    await copyApp(ROOT, dir);
    const install = await new Deno.Command(Deno.execPath(), {
      args: ["install", "--quiet", "--entrypoint", "main.ts"],
      cwd: dir,
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (!install.success) {
      console.error("deno install --entrypoint main.ts failed");
      return 1;
    }
    const megabytes = (await diskBytes(`${dir}/node_modules`)) / 1e6;
    const packages = [];
    for await (const entry of Deno.readDir(`${dir}/node_modules/.deno`)) {
      if (entry.isDirectory && entry.name !== "node_modules") packages.push(entry.name);
    }
    console.log(`Runtime packages (${packages.length}): ${packages.sort().join(", ")}`);
    console.log(
      `Runtime dependency size: ${megabytes.toFixed(1)} MB (limit ${RUNTIME_DEPS_MB_MAX} MB)`,
    );
    return megabytes <= RUNTIME_DEPS_MB_MAX ? 0 : 1;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) Deno.exit(await main());
