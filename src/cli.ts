#!/usr/bin/env node
import { guardRun } from './cancellation.js'
import { askOnTerminal } from './cli/init/ask.js'
import { runInit } from './cli/init/command.js'
import { evalFromCommandLine } from './cli/eval.js'
import { reviewFromCommandLine } from './cli/review.js'
import { openTerminal } from './cli/terminal.js'
import { packageVersion } from './cli/version.js'
import { ActionError, errorMessage } from './errors.js'

/** The command `opencode-pr-review`: `init` writes a workflow for the action, `eval` measures review quality, anything else reviews. */

function reportError(error: unknown): number {
  process.stderr.write(
    `error: ${error instanceof ActionError ? error.message : `Unexpected error: ${errorMessage(error)}`}\n`
  )
  return 1
}

async function initFromCommandLine(argv: string[]): Promise<number> {
  const attended = process.stdin.isTTY === true && process.stdout.isTTY === true
  try {
    return await runInit(argv, {
      cwd: process.cwd(),
      ask: attended ? askOnTerminal(process.stdin, process.stdout) : undefined,
      print: (text) => process.stdout.write(`${text}\n`)
    })
  } catch (error) {
    return reportError(error)
  }
}

async function runCli(argv: string[]): Promise<number> {
  if (argv[0] === 'init') return initFromCommandLine(argv.slice(1))
  if (argv[0] === '--version' && argv.length === 1) {
    process.stdout.write(`${packageVersion()}\n`)
    return 0
  }
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
    return reportError(error)
  } finally {
    terminal.close()
  }
}

process.exitCode = await runCli(process.argv.slice(2))
