import type * as github from '@actions/github'
import { ActionError } from '../errors.js'
import { modelsAsked } from '../opencode/config.js'
import { describeMissingKey, type MissingKey, missingKeys } from '../opencode/credentials.js'
import type { ActionInputs } from './inputs.js'

/** The provider keys a run needs, checked before anything is started or posted: a missing one says which line of the workflow gives it. */

type Context = typeof github.context

/** Events GitHub runs for a fork's pull request with no secrets (`pull_request_target` and `issue_comment` have them). */
const NO_SECRETS_FOR_FORKS = ['pull_request', 'pull_request_review', 'pull_request_review_comment']

export const FORKS_PAGE = 'https://github.com/opencode-pr-review/opencode-pr-review/blob/v1/docs/forks.md'

/** The fork a pull request event comes from, if it does. */
function forkOf(context: Context): string | undefined {
  if (!NO_SECRETS_FOR_FORKS.includes(context.eventName)) return undefined
  const { head, base } = (context.payload.pull_request ?? {}) as Record<
    string,
    { repo?: { full_name?: string } | null }
  >
  const from = head?.repo?.full_name
  const into = base?.repo?.full_name ?? `${context.repo.owner}/${context.repo.repo}`
  return typeof from === 'string' && from.toLowerCase() !== into.toLowerCase() ? from : undefined
}

/** Why the key is empty although the workflow may give it, when GitHub is known to hold secrets back. */
function whyNoSecrets(context: Context): string | undefined {
  const fork = forkOf(context)
  if (fork)
    return `This run is for a pull request from the fork ${fork}, and GitHub gives a fork's '${context.eventName}' run no secrets, so the key is empty whatever the workflow says. Review forks with 'pull_request_target' (${FORKS_PAGE}), or skip them with \`if: github.event.pull_request.head.repo.full_name == github.repository\` on the job.`
  if (context.actor === 'dependabot[bot]')
    return "This run was started by Dependabot, and GitHub gives Dependabot's runs only the Dependabot secrets: store the key there too (`gh secret set NAME --app dependabot`), or skip its pull requests with `skip-authors: dependabot[bot]`."
  return undefined
}

function howToGive(missing: MissingKey): string {
  const name = missing.variables[0]
  return `Add \`${name}: \${{ secrets.${name} }}\` under the action step's \`env:\` (beside its \`with:\`), and store the key as the repository secret ${name} (\`gh secret set ${name}\`).`
}

/** Fails when a model of the run certainly has no key (see missingKeys), before the server boots and before anything is posted. */
export function requireProviderKeys(inputs: ActionInputs, context: Context, env: NodeJS.ProcessEnv): void {
  const missing = missingKeys(modelsAsked(inputs), inputs.config, env)
  if (missing.length === 0) return
  const why = whyNoSecrets(context)
  const told = missing.map((key) => describeMissingKey(key, "the 'config' input"))
  throw new ActionError(
    why ? [...told, why].join('\n') : missing.map((key, index) => `${told[index]} ${howToGive(key)}`).join('\n')
  )
}
