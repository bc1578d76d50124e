import type { RunGuard } from '../cancellation.js'
import { runEval } from '../eval/run.js'
import { secretValuesIn } from '../opencode/environment.js'
import { EVAL_USAGE, parseEvalArgs, readConfigArgument } from './args.js'
import { cacheHome, ownOpencode, prepareLocalRun } from './local-opencode.js'
import { requireProviderKeys } from './keys.js'
import { withOwnConfig } from './own-config.js'
import type { Terminal } from './terminal.js'

/** `opencode-pr-review eval`: the benchmark run, its table on stdout and its files in --out; returns the exit code. */
export async function evalFromCommandLine(argv: string[], terminal: Terminal, guard: RunGuard): Promise<number> {
  const options = parseEvalArgs(argv, readConfigArgument, cacheHome())
  if (!options) {
    terminal.result(EVAL_USAGE)
    return 0
  }
  prepareLocalRun()
  const own = ownOpencode()
  const settings = withOwnConfig(options.settings, own, process.env)
  requireProviderKeys(settings, own, process.env, [options.judgeModel])
  const { summary, table, files } = await runEval(
    { ...options, settings },
    {
      log: terminal.log,
      say: terminal.info,
      secrets: secretValuesIn(process.env),
      progress: terminal.progress,
      onServer: guard.track,
      onSession: () => undefined,
      cancel: guard.signal,
      ownOpencode: own,
      githubToken: process.env.GITHUB_TOKEN || process.env.GH_TOKEN
    }
  )
  terminal.info(`Results: ${files.markdown} and ${files.json}`)
  terminal.result(table)
  // A pull request left out of the scores makes the run incomplete.
  return summary.failed.length ? 1 : 0
}
