// Starts Swagger UI on /docs. A file of its own, not an inline script, so that the page runs
// under a Content-Security-Policy of script-src 'self'.
/* global SwaggerUIBundle */
globalThis.addEventListener("DOMContentLoaded", function startApiReference() {
  globalThis.ui = SwaggerUIBundle({
    url: new URL("/openapi.json", globalThis.location.href).href,
    dom_id: "#swagger-ui",
    // Deep links put a link inside each operation's toggle button (a control nested in a
    // control, which screen readers cannot announce); the operations keep their ids without it.
    deepLinking: false,
    tryItOutEnabled: true,
    displayRequestDuration: true,
    persistAuthorization: false,
    // The default validator is a third-party web service: nothing on this page leaves the app.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
  nameWhatSwaggerLeavesUnnamed(document.getElementById("swagger-ui"));
});

// Swagger UI renders selects without a label (servers, enum parameters, media types) and
// scrolling code samples that a keyboard cannot reach; it re-renders as the reader opens
// operations, so each new node is given its name and focusability as it appears.
function nameWhatSwaggerLeavesUnnamed(root) {
  const fix = () => {
    for (const select of root.querySelectorAll("select:not([aria-label])")) {
      const labelled = [...(select.labels ?? [])].some((label) => label.textContent.trim());
      if (labelled && select.id !== "servers") continue;
      const row = select.closest("tr[data-param-name]");
      const name = select.id === "servers"
        ? "Server"
        : row
        ? `Value of ${row.getAttribute("data-param-name")}`
        : select.closest(".response-control-media-type")
        ? "Response media type"
        : select.closest(".body-param-content-type, .opblock-section-request-body")
        ? "Request media type"
        : "Choice";
      select.setAttribute("aria-label", name);
    }
    for (const code of root.querySelectorAll("pre.microlight:not([tabindex])")) {
      code.setAttribute("tabindex", "0");
    }
  };
  fix();
  new MutationObserver(fix).observe(root, { childList: true, subtree: true });
}
