import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { type FakeGitHub, pullSeed, startFakeGitHub } from '../../__fixtures__/fake-github.js'
import { postFinding } from '../../__fixtures__/finding-threads.js'
import type { Octokit } from '../../src/github/client.js'
import { resolveReviewThread } from '../../src/github/review-threads.js'
import type { Finding } from '../../src/domain/finding.js'

// Resolving a review thread, and the fake GitHub's GraphQL API: every query is validated against GitHub's schema.

const TOKEN = 'ghs_unitTestToken000000000000000000000000'
let github: FakeGitHub
let octokit: Octokit

beforeEach(async () => {
  github = await startFakeGitHub({
    token: TOKEN,
    pulls: [pullSeed()]
  })
  // Without the action's retries and pacing (one write a second), which the end-to-end tests run.
  octokit = getOctokit(TOKEN, { baseUrl: github.url })
})

afterEach(async () => {
  await github.close()
  expect(github.violations).toEqual([])
})

function finding(title: string, line: number): Finding {
  return { file: 'src/app.ts', startLine: line, endLine: line, severity: 'high', title, body: 'Why.' }
}

function graphqlOperations(): Array<string | undefined> {
  return github.requests.filter((request) => request.path === '/graphql').map((request) => request.operationId)
}

describe('resolveReviewThread', () => {
  it('resolves the thread on GitHub', async () => {
    const opened = postFinding(github, finding('Gone', 9))

    await resolveReviewThread(octokit, `PRRT_${opened.id}`)

    expect(opened.resolved).toBe(true)
    expect(graphqlOperations()).toEqual(['graphql/resolveReviewThread'])
  })
})

describe("the fake GitHub's GraphQL API", () => {
  /** Sends `query` as octokit does, and takes back the violations it caused (afterEach expects none left). */
  async function refused(query: string, variables: Record<string, unknown> = {}): Promise<[string, string[]]> {
    const error = await octokit.graphql(query, variables).then(
      () => new Error('answered'),
      (failure: Error) => failure
    )
    return [error.message, github.violations.splice(0)]
  }

  it('refuses and records a query that does not fit GitHub’s schema', async () => {
    const [message, violations] = await refused(
      'query { repository(owner: "octo-org", name: "octo-repo") { pullRequest(number: 7) { reviewThreads(first: 10) { nodes { outdated } } } } }'
    )
    expect(message).toContain('Cannot query field "outdated" on type "PullRequestReviewThread"')
    expect(violations).toEqual([expect.stringContaining('Did you mean "isOutdated"?')])
  })

  it('refuses and records variables of the wrong type', async () => {
    const [message, violations] = await refused(
      'query($number: Int!) { repository(owner: "octo-org", name: "octo-repo") { pullRequest(number: $number) { id } } }',
      { number: 'seven' }
    )
    expect(message).toContain('Int cannot represent non-integer value: "seven"')
    expect(violations).toHaveLength(1)
  })

  it('refuses and records a connection without `first`, or asking for more than 100, as GitHub does', async () => {
    const threads = (page: string) =>
      `query { repository(owner: "octo-org", name: "octo-repo") { pullRequest(number: 7) { reviewThreads${page} { totalCount } } } }`
    expect(await refused(threads(''))).toEqual([
      expect.stringContaining('You must provide a `first` or `last` value'),
      [expect.stringContaining('reviewThreads')]
    ])
    expect(await refused(threads('(first: 101)'))).toEqual([
      expect.stringContaining('exceeds the `first` limit of 100 records'),
      [expect.stringContaining('reviewThreads')]
    ])
  })

  it('answers an unknown thread as GitHub does, which is no violation', async () => {
    const [message, violations] = await refused(
      'mutation { resolveReviewThread(input: { threadId: "PRRT_nope" }) { thread { id } } }'
    )
    expect(message).toContain("Could not resolve to a node with the global id of 'PRRT_nope'")
    expect(violations).toEqual([])
  })
})
