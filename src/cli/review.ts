import type { RunGuard } from '../cancellation.js'
import { describeConventions } from '../conventions/budget.js'
import { ActionError } from '../errors.js'
import { counted } from '../logger.js'
import { secretValuesIn } from '../opencode/environment.js'
import { runReviewPipeline } from '../pipeline.js'
import { parseCliArgs, readConfigArgument, USAGE } from './args.js'
import { ownOpencode, prepareLocalRun } from './local-opencode.js'
import { requireProviderKeys } from './keys.js'
import { withOwnConfig } from './own-config.js'
import { resultText } from './result.js'
import { reviewSource } from './target.js'
import type { Terminal } from './terminal.js'

/** The command's review: the local branch or a pull request, printed (and with --post posted); returns the exit code. */
export async function reviewFromCommandLine(argv: string[], terminal: Terminal, guard: RunGuard): Promise<number> {
  const options = parseCliArgs(argv, readConfigArgument)
  if (!options) {
    terminal.result(USAGE)
    return 0
  }
  prepareLocalRun()
  const source = reviewSource(options, process.cwd(), process.env.GITHUB_TOKEN || process.env.GH_TOKEN, terminal.log)
  const own = ownOpencode()
  const settings = withOwnConfig(options.settings, own, process.env)
  requireProviderKeys(settings, own, process.env)
  const outcome = await runReviewPipeline(source, settings, {
    log: terminal.log,
    secrets: secretValuesIn(process.env),
    progress: terminal.progress,
    onServer: guard.track,
    onSession: () => undefined,
    cancel: guard.signal,
    ownOpencode: own
  })
  if (outcome.kind === 'skipped') throw new ActionError(outcome.reason)
  const { review, diff } = outcome
  const which = options.settings.model ? '' : ' (the model your OpenCode configuration names)'
  terminal.info(`Reviewed ${counted(diff.files.length, 'file')} with ${review.model}${which}.`)
  const conventions = describeConventions(outcome.conventions)
  terminal.info(
    conventions.length
      ? `Repository conventions used, from the base commit:\n${conventions.map((line) => `  ${line}`).join('\n')}`
      : 'Repository conventions used: none.'
  )
  if (source.kind === 'pull-request' && !source.post)
    terminal.info('Dry run: nothing was posted. Add --post to post it.')
  terminal.result(resultText(outcome, options.json))
  return review.unreviewed.length ? 1 : 0
}
