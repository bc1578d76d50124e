import { parseStrictYaml } from './action-metadata.js'

/**
 * A workflow as a user writes it (the README's quick start, a page of docs/, what `init` writes): this
 * action's step, its `with:` and `env:` evaluated as the runner evaluates them, for the runner emulation
 * (__fixtures__/runner.ts) to run.
 */

/** This action, as workflows name it. */
const THIS_ACTION = /^opencode-pr-review\/opencode-pr-review@/

export interface WorkflowRun {
  /** The repository's secrets. One it does not hold is '', as GitHub evaluates it (a fork's `pull_request` gets none). */
  secrets: Record<string, string>
  /** What `${{ github.token }}` is. */
  githubToken: string
  /** `workflow_dispatch`'s inputs. */
  inputs?: Record<string, string>
}

export interface ActionStep {
  /** The events of the workflow's `on:`. */
  events: string[]
  /** The step's `with:`, evaluated. */
  inputs: Record<string, string>
  /** The workflow's, the job's and the step's `env:`, each over the one before, evaluated. */
  env: Record<string, string>
}

/** `${{ secrets.NAME }}`, `${{ github.token }}` and `${{ inputs.NAME }}`; any other expression is beyond the emulation. */
function evaluate(value: unknown, run: WorkflowRun): string {
  return String(value).replace(/\$\{\{\s*(.*?)\s*\}\}/g, (whole, expression: string) => {
    if (expression === 'github.token' || expression === 'secrets.GITHUB_TOKEN') return run.githubToken
    const secret = /^secrets\.(\w+)$/.exec(expression)
    if (secret) return run.secrets[secret[1]] ?? ''
    const input = /^inputs\.([\w-]+)$/.exec(expression)
    if (input) return run.inputs?.[input[1]] ?? ''
    throw new Error(`The runner emulation cannot evaluate ${whole}`)
  })
}

type Mapping = Record<string, unknown>

function evaluateAll(values: unknown, run: WorkflowRun): Record<string, string> {
  return Object.fromEntries(
    Object.entries((values ?? {}) as Mapping).map(([name, value]) => [name, evaluate(value, run)])
  )
}

/** The step of `workflow` (its YAML) that uses this action, as the runner would run it in `run`. */
export function actionStep(workflow: string, run: WorkflowRun): ActionStep {
  const parsed = parseStrictYaml(workflow) as { on: unknown; env?: Mapping; jobs: Record<string, Mapping> }
  const events = typeof parsed.on === 'string' ? [parsed.on] : Object.keys(parsed.on as Mapping)
  for (const job of Object.values(parsed.jobs)) {
    const step = (job.steps as Mapping[]).find((candidate) => THIS_ACTION.test(String(candidate.uses ?? '')))
    if (!step) continue
    return {
      events,
      inputs: evaluateAll(step.with, run),
      env: { ...evaluateAll(parsed.env, run), ...evaluateAll(job.env, run), ...evaluateAll(step.env, run) }
    }
  }
  throw new Error('The workflow has no step that uses opencode-pr-review/opencode-pr-review')
}
