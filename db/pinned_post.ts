/**
 * An HTTP(S) POST that connects only to addresses already checked, never resolving the name
 * again: the name's DNS cannot swap in a private address between the check and the connection
 * (DNS rebinding). The URL's name still goes in the Host header and TLS SNI, and the server's
 * certificate is verified against that name. Deno's fetch has no hook for the address it
 * connects to; node:http's `lookup` option is one.
 */
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";

/** What a pinned POST needs: the URL and the addresses to connect to (at least one). */
export interface PinnedPost {
  url: URL;
  addresses: string[];
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Extra CA certificates (PEM) to trust beside the system's; tests use a self-signed one. */
  ca?: string;
  /** Aborts the request (the worker shutting down); it then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Raised when no response arrived within the timeout. */
export class PostTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no response within ${timeoutMs} ms`);
    this.name = "TimeoutError";
  }
}

/** The longest excerpt of a response body kept, in bytes (the rest is never read). */
export const RESPONSE_EXCERPT_BYTES = 2_048;

/** What the receiver answered: status, headers and the start of its body. */
export interface PinnedResponse {
  status: number;
  headers: Record<string, string>;
  bodyExcerpt: string;
}

/** POSTs and resolves with the response status (redirects are not followed); rejects on failure. */
export async function postPinned(post: PinnedPost): Promise<number> {
  return (await postPinnedExchange(post)).status;
}

/**
 * POSTs and resolves with the response's status, headers and at most RESPONSE_EXCERPT_BYTES of
 * its body, read within the same timeout (an endless body is cut, not waited for).
 */
export function postPinnedExchange(post: PinnedPost): Promise<PinnedResponse> {
  const { url, addresses } = post;
  if (addresses.length === 0) throw new Error("postPinned: no address to connect to");
  const secure = url.protocol === "https:";
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const lookup: LookupFunction = (_hostname, options, callback) => {
    const all = addresses.map((address) => ({
      address,
      family: address.includes(":") ? 6 : 4,
    }));
    if (options.all) callback(null, all);
    else callback(null, all[0].address, all[0].family);
  };
  const options: https.RequestOptions = {
    method: "POST",
    headers: {
      ...post.headers,
      "content-length": String(new TextEncoder().encode(post.body).length),
    },
    // A fresh connection per delivery: no pooled socket outlives the check it was made under.
    agent: false,
    lookup,
    ...(post.ca ? { ca: post.ca } : {}),
    // SNI and certificate checks use the URL's name (SNI takes no IP literal).
    ...(secure && !/^[\d.]+$|:/.test(host) ? { servername: host } : {}),
    ...(post.signal ? { signal: post.signal } : {}),
  };
  return new Promise((resolve, reject) => {
    // Set once the response has arrived: the timeout then ends the body read, not the attempt.
    let finishResponse: (() => void) | undefined;
    const request = (secure ? https : http).request(url, options, (response) => {
      const chunks: Uint8Array[] = [];
      let size = 0;
      const finish = () => {
        clearTimeout(timer);
        const bytes = new Uint8Array(size);
        let at = 0;
        for (const chunk of chunks) {
          bytes.set(chunk.subarray(0, size - at), at);
          at += Math.min(chunk.length, size - at);
        }
        resolve({
          status: response.statusCode ?? 0,
          headers: responseHeaders(response.headers),
          bodyExcerpt: new TextDecoder().decode(bytes),
        });
        response.destroy();
      };
      finishResponse = finish;
      response.on("data", (chunk: Uint8Array) => {
        chunks.push(chunk);
        size = Math.min(RESPONSE_EXCERPT_BYTES, size + chunk.length);
        if (size >= RESPONSE_EXCERPT_BYTES) finish();
      });
      response.on("end", finish);
      // A body cut by the timeout still leaves the status and what arrived.
      response.on("error", finish);
    });
    const timer = setTimeout(
      () =>
        finishResponse ? finishResponse() : request.destroy(new PostTimeoutError(post.timeoutMs)),
      post.timeoutMs,
    );
    request.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(post.body);
  });
}

function responseHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}
