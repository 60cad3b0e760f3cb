import { type DatabaseConfig, databaseConfigSchema, parseConfig } from '../../functions/config.ts'
import type { Database } from '../../functions/db/database.ts'
import { openConfiguredDatabase } from '../../functions/entries/node-database.ts'

// The developer commands name these as they always have; they live beside the Node root.
export { pgliteDataDir, redactUrl } from '../../functions/entries/node-database.ts'

/** What the developer commands read from the environment (the DB_* settings); a wrong value stops them, naming it. */
export type ScriptEnv = DatabaseConfig

export function readScriptEnv(env: NodeJS.ProcessEnv = process.env): ScriptEnv {
  return parseConfig(databaseConfigSchema, env)
}

/** The database the developer commands act on, and a line saying which it is. */
export function openScriptDatabase(env = readScriptEnv()): Promise<{ db: Database; where: string }> {
  return openConfiguredDatabase(env)
}
