/** Starts main.ts (or the deploy driver) as its own process, as a platform would, and reads its log. */
import type { Requestable } from "./client.ts";

const ROOT = new URL("../../", import.meta.url);

/** The JWT secret of testConfig(): tokens from a spawned server are good in-process, and back. */
export const SHARED_JWT_SECRET = "test-secret-test-secret-test-secret-0123";

/** A running server process. */
export interface ServerProcess {
  url: string;
  /** The server as a client of its HTTP API (for tests/support/client.ts). */
  remote: Requestable;
  /** Resolves with the first JSON log line that `match` accepts; rejects after `timeoutMs`. */
  waitForLine(match: (event: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<
    Record<string, unknown>
  >;
  /** Writes a line to its stdin (the deploy driver reads `fire <job>`). */
  send(line: string): Promise<void>;
  process: Deno.ChildProcess;
  /** SIGTERM, then waits; answers how long the exit took in milliseconds. */
  stop(): Promise<number>;
}

/**
 * Spawns `script` (main.ts by default) with the runtime deno.json, file writes denied, and `env`
 * only (plus cheap password hashing); resolves once it logs "listening".
 */
export async function startServerProcess(
  env: Record<string, string>,
  options: { script?: string; listening?: boolean } = {},
): Promise<ServerProcess> {
  const pooler = Deno.env.get("DATABASE_POOLER");
  const process = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-sys",
      "--deny-write",
      "--config",
      new URL("deno.json", ROOT).pathname,
      new URL(options.script ?? "main.ts", ROOT).pathname,
    ],
    cwd: ROOT.pathname,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      PORT: "0",
      JWT_SECRET: SHARED_JWT_SECRET,
      PASSWORD_HASH_MEMORY_KIB: "256",
      PASSWORD_HASH_ITERATIONS: "1",
      // The test run's pooler setting (CI's second run goes through PgBouncer in transaction mode,
      // which refuses the timeouts a direct connection sends at start-up).
      ...(pooler ? { DATABASE_POOLER: pooler } : {}),
      ...env,
    },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const events: Record<string, unknown>[] = [];
  const waiters: { match: (event: Record<string, unknown>) => boolean; resolve: () => void }[] = [];
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    let buffered = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          events.push(JSON.parse(line));
        } catch {
          events.push({ text: line });
        }
        for (const waiter of [...waiters]) waiter.resolve();
      }
    }
  };
  const reading = Promise.all([collect(process.stdout), collect(process.stderr)]);
  const writer = process.stdin.getWriter();
  const waitForLine = (match: (event: Record<string, unknown>) => boolean, timeoutMs = 60_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no matching log line in ${timeoutMs} ms: ${JSON.stringify(events)}`));
      }, timeoutMs);
      const waiter = {
        match,
        resolve: () => {
          const found = events.find(match);
          if (!found) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(waiter), 1);
          resolve(found);
        },
      };
      waiters.push(waiter);
      waiter.resolve();
    });
  const server: ServerProcess = {
    url: "",
    remote: { request: (path, init) => fetch(new URL(path, server.url), init) },
    waitForLine,
    send: (line) => writer.write(new TextEncoder().encode(`${line}\n`)),
    process,
    async stop() {
      const started = performance.now();
      try {
        process.kill("SIGTERM");
      } catch {
        // Exited already.
      }
      await process.status;
      const took = performance.now() - started;
      await writer.close().catch(() => {});
      await reading;
      return took;
    },
  };
  if (options.listening ?? true) {
    const listening = await waitForLine((event) => event.event === "listening");
    server.url = String(listening.url);
  }
  return server;
}
