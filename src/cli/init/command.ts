import { modelName } from '../../settings.js'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { ActionError } from '../../errors.js'
import { parseModel } from '../../settings.js'
import type { Ask } from './ask.js'
import { DEFAULT_FEATURES, FEATURES, parseFeatures } from './features.js'
import { providerCredentials, storingCommands } from './credentials.js'
import { renderWorkflow, WORKFLOW_PATH } from './workflow.js'

/** `opencode-pr-review init`: writes the workflow that runs the action in the current repository. */

const DEFAULT_MODEL = 'anthropic/claude-sonnet-4-5'

export const INIT_USAGE = `Usage: opencode-pr-review init [options]

Writes ${WORKFLOW_PATH} into the current git repository: the workflow that reviews its pull requests
with this action, and prints the commands that store the model provider's key (and settings) in the repository.

  --model <p/m>         provider/model (default ${DEFAULT_MODEL})
  --features <list>     comma-separated, default ${DEFAULT_FEATURES.join(',')}:
${Object.entries(FEATURES)
  .map(([name, what]) => `                          ${name}: ${what}`)
  .join('\n')}
  --yes                 take the defaults of what is not given, without asking
  --force               overwrite an existing workflow file
  --dry-run             print the workflow instead of writing it
  -h, --help            show this help

On a terminal, what is not given is asked for; otherwise the defaults are taken.`

export interface InitIo {
  cwd: string
  /** Asks the person at the terminal; undefined when nobody is there to answer. */
  ask: Ask | undefined
  print(text: string): void
}

function repositoryRoot(cwd: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8', stdio: 'pipe' }).trim()
  } catch {
    throw new ActionError(`${cwd} is not inside a git repository: run init in the repository the workflow is for.`)
  }
}

/** Exit status: 0 once the workflow is written (or printed). */
export async function runInit(argv: string[], io: InitIo): Promise<number> {
  let values
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        model: { type: 'string' },
        features: { type: 'string' },
        yes: { type: 'boolean', short: 'y', default: false },
        force: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false }
      }
    }).values
  } catch (error) {
    throw new ActionError(`${(error as Error).message}\n\n${INIT_USAGE}`)
  }
  if (values.help) {
    io.print(INIT_USAGE)
    return 0
  }
  const ask = values.yes ? undefined : io.ask
  const model = parseModel(
    values.model ?? (await ask?.('Model (provider/model)?', DEFAULT_MODEL)) ?? DEFAULT_MODEL,
    '--model'
  )
  const credentials = providerCredentials(model)
  const features = parseFeatures(
    values.features ??
      (await ask?.(`Features (${Object.keys(FEATURES).join(', ')})?`, DEFAULT_FEATURES.join(','))) ??
      DEFAULT_FEATURES.join(',')
  )
  const workflow = renderWorkflow({ model, features, credentials })
  const secretLines = storingCommands(model, credentials)
  if (values['dry-run']) {
    io.print(`# ${WORKFLOW_PATH} (dry run: nothing written)\n${workflow}\n${secretLines.join('\n')}`)
    return 0
  }
  const target = path.join(repositoryRoot(io.cwd), WORKFLOW_PATH)
  if (existsSync(target) && !values.force)
    throw new ActionError(
      `${WORKFLOW_PATH} already exists: --force overwrites it, --dry-run prints the new one without writing.`
    )
  mkdirSync(path.dirname(target), { recursive: true })
  writeFileSync(target, workflow)
  io.print([`Wrote ${WORKFLOW_PATH}: ${features.join(', ')}, with ${modelName(model)}.`, ...secretLines].join('\n'))
  return 0
}
