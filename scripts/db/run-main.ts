/** Runs a command's body; an error prints its message (not a stack) and exits 1. */
export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main()
  } catch (error) {
    console.error(`\n${error instanceof Error ? error.message : String(error)}`)
    if (process.env.DEBUG && error instanceof Error) console.error(error.stack)
    process.exitCode = 1
  }
}
