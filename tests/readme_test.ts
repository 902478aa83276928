/** The README stays true to the code it describes. */
import assert from "node:assert/strict";
import { CONFIG_VARIABLES } from "../config.ts";

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
