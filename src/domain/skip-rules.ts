import type { PullRequest } from './pull-request.js'

/** Which pull requests an automatic review passes over: `skip-drafts`, `skip-authors`, `skip-labels`. */
export interface SkipRules {
  skipDrafts: boolean
  skipAuthors: readonly string[]
  skipLabels: readonly string[]
}

const SKIP_TAG = /\[skip review\]/i

/** `*` is the only wildcard: `dependabot[bot]` means itself and `*[bot]` every bot. */
function matchesLogin(login: string, pattern: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${source}$`, 'i').test(login)
}

/**
 * Why an automatic review of this pull request is skipped, or undefined to
 * review it. A review asked for in a comment is never skipped: a maintainer
 * asked for it on purpose.
 */
export function skipReason(pullRequest: PullRequest, rules: SkipRules): string | undefined {
  const name = `Pull request #${pullRequest.number}`
  if (pullRequest.draft && rules.skipDrafts)
    return `${name} is a draft: skipped ('skip-drafts' is true). It is reviewed when marked ready for review.`
  const author = rules.skipAuthors.find((pattern) => matchesLogin(pullRequest.author, pattern))
  if (author) return `${name} is by ${pullRequest.author}: skipped ('skip-authors' has '${author}').`
  const label = pullRequest.labels.find((name) =>
    rules.skipLabels.some((skipped) => skipped.toLowerCase() === name.toLowerCase())
  )
  if (label) return `${name} has the label '${label}': skipped ('skip-labels').`
  if (SKIP_TAG.test(pullRequest.title) || SKIP_TAG.test(pullRequest.body))
    return `${name} says [skip review] in its title or description: skipped.`
  return undefined
}
