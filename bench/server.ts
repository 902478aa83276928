/** The server under benchmark: started as a child process, its counters read by SIGUSR1. */
import { BENCH_ENV } from "./settings.ts";

const REPO_ROOT = new URL("../", import.meta.url).pathname;

/** A running `main.ts` and the lines it has logged (the first 1 000, and every `stats` line). */
export interface Server {
  pid: number;
  port: number;
  lines: string[];
  stop(): Promise<void>;
}

/** Starts `main.ts` with the bench's settings, `env` on top of them, and waits for /health. */
export async function startServer(
  options: { port: number; databaseUrl: string; poolMax: number; env?: Record<string, string> },
): Promise<Server> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: REPO_ROOT,
    env: {
      ...BENCH_ENV,
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_MAX: String(options.poolMax),
      PORT: String(options.port),
      ...options.env,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) collectLines(stream, lines);
  await waitForHealth(options.port);
  return {
    pid: child.pid,
    port: options.port,
    lines,
    stop: async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        console.error(lines.slice(-10).join("\n"));
      }
      await child.status;
    },
  };
}

function collectLines(stream: ReadableStream<Uint8Array>, lines: string[]) {
  (async () => {
    let rest = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      for (const line of parts) {
        if (line.includes('"stats"') || lines.length < 1000) lines.push(line);
      }
    }
  })();
}

async function waitForHealth(port: number) {
  for (let attempt = 0; attempt < 150; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The server's own counters, from the `stats` line it logs on SIGUSR1 (main.ts). */
export interface ServerStats {
  serializationRetries: number;
  groupsCommitted: number;
  transfersCommittedInGroups: number;
}

/** Asks the server for its counters and waits (up to 1 s) for the line that carries them. */
export async function serverStats(server: Server): Promise<ServerStats> {
  const before = server.lines.length;
  Deno.kill(server.pid, "SIGUSR1");
  for (let attempt = 0; attempt < 50 && server.lines.length === before; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const line = server.lines.slice(before).find((text) => text.includes('"stats"'));
  const stats = line ? JSON.parse(line) : {};
  return {
    serializationRetries: Number(stats.serializationRetries ?? NaN),
    groupsCommitted: Number(stats.groupsCommitted ?? NaN),
    transfersCommittedInGroups: Number(stats.transfersCommittedInGroups ?? NaN),
  };
}

/** User + system CPU time of a process, in milliseconds (clock ticks are 1/100 s on Linux). */
export function cpuMs(pid: number): number {
  const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Resident set size of a process, in KiB. */
export function rssKib(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}
