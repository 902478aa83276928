/** Pure webhook rules: the retry schedule, the Sandbox-Simulate grammar, the address policy. */
import assert from "node:assert/strict";
import { parseSandboxFault } from "../../domain/sandbox_faults.ts";
import { assertDeliverableUrl, isGlobalAddress } from "../../domain/webhook_urls.ts";
import { afterAttempt } from "../../domain/webhooks.ts";

const SCHEDULE_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000];

Deno.test("afterAttempt retries on the schedule and fails after its last entry", () => {
  assert.deepEqual(afterAttempt(1, false, SCHEDULE_MS), { status: "pending", retryInMs: 5_000 });
  assert.deepEqual(afterAttempt(5, false, SCHEDULE_MS), {
    status: "pending",
    retryInMs: 3_600_000,
  });
  assert.deepEqual(afterAttempt(6, false, SCHEDULE_MS), { status: "failed" });
  assert.deepEqual(afterAttempt(6, true, SCHEDULE_MS), { status: "succeeded" });
  assert.deepEqual(afterAttempt(1, false, []), { status: "failed" });
});

Deno.test("parseSandboxFault accepts the four faults and nothing else", () => {
  assert.equal(parseSandboxFault(undefined), undefined);
  assert.deepEqual(parseSandboxFault("error_before_commit"), { kind: "error_before_commit" });
  assert.deepEqual(parseSandboxFault(" drop_after_commit "), { kind: "drop_after_commit" });
  assert.deepEqual(parseSandboxFault("latency=0"), { kind: "latency", ms: 0 });
  assert.deepEqual(parseSandboxFault("latency=10000"), { kind: "latency", ms: 10_000 });
  for (const bad of ["", "latency=10001", "latency=1e3", "drop", "latency=-5", "LATENCY=5"]) {
    assert.throws(() => parseSandboxFault(bad), { code: "validation_error" }, bad);
  }
});

Deno.test("isGlobalAddress allows only global unicast", () => {
  for (const address of ["93.184.215.14", "8.8.8.8", "2606:4700::1111"]) {
    assert.equal(isGlobalAddress(address), true, address);
  }
  for (
    const address of [
      "127.0.0.1",
      "10.0.0.1",
      "172.31.255.255",
      "192.168.0.1",
      "169.254.169.254",
      "100.100.100.200",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::",
      "::1",
      "fe80::1",
      "fc00::1",
      "::ffff:10.0.0.1",
      "64:ff9b::a00:1",
      // IPv4-compatible, NAT64 local-use, 6to4 and Teredo forms carrying private addresses.
      "::a9fe:a9fe",
      "::7f00:1",
      "::10.0.0.1",
      "64:ff9b:1::a9fe:a9fe",
      "2002:a9fe:a9fe::1",
      "2002:7f00:1::",
      "2001:0:4136:e378:8000:63bf:3fff:fdd2",
      "2001:db8::1",
      "100::1",
      "198.51.100.7",
      "not an address",
    ]
  ) {
    assert.equal(isGlobalAddress(address), false, address);
  }
});

Deno.test("assertDeliverableUrl checks every resolved address unless private ones are allowed", async () => {
  const resolve = (name: string) =>
    Promise.resolve(name === "mixed.example" ? ["93.184.215.14", "192.168.1.1"] : []);
  const url = new URL("https://mixed.example/hook");
  await assert.rejects(assertDeliverableUrl(url, { allowPrivate: false, resolve }), {
    code: "validation_error",
  });
  await assertDeliverableUrl(url, { allowPrivate: true, resolve });
  await assert.rejects(
    assertDeliverableUrl(new URL("https://unknown.example/"), { allowPrivate: false, resolve }),
    { code: "validation_error" },
  );
  const failing = () => Promise.reject(new Error("no DNS"));
  await assert.rejects(
    assertDeliverableUrl(new URL("https://any.example/"), {
      allowPrivate: false,
      resolve: failing,
    }),
    { code: "validation_error" },
  );
  const checked = await assertDeliverableUrl(new URL("https://[2606:4700::1111]/"), {
    allowPrivate: false,
    resolve,
  });
  assert.deepEqual(checked.addresses, ["2606:4700::1111"], "a literal is its own target");
});
