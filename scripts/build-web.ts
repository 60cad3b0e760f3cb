// npm run build:web — only the dashboard's static site (web/dist), with its sizes.
import { runMain } from './db/run-main.ts'
import { buildWeb, formatAssetSizes } from './web/build.ts'
import { writeWebBuild } from './web/write.ts'

const webOut = new URL('../web/dist', import.meta.url).pathname

await runMain(async () => {
  const web = await buildWeb()
  await writeWebBuild(web, webOut)
  console.log(`Dashboard: ${webOut} in ${(web.milliseconds / 1000).toFixed(1)} s`)
  console.log(formatAssetSizes(web))
})
