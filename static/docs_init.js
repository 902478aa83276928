// Starts Swagger UI on /docs. A file of its own, not an inline script, so that the page runs
// under a Content-Security-Policy of script-src 'self'.
/* global SwaggerUIBundle */
globalThis.addEventListener("DOMContentLoaded", function startApiReference() {
  globalThis.ui = SwaggerUIBundle({
    url: new URL("/openapi.json", globalThis.location.href).href,
    dom_id: "#swagger-ui",
    deepLinking: true,
    tryItOutEnabled: true,
    displayRequestDuration: true,
    persistAuthorization: false,
    // The default validator is a third-party web service: nothing on this page leaves the app.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
