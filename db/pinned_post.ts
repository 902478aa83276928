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

/** POSTs and resolves with the response status (redirects are not followed); rejects on failure. */
export function postPinned(post: PinnedPost): Promise<number> {
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
    const request = (secure ? https : http).request(url, options, (response) => {
      clearTimeout(timer);
      // Only the status counts; the body is not read (it could be endless).
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    const timer = setTimeout(
      () => request.destroy(new PostTimeoutError(post.timeoutMs)),
      post.timeoutMs,
    );
    request.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(post.body);
  });
}
