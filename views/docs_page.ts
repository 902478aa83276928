/** The /docs page: a shell that loads Swagger UI and its start-up script, both served by the app. */

/** The HTML of the interactive API reference; `assets` is the URL path its files are served under. */
export function docsPage(assets: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Bank API Sandbox — API reference</title>
  <link rel="icon" type="image/png" href="${assets}/favicon-32x32.png">
  <link rel="stylesheet" href="${assets}/swagger-ui.css">
  <link rel="stylesheet" href="${assets}/theme.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${assets}/swagger-ui-bundle.js"></script>
  <script src="${assets}/init.js"></script>
</body>
</html>
`;
}
