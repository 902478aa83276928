/**
 * `deno task listen --forward-to URL [--events a,b] [--api-url URL] [--secret whsec_…]`: forwards
 * your events, as they happen, to a webhook receiver on your machine, signed per Standard Webhooks
 * with a secret printed at start (like `stripe listen`). It signs in with an API key
 * (BANK_API_KEY, or --api-key): a `read` key is enough, and unlike an access token it does not
 * expire in 15 minutes under a forwarder that runs all day.
 */
import { parseArgs } from "node:util";
import { generateWebhookSecret } from "../domain/webhooks.ts";
import { forwardEvents, ListenError } from "./listen/forwarder.ts";

const USAGE = "Usage: deno task listen --forward-to URL [--events type,type] " +
  "[--api-url URL] [--api-key sk_test_…] [--secret whsec_…]\n" +
  "  BANK_API_KEY and BANK_API_URL (default http://localhost:8000) may stand for the flags.";

function options() {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      "forward-to": { type: "string" },
      events: { type: "string" },
      "api-url": { type: "string" },
      "api-key": { type: "string" },
      secret: { type: "string" },
      help: { type: "boolean" },
    },
  });
  const apiKey = values["api-key"] ?? Deno.env.get("BANK_API_KEY");
  const forwardTo = values["forward-to"];
  if (values.help || !forwardTo || !apiKey) {
    console.error(USAGE);
    if (!apiKey && !values.help) console.error("No API key: set BANK_API_KEY or pass --api-key.");
    Deno.exit(values.help ? 0 : 2);
  }
  return {
    forwardTo: new URL(forwardTo).toString(),
    apiKey,
    apiUrl: values["api-url"] ?? Deno.env.get("BANK_API_URL") ?? "http://localhost:8000",
    events: (values.events ?? "").split(",").map((type) => type.trim()).filter(Boolean),
    secret: values.secret ?? generateWebhookSecret(),
  };
}

const settings = options();
const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => stop.abort());
}
console.log(
  `Ready! Forwarding ${settings.events.length ? settings.events.join(", ") : "all events"} ` +
    `to ${settings.forwardTo}. Your webhook signing secret is ${settings.secret} (^C to quit)`,
);
try {
  await forwardEvents({ ...settings, print: (line) => console.log(line), signal: stop.signal });
} catch (error) {
  if (!stop.signal.aborted) {
    console.error(error instanceof ListenError ? error.message : `listen: ${error}`);
    Deno.exit(1);
  }
}
Deno.exit(0);
