/**
 * GET /docs: the interactive API reference (Swagger UI). Its files come from the installed
 * swagger-ui-dist package, found by module resolution from this file (no working-directory
 * assumption, no CDN), and are held in memory after the first read.
 */
import { createRouter } from "../app_env.ts";
import { docsPage } from "../../views/docs_page.ts";

/** The URL path the reference's files are served under. */
export const DOCS_ASSETS_PATH = "/docs/assets";

const ASSETS: Record<string, { url: () => URL; type: string }> = {
  "swagger-ui-bundle.js": {
    url: () => new URL(import.meta.resolve("swagger-ui-dist/swagger-ui-bundle.js")),
    type: "text/javascript; charset=utf-8",
  },
  "swagger-ui.css": {
    url: () => new URL(import.meta.resolve("swagger-ui-dist/swagger-ui.css")),
    type: "text/css; charset=utf-8",
  },
  "favicon-32x32.png": {
    url: () => new URL(import.meta.resolve("swagger-ui-dist/favicon-32x32.png")),
    type: "image/png",
  },
  "theme.css": {
    url: () => new URL("../../static/docs_theme.css", import.meta.url),
    type: "text/css; charset=utf-8",
  },
  "init.js": {
    url: () => new URL("../../static/docs_init.js", import.meta.url),
    type: "text/javascript; charset=utf-8",
  },
};

// Swagger UI styles elements inline and draws icons as data: SVGs; scripts come only from here.
const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

// The package's files do not change while the process runs; they change with its version.
const ASSET_MAX_AGE_SECONDS = 3600;

const cache = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

function readAsset(name: string): Promise<Uint8Array<ArrayBuffer>> {
  let bytes = cache.get(name);
  if (!bytes) {
    bytes = Deno.readFile(ASSETS[name].url());
    // A failed read is not remembered, so a later request tries again.
    bytes.catch(() => cache.delete(name));
    cache.set(name, bytes);
  }
  return bytes;
}

/** The reference page and its files. These are pages, not API operations: not in the document. */
export function docsRoutes() {
  return createRouter()
    .get("/docs", (c) => {
      c.header("content-security-policy", DOCS_CSP);
      return c.html(docsPage(DOCS_ASSETS_PATH));
    })
    .get(`${DOCS_ASSETS_PATH}/:file`, async (c) => {
      const name = c.req.param("file");
      if (!Object.hasOwn(ASSETS, name)) return c.text("Not found", 404);
      const bytes = await readAsset(name);
      return c.body(bytes, 200, {
        "content-type": ASSETS[name].type,
        "cache-control": `public, max-age=${ASSET_MAX_AGE_SECONDS}`,
      });
    });
}
