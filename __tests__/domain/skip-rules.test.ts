import { describe, expect, it } from '@jest/globals'
import type { PullRequest } from '../../src/domain/pull-request.js'
import { skipReason } from '../../src/domain/skip-rules.js'

const pullRequest = {
  number: 3,
  title: 'Bump lodash',
  body: 'Automated update.',
  author: 'dependabot[bot]',
  draft: false,
  labels: ['dependencies']
} as PullRequest
const none = { skipDrafts: true, skipAuthors: [], skipLabels: [] }

describe('skipReason', () => {
  it('reviews when no rule applies', () => {
    expect(skipReason(pullRequest, none)).toBeUndefined()
  })

  it('skips drafts only when asked to', () => {
    expect(skipReason({ ...pullRequest, draft: true }, none)).toContain("is a draft: skipped ('skip-drafts' is true)")
    expect(skipReason({ ...pullRequest, draft: true }, { ...none, skipDrafts: false })).toBeUndefined()
  })

  it('skips listed authors, by name or glob, in any case', () => {
    expect(skipReason(pullRequest, { ...none, skipAuthors: ['Dependabot[bot]'] })).toBe(
      "Pull request #3 is by dependabot[bot]: skipped ('skip-authors' has 'Dependabot[bot]')."
    )
    expect(skipReason(pullRequest, { ...none, skipAuthors: ['*[bot]'] })).toContain('skip-authors')
    expect(
      skipReason(pullRequest, {
        ...none,
        skipAuthors: ['renovate[bot]', 'dependabot', 'dependabot[bot]x', 'dependabotXbot']
      })
    ).toBeUndefined()
  })

  it('skips pull requests with a listed label', () => {
    expect(skipReason(pullRequest, { ...none, skipLabels: ['no-review', 'Dependencies'] })).toBe(
      "Pull request #3 has the label 'dependencies': skipped ('skip-labels')."
    )
  })

  it('skips on [skip review] in the title or description', () => {
    expect(skipReason({ ...pullRequest, title: 'WIP [Skip Review]' }, none)).toContain('[skip review]')
    expect(skipReason({ ...pullRequest, body: 'Trivial.\n\n[skip review]' }, none)).toContain('[skip review]')
  })
})
