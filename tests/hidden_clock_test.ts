/**
 * Time is injected (issue #13 scope 8, finding 10): domain/ never reads the wall clock, db/ reads
 * it only for process budgets (how long a transaction or a queue wait may take, which are real
 * time by nature) and at its command-line edge, and no route switches its typed answer off.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);
const WALL_CLOCK = /new Date\(\)|Date\.now\(\)/;

async function sources(folder: string): Promise<{ path: string; lines: string[] }[]> {
  const found: { path: string; lines: string[] }[] = [];
  const walk = async (dir: URL, prefix: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${prefix}${entry.name}`;
      if (entry.isDirectory) await walk(new URL(`${entry.name}/`, dir), `${path}/`);
      else if (entry.name.endsWith(".ts")) {
        found.push({
          path,
          lines: (await Deno.readTextFile(new URL(entry.name, dir))).split("\n"),
        });
      }
    }
  };
  await walk(new URL(`${folder}/`, ROOT), `${folder}/`);
  return found;
}

// Code lines only: a comment may name the wall clock to say why it is not used.
function codeLinesMatching(files: { path: string; lines: string[] }[], pattern: RegExp) {
  return files.flatMap(({ path, lines }) =>
    lines.flatMap((line, index) => {
      const code = line.trim();
      const comment = code.startsWith("//") || code.startsWith("*") || code.startsWith("/*");
      return !comment && pattern.test(code) ? [`${path}:${index + 1}`] : [];
    })
  );
}

Deno.test("domain/ never reads the wall clock", async () => {
  assert.deepEqual(codeLinesMatching(await sources("domain"), WALL_CLOCK), []);
});

Deno.test("db/ reads the wall clock only for process budgets and at its command line", async () => {
  // Budgets (queue waits, transaction deadlines) are real time by nature; cli.ts is an edge.
  const allowed = new Set(["db/pipeline.ts", "db/serializable.ts", "db/cli.ts"]);
  const found = codeLinesMatching(await sources("db"), WALL_CLOCK)
    .filter((place) => !allowed.has(place.split(":")[0]));
  assert.deepEqual(found, []);
});

Deno.test("no route or page switches its types off with `as never`", async () => {
  assert.deepEqual(codeLinesMatching(await sources("routes"), /\bas never\b/), []);
});
