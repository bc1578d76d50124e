import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { RunGuard } from '../cancellation.js'
import { ActionError } from '../errors.js'
import { secretValuesIn } from '../opencode/environment.js'
import { runReviewPipeline } from '../pipeline.js'
import { parseCliArgs, USAGE } from './args.js'
import { resultText } from './result.js'
import { reviewSource } from './target.js'
import type { Terminal } from './terminal.js'

/** The command's review: of the current branch, or of a pull request. Exit status 1 when files went unreviewed. */

export async function reviewFromCommandLine(argv: string[], terminal: Terminal, guard: RunGuard): Promise<number> {
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
  const outcome = await runReviewPipeline(source, options.settings, {
    log: terminal.log,
    secrets: secretValuesIn(process.env),
    progress: terminal.progress,
    onServer: guard.track,
    onSession: () => undefined,
    cancel: guard.signal,
    // Where OpenCode keeps the developer's own config and credentials.
    ownOpencode: {
      config: path.join(process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'opencode'),
      data: path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'opencode')
    }
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
