import { describe, expect, it } from '@jest/globals'
import type * as github from '@actions/github'
import { issueCommentEvent, pullRequestEvent, workflowDispatchEvent } from '../__fixtures__/events.js'
import { resolveEventTarget } from '../src/pull-request.js'

type Context = typeof github.context

function context(eventName: string, payload: Record<string, unknown>): Context {
  return { eventName, payload, repo: { owner: 'octo-org', repo: 'octo-repo' } } as unknown as Context
}

describe('resolveEventTarget', () => {
  it.each(['opened', 'synchronize', 'reopened', 'ready_for_review'])('reviews pull_request %s from the real payload', (action) => {
    expect(resolveEventTarget(context('pull_request', pullRequestEvent(action, { number: 21 })), undefined)).toEqual({
      kind: 'review',
      pullRequest: { owner: 'octo-org', repo: 'octo-repo', number: 21 }
    })
  })

  it('treats pull_request_target the same way', () => {
    expect(resolveEventTarget(context('pull_request_target', pullRequestEvent('opened', { number: 4 })), undefined)).toMatchObject({ kind: 'review', pullRequest: { number: 4 } })
  })

  it('lets pr-number override the event', () => {
    expect(resolveEventTarget(context('pull_request', pullRequestEvent('opened', { number: 4 })), 9)).toMatchObject({ pullRequest: { number: 9 } })
  })

  it.each(['closed', 'labeled', 'converted_to_draft'])('skips pull_request %s with a reason', (action) => {
    const target = resolveEventTarget(context('pull_request', pullRequestEvent(action)), undefined)
    expect(target).toEqual({ kind: 'skip', reason: expect.stringContaining(`action '${action}'`) })
  })

  it('takes workflow_dispatch from pr-number', () => {
    expect(resolveEventTarget(context('workflow_dispatch', workflowDispatchEvent()), 33)).toMatchObject({ kind: 'review', pullRequest: { number: 33 } })
  })

  it('requires pr-number on workflow_dispatch', () => {
    expect(() => resolveEventTarget(context('workflow_dispatch', workflowDispatchEvent()), undefined)).toThrow("needs the input 'pr-number'")
  })

  it('names the supported events when given another', () => {
    expect(() => resolveEventTarget(context('issue_comment', issueCommentEvent()), undefined)).toThrow(
      "The event 'issue_comment' is not supported: run this action on 'pull_request', 'pull_request_target' or 'workflow_dispatch'"
    )
  })

  it('fails on a pull_request payload without a pull request', () => {
    expect(() => resolveEventTarget(context('pull_request', { action: 'opened' }), undefined)).toThrow('has no pull request number')
  })
})
