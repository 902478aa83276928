/**
 * Detail pages for one object: its key facts, its id to copy, and the JSON the API returns for
 * it (what a developer's code will receive), with the API path that returns it.
 */
import { html } from "hono/html";
import type { AttemptDetail } from "../db/webhook_deliveries.ts";
import { dateTimeText } from "./format.ts";
import { type Chrome, copyableId, copyButton, type Html, layout } from "./layout.ts";

/** One fact shown above the JSON. */
export interface DetailFact {
  label: string;
  value: string | Html;
}

/** What a detail page shows. */
export interface DetailPageData {
  chrome: Chrome;
  heading: string;
  id: string;
  /** The API request that returns `json`, e.g. "GET /payments/{id}". */
  apiPath: string;
  facts: DetailFact[];
  json: unknown;
  /** Extra sections (e.g. a delivery's attempts). */
  more?: Html;
  back: { href: string; label: string };
}

/** A detail page. */
export function detailPage(data: DetailPageData): Html {
  const text = JSON.stringify(data.json, null, 2);
  return layout(
    data.chrome,
    html`<p class="breadcrumb"><a href="${data.back.href}">${data.back.label}</a></p>
<h1>${data.heading}</h1>
<section class="card" aria-labelledby="facts-heading">
  <h2 id="facts-heading">Details</h2>
  <dl class="facts">
    <dt>Id</dt><dd>${copyableId(data.id)}</dd>
    ${
      data.facts.map((fact) =>
        html`
          <dt>${fact.label}</dt>
          <dd>${fact.value}</dd>
        `
      )
    }
  </dl>
</section>
${data.more ?? ""}
<section class="card" aria-labelledby="json-heading">
  <h2 id="json-heading">As the API returns it</h2>
  <p><code>${data.apiPath}</code> ${copyButton(text, "the JSON")}</p>
  <pre class="json-view" tabindex="0" aria-label="JSON of ${data.heading}">${text}</pre>
</section>`,
  );
}

/** A webhook delivery's attempts: what each sent, what came back, and how long it took. */
export function attemptsSection(attempts: AttemptDetail[]): Html {
  return html`<section class="card" aria-labelledby="attempts-heading">
  <h2 id="attempts-heading">Attempts</h2>
  ${
    attempts.length === 0
      ? html`<p class="empty">Not attempted yet.</p>`
      : attempts.map((attempt) =>
        html`<article class="attempt" aria-labelledby="attempt-${attempt.attempt}">
    <h3 id="attempt-${attempt.attempt}">Attempt ${attempt.attempt}: ${
          attempt.responseStatus !== null ? `HTTP ${attempt.responseStatus}` : "no response"
        }, ${attempt.durationMs} ms, ${dateTimeText(attempt.attemptedAt)}</h3>
    ${attempt.error ? html`<p>${attempt.error}</p>` : ""}
    ${exchangePart("Request headers", attempt.requestHeaders)}
    ${exchangePart("Request body", attempt.requestBody)}
    ${exchangePart("Response headers", attempt.responseHeaders)}
    ${exchangePart("Response body (first 2 KiB)", attempt.responseBody)}
  </article>`
      )
  }
</section>`;
}

function exchangePart(title: string, value: string | Record<string, string> | null): Html {
  if (value === null) return html``;
  const text = typeof value === "string" ? prettyJson(value) : JSON.stringify(value, null, 2);
  return html`
    <h4>${title}</h4>
    <pre class="json-view" tabindex="0" aria-label="${title}">${text}</pre>
  `;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
