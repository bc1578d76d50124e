import { ActionError } from '../../errors.js'

/** What a workflow written by `init` can do; each brings its own event, permission or input. */

/** The label that asks for a review when added (`trigger-label`). */
export const TRIGGER_LABEL = 'ai-review'

export const FEATURES = {
  review: 'review each pull request when it is opened, pushed to or marked ready for review (pull_request)',
  comments: 'review on demand when a maintainer comments `/review` on a pull request (issue_comment)',
  threads: "answer a `/review <question>` reply in a finding's thread (pull_request_review_comment)",
  label: `review again when someone adds the label \`${TRIGGER_LABEL}\` (pull_request labeled, trigger-label)`,
  dispatch: 'review a pull request by its number from the Actions tab or `gh workflow run` (workflow_dispatch)',
  describe: "write the walkthrough into the pull request's description (describe: true)"
} as const

export type Feature = keyof typeof FEATURES

export const DEFAULT_FEATURES: readonly Feature[] = ['review', 'comments', 'threads']

/** The features that review a whole pull request: the walkthrough `describe` writes comes with such a review. */
const REVIEWING: readonly Feature[] = ['review', 'comments', 'label', 'dispatch']

function isFeature(name: string): name is Feature {
  return Object.hasOwn(FEATURES, name)
}

/** `review,comments`: the features named, each once, in FEATURES' order. */
export function parseFeatures(raw: string): Feature[] {
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  const unknown = names.filter((name) => !isFeature(name))
  if (unknown.length > 0)
    throw new ActionError(
      `--features: unknown ${unknown.map((name) => `'${name}'`).join(', ')}; choose from ${Object.keys(FEATURES).join(', ')}.`
    )
  const chosen = (Object.keys(FEATURES) as Feature[]).filter((feature) => names.includes(feature))
  if (chosen.length === 0)
    throw new ActionError(`--features: name at least one of ${Object.keys(FEATURES).join(', ')}.`)
  if (chosen.includes('describe') && !chosen.some((feature) => REVIEWING.includes(feature)))
    throw new ActionError(
      `--features: describe writes the walkthrough of a review, so it needs ${REVIEWING.slice(0, -1).join(', ')} or ${REVIEWING.at(-1)} beside it (e.g. review,describe).`
    )
  return chosen
}
