#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { guardRun, type RunGuard } from './cancellation.js'
import { parseCliArgs, USAGE } from './cli/args.js'
import { openTerminal, type Terminal } from './cli/terminal.js'
import { ActionError, errorMessage } from './errors.js'
import { secretValuesIn } from './opencode/environment.js'
import { limitOwnModelHeaders } from './cli/own-config.js'
import { resultText } from './cli/result.js'
import { reviewSource } from './cli/target.js'
import { runReviewPipeline } from './pipeline.js'

async function reviewFromCommandLine(argv: string[], terminal: Terminal, guard: RunGuard): Promise<number> {
  const options = parseCliArgs(argv, (file) => readFileSync(file, 'utf8'))
  if (!options) {
    terminal.result(USAGE)
    return 0
  }
  // Outside a runner, OpenCode is installed into a cache of this command's own.
  process.env.RUNNER_TOOL_CACHE ||= path.join(
    process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
    'opencode-pr-review'
  )
  process.env.RUNNER_TEMP ||= os.tmpdir()
  const source = reviewSource(options, process.cwd(), process.env.GITHUB_TOKEN || process.env.GH_TOKEN, terminal.log)
  // Where OpenCode keeps the developer's own config and credentials.
  const ownOpencode = {
    config: path.join(process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'opencode'),
    data: path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'opencode')
  }
  const settings = limitOwnModelHeaders(options.settings, ownOpencode, process.env)
  const outcome = await runReviewPipeline(source, settings, {
    log: terminal.log,
    secrets: secretValuesIn(process.env),
    progress: terminal.progress,
    onServer: guard.track,
    onSession: () => undefined,
    cancel: guard.signal,
    ownOpencode
  })
  if (outcome.kind === 'skipped') throw new ActionError(outcome.reason)
  const { review, diff } = outcome
  const ownModel = options.settings.model || options.settings.config.model
  const which = ownModel ? '' : ' (the default model of your OpenCode configuration)'
  terminal.info(`Reviewed ${diff.files.length} files with ${review.model}${which}.`)
  if (source.kind === 'pull-request' && !source.post)
    terminal.info('Dry run: nothing was posted. Add --post to post it.')
  terminal.result(resultText(outcome, options.json))
  return review.unreviewed.length ? 1 : 0
}

async function runCli(argv: string[]): Promise<number> {
  const terminal = openTerminal()
  const guard = guardRun(terminal.info)
  try {
    return await reviewFromCommandLine(argv, terminal, guard)
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
