/**
 * What Deno Deploy needs of main.ts: with DATABASE_URL it loads no embedded database and writes
 * no files, it finds its static files wherever it is started, and it refuses to start without
 * a real database and secret.
 */
import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../config.ts";

const ROOT = new URL("../", import.meta.url);
// Deep enough for any package's build output; symlinked trees are not followed.
const NODE_MODULES_DEPTH_MAX = 12;

interface ModuleInfo {
  specifier: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
}

/** The modules main.ts reaches through static imports only. */
async function staticGraphOfMain(): Promise<Set<string>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "main.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.ok(output.success, "deno info main.ts failed");
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    roots: string[];
    modules: ModuleInfo[];
  };
  const bySpecifier = new Map(info.modules.map((module) => [module.specifier, module]));
  const reached = new Set<string>();
  const pending = [...info.roots];
  while (pending.length) {
    const specifier = pending.pop()!;
    if (reached.has(specifier)) continue;
    reached.add(specifier);
    for (const dependency of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (!dependency.isDynamic && dependency.code) pending.push(dependency.code.specifier);
    }
  }
  return reached;
}

Deno.test("main.ts loads the embedded database only by a dynamic import", async () => {
  const reached = [...await staticGraphOfMain()];
  assert.ok(reached.some((specifier) => specifier.endsWith("/db/open.ts")));
  assert.deepEqual(reached.filter((specifier) => /pglite|\/db\/embedded\.ts$/.test(specifier)), []);
});

Deno.test("no installed npm package is a native addon", async () => {
  const addons: string[] = [];
  async function scan(dir: URL, depth: number): Promise<void> {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory && depth < NODE_MODULES_DEPTH_MAX) await scan(url, depth + 1);
      else if (entry.name.endsWith(".node") || entry.name === "binding.gyp") {
        addons.push(url.pathname);
      }
    }
  }
  await scan(new URL("node_modules/.deno/", ROOT), 0);
  assert.deepEqual(addons, []);
});

Deno.test("loadConfig refuses production without DATABASE_URL", () => {
  assert.throws(
    () => loadConfig({ APP_ENV: "production", JWT_SECRET: "x".repeat(32) }),
    (error) =>
      error instanceof ConfigError && /DATABASE_URL: required in production/.test(error.message),
  );
});

Deno.test("loadConfig treats a Deno Deploy deployment as production", () => {
  assert.throws(
    () => loadConfig({ DENO_DEPLOYMENT_ID: "abc123", JWT_SECRET: "x".repeat(32) }),
    /DATABASE_URL: required in production/,
  );
  const config = loadConfig({
    DENO_DEPLOYMENT_ID: "abc123",
    JWT_SECRET: "x".repeat(32),
    DATABASE_URL: "postgres://bank@db.example.com:5432/bank",
  });
  assert.equal(config.env, "production");
});

Deno.test("the /docs files are found from any working directory", async () => {
  const elsewhere = await Deno.makeTempDir();
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      // The probe is test code (its support modules reach the embedded database): dev config.
      args: [
        "run",
        "-A",
        "--config",
        new URL("deno.dev.json", ROOT).pathname,
        new URL("tests/support/docs_assets_probe.ts", ROOT).pathname,
      ],
      cwd: elsewhere,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(output.success, new TextDecoder().decode(output.stderr));
    assert.deepEqual(JSON.parse(new TextDecoder().decode(output.stdout)), {
      "/docs": 200,
      "/docs/assets/swagger-ui-bundle.js": 200,
      "/docs/assets/init.js": 200,
    });
  } finally {
    await Deno.remove(elsewhere, { recursive: true });
  }
});

Deno.test({
  name: "main.ts serves the API and /docs with file writes denied, from another working directory",
  ignore: !Deno.env.get("DATABASE_URL"),
  async fn() {
    const elsewhere = await Deno.makeTempDir();
    const server = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-net",
        "--allow-env",
        "--allow-read",
        "--allow-sys",
        "--deny-write",
        "--config",
        new URL("deno.json", ROOT).pathname,
        new URL("main.ts", ROOT).pathname,
      ],
      cwd: elsewhere,
      // What Deno Deploy gives a deployment: its id, a database URL and a secret; port 0 for a free one.
      env: {
        DENO_DEPLOYMENT_ID: "deploy-readiness-test",
        DATABASE_URL: Deno.env.get("DATABASE_URL")!,
        JWT_SECRET: "deploy-readiness-test-secret-0123456789",
        PORT: "0",
      },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    try {
      const url = await listeningUrl(server.stdout);
      for (
        const path of ["/health", "/docs", "/docs/assets/swagger-ui-bundle.js", "/openapi.json"]
      ) {
        const response = await fetch(`${url}${path}`);
        await response.body?.cancel();
        assert.equal(response.status, 200, path);
      }
    } finally {
      server.kill("SIGTERM");
      await server.status;
      await server.stderr.cancel();
      await Deno.remove(elsewhere, { recursive: true });
    }
  },
});

/** Reads the server's JSON log lines until its "listening" event, and answers its URL. */
async function listeningUrl(stdout: ReadableStream<Uint8Array>): Promise<string> {
  const lines = stdout.pipeThrough(new TextDecoderStream());
  let buffered = "";
  for await (const chunk of lines) {
    buffered += chunk;
    for (const line of buffered.split("\n")) {
      if (!line.startsWith("{")) continue;
      try {
        const event = JSON.parse(line);
        // Leaving the loop cancels the stream: the rest of the log is not needed.
        if (event.event === "listening") return event.url;
      } catch {
        // A partial line: wait for the rest of it.
      }
    }
  }
  throw new Error("The server exited before listening");
}
