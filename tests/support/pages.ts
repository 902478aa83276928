/** A browser-like client over `app.request()`: a cookie jar, the CSRF token, form posts. */
import type { Requestable } from "./client.ts";

/** The origin in-process requests are made against. */
export const TEST_ORIGIN = "http://localhost";

/** A response with its text read. */
export interface Page {
  status: number;
  headers: Headers;
  text: string;
}

/** One visitor: cookies kept between requests, as a browser would. */
export class PageClient {
  readonly cookies = new Map<string, string>();
  /** The CSRF token of the last page that had a form. */
  csrfToken = "";

  constructor(readonly app: Requestable, readonly origin = TEST_ORIGIN) {}

  /** GETs a page (headers such as HX-Request optional). */
  async get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    return await this.send(path, { method: "GET", headers });
  }

  /** Posts a form; `_csrf` is the last token seen unless the fields give one. */
  async post(
    path: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Page> {
    const body = new URLSearchParams({ _csrf: this.csrfToken, ...fields });
    return await this.send(path, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: this.origin,
        ...headers,
      },
      body: body.toString(),
    });
  }

  /**
   * Posts a form as a browser does under Post/Redirect/Get: a 303 to the form's result
   * (`?done=`) is followed, and the page got there is returned with `postStatus`, the post's own.
   */
  async submit(
    path: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Page & { postStatus: number; location?: string }> {
    const posted = await this.post(path, fields, headers);
    const location = posted.headers.get("location") ?? undefined;
    if (posted.status !== 303 || !location?.includes("done=")) {
      return { ...posted, postStatus: posted.status, location };
    }
    const page = await this.get(location.split("#")[0]);
    return { ...page, postStatus: posted.status, location };
  }

  /** Registers a new customer through the register page; the client is then signed in. */
  async register(name = "Page Customer"): Promise<{ email: string; password: string }> {
    const email = `p-${crypto.randomUUID()}@example.test`;
    const password = "correct horse battery";
    await this.get("/app/register");
    const page = await this.post("/app/register", { name, email, password });
    if (page.status !== 303) throw new Error(`register failed: ${page.status}`);
    await this.get("/app");
    return { email, password };
  }

  private async send(path: string, init: RequestInit): Promise<Page> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) {
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    const url = path.startsWith("http") ? path : `${this.origin}${path}`;
    const response = await this.app.request(url, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
      const expired = attributes.some((a) => /^\s*max-age=0$/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text);
    if (token) this.csrfToken = token[1];
    return { status: response.status, headers: response.headers, text };
  }
}

/** The Set-Cookie line for `name` in a response, or undefined. */
export function setCookieLine(headers: Headers, name: string): string | undefined {
  return headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}
