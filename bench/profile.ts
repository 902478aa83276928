/**
 * Where a transfer's CPU goes in the app: transfers through `app.request()` (no HTTP parsing) on
 * PostgreSQL at DATABASE_URL, under V8's sampling profiler (node:inspector). Prints the CPU spent
 * per transfer and the self time by package and by function. `--reads` drives the mixed
 * scenario's reads instead (an account, a page of its ledger, alternately), per read.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres deno task bench:profile [--transfers=N]
 */
import inspector from "node:inspector";
import process from "node:process";
import { parseArgs } from "node:util";
import { type Answers, drive, withBenchApp } from "./in_process.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    transfers: { type: "string", default: "3000" },
    concurrency: { type: "string", default: "8" },
    top: { type: "string", default: "30" },
    reads: { type: "boolean", default: false },
  },
});
// What the transfers were answered: refusals (velocity, same account) take a cheaper path.
const answers: Answers = {};
const TRANSFERS = Number(flags.transfers);
const CONCURRENCY = Number(flags.concurrency);
const load = { count: TRANSFERS, concurrency: CONCURRENCY, reads: flags.reads, answers };

// As many accounts as the bench (64 × 4), so few transfers meet the velocity limit (5 per 1 s).
await withBenchApp({ customers: 64, poolMax: 4 }, async ({ app, customers }) => {
  await drive(app, customers, { ...load, count: 500 }); // warm-up: JIT, prepared statements, pool
  for (const label of Object.keys(answers)) delete answers[label];
  const session = new inspector.Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) =>
      session.post(
        method,
        params ?? {},
        (error, result) => error ? reject(error) : resolve(result as T),
      )
    );
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 100 });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await post("Profiler.start");
  await drive(app, customers, load);
  const { profile } = await post<{ profile: Profile }>("Profiler.stop");
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    `${TRANSFERS} transfers, ${CONCURRENCY} at a time: ${
      (TRANSFERS / (elapsedMs / 1000)).toFixed(0)
    }/s, ` +
      `app CPU ${(cpuMs / TRANSFERS).toFixed(3)} ms per transfer (user ${
        (cpu.user / 1000 / TRANSFERS).toFixed(3)
      }, system ${(cpu.system / 1000 / TRANSFERS).toFixed(3)})`,
  );
  console.log(`answers: ${JSON.stringify(answers)}`);
  report(profile, TRANSFERS, Number(flags.top));
});

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

// Self time per node from the samples, then summed by package and by function.
function report(profile: Profile, transfers: number, top: number) {
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  });
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const micros = selfMicros.get(node.id) ?? 0;
    if (!micros) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = packageOf(url, functionName);
    byPackage.set(where, (byPackage.get(where) ?? 0) + micros);
    const key = `${functionName || "(anonymous)"} ${shortUrl(url)}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  }
  const print = (title: string, map: Map<string, number>, limit: number) => {
    console.log(`\n${title} (µs per transfer)`);
    for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
      console.log(`${(micros / transfers).toFixed(1).padStart(8)}  ${key}`);
    }
  };
  print("self time by package", byPackage, 40);
  print("self time by function", byFunction, top);
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const npm = /node_modules\/\.deno\/([^/]+)\//.exec(url);
  if (npm) return npm[1].replace(/@[^@]+$/, "");
  if (url.startsWith("ext:") || url.startsWith("node:")) {
    return url.split("/")[0] + "/" + url.split("/")[1];
  }
  const local = /\/work\/[^/]+\/(.+?)\/[^/]+$/.exec(url) ??
    /file:\/\/.*?\/(routes|domain|db|views)\//.exec(url);
  return local ? `app:${local[1]}` : shortUrl(url);
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\/.*?node_modules\/\.deno\//, "").replace(
    /^file:\/\/.*?\/(?=(routes|domain|db|views|app\.ts))/,
    "",
  );
}
