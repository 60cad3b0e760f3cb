import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { WebBuild } from './build.ts'

/**
 * Writes a build to a folder a CDN can serve as it is (web/dist). The folder
 * is emptied first so no stale chunk survives; config.json is never written:
 * each environment adds its own (web/config.example.json shows the fields).
 */
export async function writeWebBuild(build: WebBuild, outDir: string): Promise<void> {
  await rm(outDir, { recursive: true, force: true })
  for (const asset of build.assets) {
    const path = join(outDir, asset.path)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, asset.body)
  }
}
