/** Coalesced reads: who waits, who goes together, and what each is answered. No database. */
import assert from "node:assert/strict";
import { coalescedReads } from "../../db/coalesced_reads.ts";

/** A lookup that answers each key with `key@call` once released, recording each call's keys. */
function heldLookup() {
  const calls: string[][] = [];
  const releases: Array<(fail?: Error) => void> = [];
  const lookup = (keys: string[]) => {
    const call = calls.push(keys);
    return new Promise<Map<string, string>>((resolve, reject) => {
      releases.push((fail) =>
        fail ? reject(fail) : resolve(new Map(keys.map((key) => [key, `${key}@${call}`])))
      );
    });
  };
  return { calls, releases, lookup };
}

Deno.test("a lone read is looked up at once", async () => {
  const { calls, releases, lookup } = heldLookup();
  const read = coalescedReads(lookup, (key: string) => key, 10);
  const answer = read("a");
  assert.deepEqual(calls, [["a"]]);
  releases[0]();
  assert.equal(await answer, "a@1");
});

Deno.test("reads asked during a lookup wait and go together, once per key, in the next", async () => {
  const { calls, releases, lookup } = heldLookup();
  const read = coalescedReads(lookup, (key: string) => key, 10);
  const first = read("a");
  // Asked after the first lookup started: it must not be answered by it.
  const later = ["a", "b", "c", "b"].map((key) => read(key));
  assert.equal(calls.length, 1);
  releases[0]();
  assert.equal(await first, "a@1");
  await Promise.resolve();
  assert.deepEqual(calls[1], ["a", "b", "c"]);
  releases[1]();
  assert.deepEqual(await Promise.all(later), ["a@2", "b@2", "c@2", "b@2"]);
});

Deno.test("a key the lookup does not find is answered undefined", async () => {
  const read = coalescedReads(
    (keys: string[]) =>
      Promise.resolve(new Map(keys.filter((k) => k !== "gone").map((k) => [k, 1]))),
    (key) => key,
    10,
  );
  assert.deepEqual(await Promise.all([read("here"), read("gone")]), [1, undefined]);
});

Deno.test("no lookup carries more than its maximum; the rest go in the next", async () => {
  const { calls, releases, lookup } = heldLookup();
  const read = coalescedReads(lookup, (key: string) => key, 2);
  const first = read("0");
  const rest = ["1", "2", "3"].map((key) => read(key));
  releases[0]();
  await first;
  await Promise.resolve();
  assert.deepEqual(calls[1], ["1", "2"]);
  releases[1]();
  await Promise.all(rest.slice(0, 2));
  await Promise.resolve();
  assert.deepEqual(calls[2], ["3"]);
  releases[2]();
  assert.equal(await rest[2], "3@3");
});

Deno.test("a failed lookup fails only the reads it carried", async () => {
  const { calls, releases, lookup } = heldLookup();
  const read = coalescedReads(lookup, (key: string) => key, 10);
  const failed = read("a");
  const next = read("b");
  releases[0](new Error("connection lost"));
  await assert.rejects(failed, /connection lost/);
  await Promise.resolve();
  assert.deepEqual(calls[1], ["b"]);
  releases[1]();
  assert.equal(await next, "b@2");
  const after = read("c");
  assert.equal(calls.length, 3);
  releases[2]();
  assert.equal(await after, "c@3");
});
