/**
 * A human-readable reference over /openapi.json, rendered here from the
 * document itself: plain HTML and CSS, no script and nothing fetched from
 * elsewhere, so it reads the same offline, behind a firewall and under the
 * API's strict CSP (loosened on this response only to allow its inline style).
 */
export const docsPageCsp =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

/** The parts of an OpenAPI 3.1 document this page reads. */
export interface OpenApiDocument {
  info: { title: string; version: string; description?: string }
  paths?: Record<string, unknown>
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> }
}

interface SecurityScheme {
  type?: string
  scheme?: string
  name?: string
  in?: string
}

interface Operation {
  operationId?: string
  summary?: string
  description?: string
  tags?: string[]
  security?: Record<string, unknown>[]
  parameters?: Parameter[]
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> }
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>
}
interface Parameter {
  name: string
  in: string
  required?: boolean
  description?: string
  schema?: Schema
}
type Schema = Record<string, unknown>

const methods = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const

const html = (text: unknown) =>
  String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
const anchor = (text: string) => text.replace(/[^A-Za-z0-9_-]+/g, '-')
const refName = (ref: string) => ref.replace('#/components/schemas/', '')

/** A schema as a short type expression, component schemas as links to their section. */
export function typeOf(schema: Schema | undefined, depth = 0): string {
  if (!schema || typeof schema !== 'object') return 'any'
  if (typeof schema.$ref === 'string') {
    const name = refName(schema.$ref)
    return `<a href="#schema-${anchor(name)}">${html(name)}</a>`
  }
  const union = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined
  if (Array.isArray(union)) return union.map((s) => typeOf(s, depth)).join(' | ')
  if (Array.isArray(schema.allOf))
    return (schema.allOf as Schema[]).map((s) => typeOf(s, depth)).join(' &amp; ')
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => html(JSON.stringify(v))).join(' | ')
  if ('const' in schema) return html(JSON.stringify(schema.const))
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined]
  return types
    .map((type) => {
      if (type === 'array') return `${typeOf(schema.items as Schema | undefined, depth)}[]`
      if (type === 'object' || (!type && schema.properties)) {
        const properties = Object.entries((schema.properties ?? {}) as Record<string, Schema>)
        if (properties.length === 0) return 'object'
        if (depth >= 2) return 'object'
        const required = new Set((schema.required ?? []) as string[])
        return `{ ${properties
          .map(([name, s]) => `${html(name)}${required.has(name) ? '' : '?'}: ${typeOf(s, depth + 1)}`)
          .join(', ')} }`
      }
      const format = typeof schema.format === 'string' ? ` (${html(schema.format)})` : ''
      return `${html(type ?? 'any')}${format}`
    })
    .join(' | ')
}

function operationsOf(document: OpenApiDocument) {
  const operations: { method: string; path: string; op: Operation }[] = []
  for (const [path, item] of Object.entries(document.paths ?? {}))
    for (const method of methods) {
      const op = (item as Record<string, unknown> | undefined)?.[method] as Operation | undefined
      if (op) operations.push({ method, path, op })
    }
  return operations
}

/** What a caller must send: none of the operation's schemes means a public route. */
function authOf(op: Operation, schemes: Record<string, unknown>): string {
  const names = (op.security ?? []).flatMap((requirement) => Object.keys(requirement))
  if (names.length === 0) return 'No token needed.'
  const what = names.map((name) => {
    const scheme = schemes[name] as SecurityScheme | undefined
    if (scheme?.type === 'http' && scheme.scheme === 'bearer') return 'Authorization: Bearer <access token>'
    if (scheme?.type === 'apiKey' && scheme.name) return `${scheme.name} (${scheme.in ?? 'header'})`
    return name
  })
  return `Needs ${what.map((w) => `<code>${html(w)}</code>`).join(' or ')}.`
}

