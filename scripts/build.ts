// npm run build — everything that ships as files: the Cloudflare Worker bundle
// (dist/worker) and the dashboard's static site (web/dist, for any CDN), with
// the size of each dashboard asset, gzipped as a CDN serves it.
import { buildWorker } from './build-worker.ts'
import { runMain } from './db/run-main.ts'
import { buildWeb, formatAssetSizes } from './web/build.ts'
import { writeWebBuild } from './web/write.ts'

const webOut = new URL('../web/dist', import.meta.url).pathname

await runMain(async () => {
  const started = performance.now()
  const worker = await buildWorker()
  console.log(`Worker bundle: ${worker.scriptPath}`)
  const web = await buildWeb()
  await writeWebBuild(web, webOut)
  console.log(`Dashboard: ${webOut} (add a config.json beside index.html; see web/config.example.json)`)
  console.log(formatAssetSizes(web))
  console.log(`Built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
})
