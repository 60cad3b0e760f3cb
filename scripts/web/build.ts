import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'

const webRoot = new URL('../../web/', import.meta.url).pathname

/** One file of the built dashboard, as a CDN would serve it. */
export interface WebAsset {
  /** Path from the site root, e.g. `assets/main-3F2A1B.js`. */
  path: string
  contentType: string
  body: Uint8Array
  /** Hashed names never change content: cache them for a year. index.html must always revalidate. */
  immutable: boolean
  gzipBytes: number
}

export interface WebBuild {
  assets: WebAsset[]
  /** The scripts a first visit downloads before anything is shown: the entry and its static imports. */
  initialScripts: string[]
  /** The source files bundled into those scripts (paths relative to the repository). */
  initialInputs: string[]
  milliseconds: number
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
}
const typeOf = (path: string) => contentTypes[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream'

/**
 * Builds the dashboard in memory: one ES module entry, code split so chart.js
 * loads only when the overview first needs it, minified, hashed names. The
 * caller writes the files (`npm run build`) or serves them (`npm start`).
 * config.json is not part of the build: each environment puts its own beside
 * index.html, so one build serves every environment.
 */
export async function buildWeb(options: { minify?: boolean } = {}): Promise<WebBuild> {
  const started = performance.now()
  const minify = options.minify ?? true
  const result = await esbuild.build({
    entryPoints: { main: `${webRoot}src/main.ts`, app: `${webRoot}src/styles/app.css` },
    bundle: true,
    splitting: true,
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    minify,
    sourcemap: 'linked',
    metafile: true,
    write: false,
    outdir: `${webRoot}dist/assets`,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: '[name]-[hash]',
    // supabase-js reads process.env in a few places; the browser has none.
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'linked',
    logLevel: 'silent',
  })
  const assetsDir = `${webRoot}dist/`
  const assets: WebAsset[] = result.outputFiles.map((file) => {
    const path = file.path.slice(assetsDir.length)
    return asset(path, file.contents, true)
  })
  const entryJs = assets.find((a) => /^assets\/main-[^/]+\.js$/.test(a.path))
  const entryCss = assets.find((a) => /^assets\/app-[^/]+\.css$/.test(a.path))
  if (!entryJs || !entryCss) throw new Error('The web build produced no entry script or stylesheet')
  const template = await readFile(`${webRoot}index.html`, 'utf8')
  const html = template
    .replace('/assets/main.js', `./${entryJs.path}`)
    .replace('/assets/app.css', `./${entryCss.path}`)
  if (html === template) throw new Error('web/index.html must reference /assets/main.js and /assets/app.css')
  assets.push(asset('index.html', new TextEncoder().encode(html), false))
  const initialScripts = staticClosure(result.metafile, `${webRoot}dist/${entryJs.path}`).map((p) =>
    p.slice(assetsDir.length),
  )
  const example = await readFile(`${webRoot}config.example.json`)
  assets.push(asset('config.example.json', example, false))
  const initialInputs = [
    ...new Set(
      initialScripts.flatMap((p) =>
        Object.keys(result.metafile.outputs[relativeToCwd(`${assetsDir}${p}`)]?.inputs ?? {}),
      ),
    ),
  ]
  return { assets, initialScripts, initialInputs, milliseconds: performance.now() - started }
}

const relativeToCwd = (path: string) => path.slice(process.cwd().length + 1)

/** An output and every chunk it imports statically (not `import()`), as absolute paths. */
function staticClosure(metafile: esbuild.Metafile, entry: string): string[] {
  const cwd = process.cwd()
  const absolute = (p: string) => (p.startsWith('/') ? p : `${cwd}/${p}`)
  const outputs = new Map(Object.entries(metafile.outputs).map(([p, o]) => [absolute(p), o]))
  const seen = new Set<string>()
  const visit = (path: string) => {
    if (seen.has(path)) return
    seen.add(path)
    for (const i of outputs.get(path)?.imports ?? [])
      if (i.kind === 'import-statement') visit(absolute(i.path))
  }
  visit(entry)
  return [...seen]
}

function asset(path: string, body: Uint8Array, immutable: boolean): WebAsset {
  return { path, contentType: typeOf(path), body, immutable, gzipBytes: gzipSync(body, { level: 9 }).length }
}

/** A strong ETag for a served asset. */
export const assetEtag = (body: Uint8Array) =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`

/** What a first visit downloads, gzipped as a CDN serves it, and what loads only when needed. */
export interface FirstScreenSizes {
  /** index.html. */
  htmlGzipBytes: number
  /** Every stylesheet (the dashboard has one, linked from index.html). */
  cssGzipBytes: number
  stylesheets: number
  /** The entry script and its static imports. */
  jsGzipBytes: number
  scripts: number
  /** The three above together. */
  totalGzipBytes: number
  /** Chunks loaded by `import()` (charts, screens). */
  lazyGzipBytes: number
  lazyChunks: number
}

export function firstScreenSizes(build: WebBuild): FirstScreenSizes {
  const gzipOf = (paths: string[]) =>
    build.assets.filter((a) => paths.includes(a.path)).reduce((sum, a) => sum + a.gzipBytes, 0)
  const css = build.assets.filter((a) => a.path.endsWith('.css')).map((a) => a.path)
  const lazy = build.assets
    .filter((a) => a.path.endsWith('.js') && !build.initialScripts.includes(a.path))
    .map((a) => a.path)
  const htmlGzipBytes = gzipOf(['index.html'])
  const cssGzipBytes = gzipOf(css)
  const jsGzipBytes = gzipOf(build.initialScripts)
  return {
    htmlGzipBytes,
    cssGzipBytes,
    stylesheets: css.length,
    jsGzipBytes,
    scripts: build.initialScripts.length,
    totalGzipBytes: htmlGzipBytes + cssGzipBytes + jsGzipBytes,
    lazyGzipBytes: gzipOf(lazy),
    lazyChunks: lazy.length,
  }
}

/** The build as a table of sizes, for people: what the first screen costs is what matters. */
export function formatAssetSizes(build: WebBuild): string {
  const shown = build.assets.filter((a) => /\.(js|css|html)$/.test(a.path))
  const width = Math.max(...shown.map((a) => a.path.length))
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`.padStart(9)
  const lines = shown
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((a) => `  ${a.path.padEnd(width)}  ${kb(a.body.length)}  ${kb(a.gzipBytes)} gzip`)
  const sizes = firstScreenSizes(build)
  return [
    `  ${'file'.padEnd(width)}  ${'size'.padStart(9)}  ${'gzip'.padStart(9)}`,
    ...lines,
    '',
    `  First screen: ${kb(sizes.totalGzipBytes).trim()} gzip ` +
      `(index.html, the stylesheet and ${sizes.scripts} script(s));`,
    `  loaded when needed: ${kb(sizes.lazyGzipBytes).trim()} gzip in ${sizes.lazyChunks} chunk(s) (charts, screens).`,
  ].join('\n')
}
