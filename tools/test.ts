/**
 * `deno task test [paths…]`: the suite (tests/ unless paths are given). On the embedded database
 * every test file has a PGlite of its own (tests/support/database.ts), so the files run in
 * parallel, one per core; on PostgreSQL they share one database, where a clearing pass in one
 * file would settle another's payments mid-test, so they run one at a time as before.
 */
const embedded = !Deno.env.get("DATABASE_URL");
const args = ["test", "-A", "--no-check=remote", "--config", "deno.dev.json"];
// PGlite is PostgreSQL compiled to a 9 MB WebAssembly module, started afresh in every test file's
// isolate, where V8 recompiles its hot functions with TurboFan over again. On a test database of
// a few rows that costs more than it wins back: V8's baseline compiler alone (--liftoff-only)
// ran tests/routes/[a-f]* in 74 s of CPU and 40 s wall against 113 s and 81 s, back to back.
if (embedded) args.push("--parallel", "--v8-flags=--liftoff-only");
args.push(...(Deno.args.length > 0 ? Deno.args : ["tests/"]));

const child = new Deno.Command(Deno.execPath(), {
  args,
  cwd: new URL("..", import.meta.url).pathname,
  stdin: "inherit",
  stdout: "inherit",
  stderr: "inherit",
}).spawn();
// Ctrl-C reaches the child through the terminal's process group; this process only waits.
const { code } = await child.status;
Deno.exit(code);
