/**
 * The pages' static files: htmx from the installed htmx.org package, our one script and our one
 * stylesheet. Paths are resolved from this module, not the working directory, so `deno task
 * start` works anywhere.
 */
import { Hono } from "hono";

interface StaticFile {
  url: URL;
  contentType: string;
}

const FILES: Record<string, StaticFile> = {
  "htmx.min.js": {
    url: new URL("../../node_modules/htmx.org/dist/htmx.min.js", import.meta.url),
    contentType: "text/javascript; charset=utf-8",
  },
  "forms.js": {
    url: new URL("../../static/forms.js", import.meta.url),
    contentType: "text/javascript; charset=utf-8",
  },
  "app.css": {
    url: new URL("../../static/app.css", import.meta.url),
    contentType: "text/css; charset=utf-8",
  },
};

const loaded = new Map<string, Promise<{ body: Uint8Array<ArrayBuffer>; etag: string }>>();

async function load(file: StaticFile) {
  const body = await Deno.readFile(file.url);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  const etag = `"${
    Array.from(digest.slice(0, 12), (b) => b.toString(16).padStart(2, "0")).join("")
  }"`;
  return { body, etag };
}

/** GET /static/htmx.min.js, forms.js and app.css (one exact route each), revalidated by ETag. */
export function staticRoutes() {
  const routes = new Hono();
  for (const [name, file] of Object.entries(FILES)) {
    routes.get(`/static/${name}`, async (c) => {
      let entry = loaded.get(name);
      if (!entry) {
        entry = load(file);
        loaded.set(name, entry);
        entry.catch(() => loaded.delete(name));
      }
      const { body, etag } = await entry;
      const headers = {
        "content-type": file.contentType,
        "cache-control": "no-cache",
        etag,
        "x-content-type-options": "nosniff",
      };
      if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
      return c.body(body, 200, headers);
    });
  }
  return routes;
}
