/** The Postgres server the tests run against, when DATABASE_URL names one. */
export function testServerUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined
}

/** The same server URL with another database name. */
export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${database}`
  return url.toString()
}
