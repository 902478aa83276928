/** The README stays true to the code it describes. */
import assert from "node:assert/strict";
import { CONFIG_VARIABLES } from "../config.ts";
import { PAGES } from "../tools/screenshots.ts";

const README = new URL("../README.md", import.meta.url);

Deno.test("the README's configuration table lists every variable config.ts reads", async () => {
  const text = await Deno.readTextFile(README);
  const start = text.indexOf("## Configuration");
  assert.ok(start >= 0, "no Configuration section");
  const section = text.slice(start, text.indexOf("\n## ", start + 1));
  const missing = CONFIG_VARIABLES.filter((name) => !section.includes(`\`${name}\``));
  assert.deepEqual(missing, []);
});

Deno.test("the README's Postman instructions name files that exist", async () => {
  const text = await Deno.readTextFile(README);
  const files = [...text.matchAll(/`(postman\/[^`\s]+\.json)`/g)].map((match) => match[1]);
  assert.ok(files.length >= 2);
  for (const file of files) {
    const info = await Deno.stat(new URL(`../${file}`, import.meta.url));
    assert.ok(info.isFile, file);
  }
});

/** PNG's signature, then the IHDR chunk whose first fields are the width and height. */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A screenshot larger than this is not "small" any more (they are one 1280 × 800 screenful). */
const SCREENSHOT_BYTES_MAX = 250_000;

Deno.test("the README's screenshots exist as 1280 × 800 PNGs, one per page the task takes", async () => {
  const text = await Deno.readTextFile(README);
  const linked = [...text.matchAll(/\]\((docs\/screenshots\/[^)\s]+)\)/g)].map((match) => match[1]);
  const expected = PAGES.map(({ name }) => `docs/screenshots/${name}.png`);
  // Every page `deno task screenshots` takes is shown, and nothing it does not take.
  assert.deepEqual([...new Set(linked)].sort(), [...expected].sort());
  for (const file of linked) {
    const bytes = await Deno.readFile(new URL(`../${file}`, import.meta.url));
    assert.deepEqual([...bytes.subarray(0, 8)], PNG_SIGNATURE, `${file} is not a PNG`);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    assert.deepEqual([view.getUint32(16), view.getUint32(20)], [1280, 800], file);
    assert.ok(bytes.length <= SCREENSHOT_BYTES_MAX, `${file} is ${bytes.length} bytes`);
  }
});
