/**
 * `deno task listen` end to end: a spawned server, the forwarder as its own process, and a local
 * receiver that verifies each signature with the secret the forwarder printed.
 */
import assert from "node:assert/strict";
import { testApp } from "./support/app.ts";
import { call, deposit, openAccount, signUp } from "./support/client.ts";
import { onRealPostgres, testDatabase } from "./support/database.ts";
import { startReceiver } from "./support/receiver.ts";
import { startServerProcess } from "./support/server_process.ts";

const ROOT = new URL("../", import.meta.url);

/** The forwarder's output, line by line, each awaited with a deadline. */
function spawnListen(args: string[], apiKey: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      "--config",
      "deno.dev.json",
      "tools/listen.ts",
      ...args,
    ],
    cwd: ROOT.pathname,
    env: { BANK_API_KEY: apiKey },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines: string[] = [];
  const reading = (async () => {
    let buffered = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buffered += chunk;
      const parts = buffered.split("\n");
      buffered = parts.pop() ?? "";
      lines.push(...parts);
    }
  })();
  return {
    lines,
    /** The `count`th line `match` accepts, polled; rejects after `timeoutMs`. */
    async count(match: (line: string) => boolean, count: number, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = lines.filter(match);
        if (found.length >= count) return found[count - 1];
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`not ${count} matching lines in ${timeoutMs} ms: ${lines.join("\n")}`);
    },
    line(match: (line: string) => boolean) {
      return this.count(match, 1);
    },
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await reading;
    },
  };
}

/** A port nobody listens on now, so a restarted server can come back where the client looks. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function untilHealthy(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const health = await fetch(new URL("/health", url));
    await health.body?.cancel();
    if (health.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the server never became healthy");
}

Deno.test({
  name:
    "listen forwards events signed with the secret it prints, and resumes after a dropped stream",
  ignore: !onRealPostgres(), // the server process and this test share one PostgreSQL database
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const { url } = await testDatabase();
    const { app } = await testApp();
    const env = {
      APP_ENV: "test",
      DATABASE_URL: url,
      PORT: String(freePort()),
      EVENT_STREAM_POLL_MS: "50",
      BACKGROUND_TIMERS: "off",
    };
    let server = await startServerProcess(env);
    const receiver = startReceiver();
    const customer = await signUp(app);
    const account = await openAccount(app, customer);
    const key = await call<{ key: string }>(app, "POST", "/api_keys", {
      token: customer.token,
      body: { name: "listen", scopes: ["read"] },
    });
    const listen = spawnListen([
      "--api-url",
      server.url,
      "--forward-to",
      receiver.url,
      "--events",
      "transaction.approved",
    ], key.body.key);
    try {
      await untilHealthy(server.url);
      const ready = await listen.line((line) => line.startsWith("Ready!"));
      receiver.secret = /signing secret is (whsec_\S+)/.exec(ready)?.[1];
      assert.ok(receiver.secret, ready);
      // What happens before it is connected is not streamed: wait until it says it is.
      await listen.line((line) => line.startsWith("Connected to "));
      await openAccount(app, customer); // account.created: not among --events
      const first = await deposit(app, customer, account.id, "1");
      await listen.line((line) => line.includes("transaction.approved") && line.endsWith("-> 200"));
      assert.equal(receiver.received.length, 1);
      assert.ok(receiver.received[0].verified, "the signature verifies with the printed secret");
      assert.equal(JSON.parse(receiver.received[0].body).data.object.id, first.body.id);

      // SIGTERM ends the open stream at once; an event written meanwhile waits for the resume.
      const took = await server.stop();
      assert.ok(took < 3_000, `stopped in ${Math.round(took)} ms with a stream open`);
      const missed = await deposit(app, customer, account.id, "2");
      server = await startServerProcess(env);
      await listen.count((line) => line.endsWith("-> 200"), 2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(receiver.received.length, 2, "the missed event once, nothing twice");
      assert.ok(receiver.received[1].verified);
      assert.equal(JSON.parse(receiver.received[1].body).data.object.id, missed.body.id);
    } finally {
      await listen.stop();
      await server.stop();
      await receiver.close();
    }
  },
});
