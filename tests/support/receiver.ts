/** A webhook receiver on 127.0.0.1 (ports 8500-8589) that records what it is sent. */
import { Webhook } from "standardwebhooks";

const PORT_FIRST = 8500;
const PORT_LAST = 8589;
let nextPort = PORT_FIRST;

/** One request the receiver got, and whether its signature verified with the secret it knew. */
export interface ReceivedWebhook {
  headers: Headers;
  body: string;
  verified: boolean;
}

/** A running receiver. */
export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** The endpoint's secret, once known, for verifying with the standardwebhooks library. */
  secret?: string;
  close(): Promise<void>;
}

/** Starts a receiver on a free port answering `statuses` in turn (the last one repeats; 200 by default). */
export function startReceiver(statuses: number[] = [200]): Receiver {
  const received: ReceivedWebhook[] = [];
  // A path of its own: a delivery left over from an earlier test on this port is not counted.
  const path = `/webhooks/${crypto.randomUUID()}`;
  const receiver: Receiver = { url: "", received, close: () => Promise.resolve() };
  for (let tries = 0; tries <= PORT_LAST - PORT_FIRST; tries++) {
    const port = nextPort;
    nextPort = nextPort >= PORT_LAST ? PORT_FIRST : nextPort + 1;
    try {
      const server = Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, async (request) => {
        const body = await request.text();
        if (new URL(request.url).pathname !== path) return new Response("gone", { status: 410 });
        let verified = false;
        if (receiver.secret) {
          try {
            new Webhook(receiver.secret).verify(body, Object.fromEntries(request.headers));
            verified = true;
          } catch {
            verified = false;
          }
        }
        received.push({ headers: request.headers, body, verified });
        const status = statuses[Math.min(received.length - 1, statuses.length - 1)];
        return new Response(status < 300 ? "ok" : "not now", { status });
      });
      receiver.url = `http://127.0.0.1:${port}${path}`;
      receiver.close = () => server.shutdown();
      return receiver;
    } catch (error) {
      if (!(error instanceof Deno.errors.AddrInUse)) throw error;
    }
  }
  throw new Error("No free port for a receiver in 8500-8589");
}
