#!/usr/bin/env node
import { guardRun } from './cancellation.js'
import { evalFromCommandLine } from './cli/eval.js'
import { reviewFromCommandLine } from './cli/review.js'
import { openTerminal } from './cli/terminal.js'
import { ActionError, errorMessage } from './errors.js'

/** The local command's entry: `eval` measures review quality, anything else reviews. */
async function runCli(argv: string[]): Promise<number> {
  const terminal = openTerminal()
  const guard = guardRun(terminal.info)
  try {
    return argv[0] === 'eval'
      ? await evalFromCommandLine(argv.slice(1), terminal, guard)
      : await reviewFromCommandLine(argv, terminal, guard)
  } catch (error) {
    terminal.close()
    // Ctrl-C: the review was aborted and the server stopped, as asked.
    const cancelled = guard.exitCode()
    if (cancelled !== undefined) return cancelled
    process.stderr.write(
      `error: ${error instanceof ActionError ? error.message : `Unexpected error: ${errorMessage(error)}`}\n`
    )
    return 1
  } finally {
    terminal.close()
  }
}

process.exitCode = await runCli(process.argv.slice(2))
