/**
 * A human-readable page over /openapi.json, rendered in the browser by Scalar
 * from a CDN (nothing to install or build). It needs a looser CSP than the
 * JSON routes, set on this response only.
 */
export const docsPageCsp =
  "default-src 'none'; script-src https://cdn.jsdelivr.net 'unsafe-inline'; style-src https://cdn.jsdelivr.net 'unsafe-inline'; font-src https://cdn.jsdelivr.net data:; img-src data: https:; connect-src 'self'"

export function docsPage(openApiUrl: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Sales dashboard API</title>
  </head>
  <body>
    <script id="api-reference" data-url="${openApiUrl}"></script>
    <script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference@1"></script>
  </body>
</html>`
}
