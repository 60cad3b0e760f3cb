// npm run build — everything that ships as files: the Cloudflare Worker bundle
// (dist/worker). The dashboard's static build joins here with its issue.
import { buildWorker } from './build-worker.ts'
import { runMain } from './db/run-main.ts'

await runMain(async () => {
  const started = performance.now()
  const worker = await buildWorker()
  console.log(`Worker bundle: ${worker.scriptPath}`)
  console.log(`Built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
})