function renderOperation(
  { method, path, op }: { method: string; path: string; op: Operation },
  schemes: Record<string, unknown>,
): string {
  const id = anchor(op.operationId ?? `${method}-${path}`)
  const parameters = op.parameters ?? []
  const body = op.requestBody?.content ?? {}
  const responses = Object.entries(op.responses ?? {})
  return `<section class="op" id="${id}">
  <h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${html(path)}</code></h3>
  ${op.summary ? `<p class="summary">${html(op.summary)}</p>` : ''}
  ${op.description ? `<p>${html(op.description)}</p>` : ''}
  <p class="auth">${authOf(op, schemes)}</p>
  ${
    parameters.length
      ? `<table><caption>Parameters</caption><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr>${parameters
          .map(
            (p) =>
              `<tr><td><code>${html(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ''}</td><td>${html(p.in)}</td><td><code>${typeOf(p.schema)}</code></td><td>${html(p.description)}</td></tr>`,
          )
          .join('')}</table>`
      : ''
  }
  ${Object.entries(body)
    .map(
      ([type, media]) =>
        `<p><strong>Body</strong> (<code>${html(type)}</code>${op.requestBody?.required ? ', required' : ''}): <code>${typeOf(media.schema)}</code></p>`,
    )
    .join('')}
  <table><caption>Responses</caption><tr><th>Status</th><th>Description</th><th>Body</th></tr>${responses
    .map(
      ([status, r]) =>
        `<tr><td><code>${html(status)}</code></td><td>${html(r.description)}</td><td>${Object.entries(
          r.content ?? {},
        )
          .map(
            ([type, media]) =>
              `<code>${html(type)}</code> ${media.schema ? `<code>${typeOf(media.schema)}</code>` : ''}`,
          )
          .join('<br>')}</td></tr>`,
    )
    .join('')}</table>
</section>`
}

export function docsPage(document: OpenApiDocument, openApiUrl: string): string {
  const operations = operationsOf(document)
  const tags = [...new Set(operations.map(({ op }) => op.tags?.[0] ?? 'Other'))]
  const schemas = Object.entries(document.components?.schemas ?? {})
  const sections = tags.map((tag) => {
    const ops = operations.filter(({ op }) => (op.tags?.[0] ?? 'Other') === tag)
    return `<h2 id="tag-${anchor(tag)}">${html(tag)}</h2>\n${ops.map((op) => renderOperation(op, document.components?.securitySchemes ?? {})).join('\n')}`
  })
  const contents = tags
    .map((tag) => {
      const ops = operations.filter(({ op }) => (op.tags?.[0] ?? 'Other') === tag)
      return `<li><a href="#tag-${anchor(tag)}">${html(tag)}</a><ul>${ops
        .map(
          ({ method, path, op }) =>
            `<li><a href="#${anchor(op.operationId ?? `${method}-${path}`)}"><span class="m">${method.toUpperCase()}</span> ${html(path)}</a></li>`,
        )
        .join('')}</ul></li>`
    })
    .join('')
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${html(document.info.title)}</title>
    <style>${style}</style>
  </head>
  <body>
    <nav aria-label="Operations"><p><strong>${html(document.info.title)}</strong> ${html(document.info.version)}</p><ul>${contents}<li><a href="#schemas">Schemas</a></li></ul></nav>
    <main>
      <h1>${html(document.info.title)}</h1>
      <p>${html(document.info.description)}</p>
      <p>The machine-readable document: <a href="${html(openApiUrl)}"><code>${html(openApiUrl)}</code></a> (OpenAPI 3.1), for code generators and API clients.</p>
      ${sections.join('\n')}
      <h2 id="schemas">Schemas</h2>
      ${schemas
        .map(
          ([name, schema]) =>
            `<section class="schema" id="schema-${anchor(name)}"><h3>${html(name)}</h3><code>${typeOf(schema as Schema)}</code></section>`,
        )
        .join('\n')}
    </main>
  </body>
</html>`
}

const style = `
:root { color-scheme: light dark; font: 15px/1.5 system-ui, sans-serif; }
body { margin: 0; display: grid; grid-template-columns: 23rem 1fr; }
nav { position: sticky; top: 0; height: 100vh; overflow: auto; padding: 1rem; border-right: 1px solid #8884; font-size: 13px; }
nav ul { list-style: none; padding-left: .5rem; margin: .2rem 0; }
nav a { text-decoration: none; color: inherit; display: block; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
nav .m { display: inline-block; width: 3.4rem; font-weight: 600; font-size: 11px; }
main { padding: 1.5rem 2rem; max-width: 62rem; }
h2 { margin-top: 2.5rem; border-bottom: 1px solid #8884; }
.op, .schema { margin: 1.2rem 0 2rem; }
.method { font-size: 12px; padding: .1rem .4rem; border-radius: 4px; color: #fff; background: #555; }
.get { background: #1d6f42; } .post { background: #1f5fa8; } .patch { background: #8a5a00; } .delete { background: #a32121; }
code { font: 13px/1.4 ui-monospace, monospace; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: 14px; }
caption { text-align: left; font-weight: 600; }
th, td { text-align: left; vertical-align: top; border-top: 1px solid #8883; padding: .3rem .5rem; }
.req { font-size: 11px; color: #a32121; }
.summary { font-weight: 600; }
@media (max-width: 48rem) { body { display: block; } nav { position: static; height: auto; border: 0; } }
`
