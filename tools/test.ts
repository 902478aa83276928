/**
 * `deno task test [paths…]`: the suite (tests/ unless paths are given). On the embedded database
 * every test file has a PGlite of its own (tests/support/database.ts), so the files run in
 * parallel, one per core; on PostgreSQL they share one database, where a clearing pass in one
 * file would settle another's payments mid-test, so they run one at a time as before.
 */
const embedded = !Deno.env.get("DATABASE_URL");
const args = ["test", "-A", "--no-check=remote", "--config", "deno.dev.json"];
if (embedded) args.push("--parallel");
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
