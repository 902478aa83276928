/** postPinned connects to the addresses it is given, never resolving the URL's name itself. */
import assert from "node:assert/strict";
import { postPinned } from "../../db/pinned_post.ts";

// A self-signed certificate for rebound.test, made with openssl for this run.
async function selfSignedCertificate(): Promise<{ cert: string; key: string }> {
  const dir = await Deno.makeTempDir();
  const output = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-keyout",
      `${dir}/key.pem`,
      "-out",
      `${dir}/cert.pem`,
      "-subj",
      "/CN=rebound.test",
      "-addext",
      "subjectAltName=DNS:rebound.test",
    ],
    stdout: "null",
    stderr: "null",
  }).output();
  if (!output.success) throw new Error("openssl could not make a certificate");
  const pair = {
    cert: await Deno.readTextFile(`${dir}/cert.pem`),
    key: await Deno.readTextFile(`${dir}/key.pem`),
  };
  await Deno.remove(dir, { recursive: true });
  return pair;
}

function serveRecordingHost(options: { cert?: string; key?: string } = {}) {
  const hosts: string[] = [];
  const handler = (request: Request) => {
    hosts.push(request.headers.get("host") ?? "");
    return new Response("ok", { status: 202 });
  };
  const base = { hostname: "127.0.0.1", port: 0, onListen() {} };
  const server = options.cert && options.key
    ? Deno.serve({ ...base, cert: options.cert, key: options.key }, handler)
    : Deno.serve(base, handler);
  return { hosts, port: server.addr.port, close: () => server.shutdown() };
}

const post = { headers: { "content-type": "application/json" }, body: "{}", timeoutMs: 5_000 };

Deno.test("postPinned sends to the given address with the URL's name as Host", async () => {
  const server = serveRecordingHost();
  try {
    // ".invalid" never resolves (RFC 6761): only the given address can be reached.
    const url = new URL(`http://rebound.invalid:${server.port}/hook`);
    assert.equal(await postPinned({ ...post, url, addresses: ["127.0.0.1"] }), 202);
    assert.deepEqual(server.hosts, [`rebound.invalid:${server.port}`]);
  } finally {
    await server.close();
  }
});

Deno.test("postPinned over https sends the URL's name as SNI and checks the certificate against it", async () => {
  const { cert, key } = await selfSignedCertificate();
  const server = serveRecordingHost({ cert, key });
  try {
    const to = (name: string) => new URL(`https://${name}:${server.port}/hook`);
    const pinned = { ...post, addresses: ["127.0.0.1"], ca: cert };
    assert.equal(await postPinned({ ...pinned, url: to("rebound.test") }), 202);
    await assert.rejects(postPinned({ ...pinned, url: to("other.test") }), /altnames|certificate/i);
    await assert.rejects(
      postPinned({ ...post, addresses: ["127.0.0.1"], url: to("rebound.test") }),
      /certificate/i,
      "an untrusted certificate is refused",
    );
  } finally {
    await server.close();
  }
});
