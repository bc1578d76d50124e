import type { PullRequest } from '../src/domain/pull-request.js'

/** A pull request's facts as GitHub would give them, for the tests and the bench that build prompts without GitHub. */
export function pullRequestFacts(patch: Partial<PullRequest> = {}): PullRequest {
  return {
    owner: 'octo',
    repo: 'app',
    number: 7,
    title: 'Add login',
    body: 'Adds a login form.',
    author: 'octocat',
    draft: false,
    baseRef: 'main',
    headRef: 'feature',
    baseSha: 'a'.repeat(40),
    headSha: 'b'.repeat(40),
    labels: [],
    ...patch
  }
}
