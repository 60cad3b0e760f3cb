import { beforeAll, describe, expect, it } from 'vitest'
import { buildWeb, formatAssetSizes, type WebBuild } from './build.ts'

describe('the dashboard build', () => {
  let build: WebBuild
  beforeAll(async () => {
    build = await buildWeb()
  })

  it('should point index.html at the hashed entry script and stylesheet it built', () => {
    const index = build.assets.find((a) => a.path === 'index.html')
    const html = new TextDecoder().decode(index?.body)
    const script = /src="\.\/(assets\/main-[A-Z0-9]+\.js)"/.exec(html)?.[1]
    const style = /href="\.\/(assets\/app-[A-Z0-9]+\.css)"/.exec(html)?.[1]
    expect(build.assets.map((a) => a.path)).toEqual(expect.arrayContaining([script, style]))
    expect(index?.immutable).toBe(false)
    expect(build.assets.find((a) => a.path === script)?.immutable).toBe(true)
  })

  it('should keep chart.js and the screens out of what the first visit downloads', () => {
    expect(build.initialInputs.some((p) => p.includes('node_modules/preact/'))).toBe(true)
    expect(build.initialInputs.filter((p) => p.includes('node_modules/chart.js/'))).toEqual([])
    expect(
      build.initialInputs.filter(
        (p) => p.startsWith('web/src/screens/') && !p.endsWith('sign-in.ts') && !p.endsWith('not-found.ts'),
      ),
    ).toEqual([])
  })

  it('should never ship a config.json: each environment brings its own', () => {
    expect(build.assets.map((a) => a.path)).not.toContain('config.json')
    expect(formatAssetSizes(build)).toMatch(/First screen: \d+\.\d kB gzip/)
  })
})
