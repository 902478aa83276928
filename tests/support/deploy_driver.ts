/**
 * Runs main.ts as Deno Deploy would, with one difference: Deno.cron records each declared job
 * instead of scheduling it, and a line `fire <name>` on stdin runs that job's handler now (the
 * platform's part), answered by a `{"event":"cron_fired"}` line. Run with the runtime deno.json.
 */
const handlers = new Map<string, () => Promise<void> | void>();
const declared: string[] = [];
Object.defineProperty(Deno, "cron", {
  configurable: true,
  value: (name: string, schedule: string, ...rest: unknown[]) => {
    declared.push(`${name}|${schedule}`);
    handlers.set(name, rest[rest.length - 1] as () => Promise<void>);
    return Promise.resolve();
  },
});

// Dynamic, so that the stand-in above is in place when main.ts and jobs.ts are evaluated.
await import("../../main.ts");
console.log(JSON.stringify({ event: "crons_declared", crons: declared }));

const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
let buffered = "";
for await (const chunk of lines) {
  buffered += chunk;
  let newline;
  while ((newline = buffered.indexOf("\n")) >= 0) {
    const line = buffered.slice(0, newline).trim();
    buffered = buffered.slice(newline + 1);
    const name = line.replace(/^fire /, "");
    await handlers.get(name)?.();
    console.log(JSON.stringify({ event: "cron_fired", job: name, known: handlers.has(name) }));
  }
}
