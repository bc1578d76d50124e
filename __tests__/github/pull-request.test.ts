import { describe, expect, it } from '@jest/globals'
import type * as github from '@actions/github'
import { commentEvent, pullRequestEvent, workflowDispatchEvent } from '../../__fixtures__/events.js'
import { instructionsAfter, resolveEventTarget as resolve } from '../../src/github/pull-request.js'

const resolveEventTarget = (context: Context, prNumber: number | undefined) => resolve(context, prNumber, '/review')

type Context = typeof github.context

function context(eventName: string, payload: Record<string, unknown>): Context {
  return { eventName, payload, repo: { owner: 'octo-org', repo: 'octo-repo' } } as unknown as Context
}

describe('resolveEventTarget', () => {
  it.each(['opened', 'synchronize', 'reopened', 'ready_for_review'])(
    'reviews pull_request %s from the real payload',
    (action) => {
      expect(resolveEventTarget(context('pull_request', pullRequestEvent(action, { number: 21 })), undefined)).toEqual({
        kind: 'review',
        pullRequest: { owner: 'octo-org', repo: 'octo-repo', number: 21 },
        action
      })
    }
  )

  it('treats pull_request_target the same way', () => {
    expect(
      resolveEventTarget(context('pull_request_target', pullRequestEvent('opened', { number: 4 })), undefined)
    ).toMatchObject({ kind: 'review', pullRequest: { number: 4 } })
  })

  it('lets pr-number override the event', () => {
    expect(resolveEventTarget(context('pull_request', pullRequestEvent('opened', { number: 4 })), 9)).toMatchObject({
      pullRequest: { number: 9 }
    })
  })

  it.each(['closed', 'unlabeled', 'converted_to_draft'])('skips pull_request %s with a reason', (action) => {
    const target = resolveEventTarget(context('pull_request', pullRequestEvent(action)), undefined)
    expect(target).toEqual({ kind: 'skip', reason: expect.stringContaining(`action '${action}'`) })
  })

  it('reviews when the trigger label is added, whatever its case, naming the label to remove', () => {
    const payload = pullRequestEvent('labeled', { number: 21, label: 'AI-Review' })
    expect(resolve(context('pull_request_target', payload), undefined, '/review', 'ai-review')).toEqual({
      kind: 'review',
      pullRequest: { owner: 'octo-org', repo: 'octo-repo', number: 21 },
      action: 'labeled',
      label: 'AI-Review'
    })
  })

  it.each([
    ['ai-review', "The label 'bug' is not the trigger label 'ai-review': nothing to review."],
    [undefined, "The label 'bug' is not the trigger label (input 'trigger-label' is empty): nothing to review."]
  ])('skips another label (trigger label %s)', (triggerLabel, reason) => {
    const payload = pullRequestEvent('labeled', { label: 'bug' })
    expect(resolve(context('pull_request', payload), undefined, '/review', triggerLabel)).toEqual({
      kind: 'skip',
      reason
    })
  })

  it('takes workflow_dispatch from pr-number', () => {
    expect(resolveEventTarget(context('workflow_dispatch', workflowDispatchEvent()), 33)).toMatchObject({
      kind: 'review',
      pullRequest: { number: 33 }
    })
  })

  it('requires pr-number on workflow_dispatch', () => {
    expect(() => resolveEventTarget(context('workflow_dispatch', workflowDispatchEvent()), undefined)).toThrow(
      "needs the input 'pr-number'"
    )
  })

  it('names the supported events when given another', () => {
    expect(() => resolveEventTarget(context('push', {}), undefined)).toThrow(
      "The event 'push' is not supported: run this action on 'pull_request', 'pull_request_target', 'issue_comment' ('/review' comments)"
    )
  })

  it('reviews on a /review comment on a pull request, with what follows as instructions', () => {
    const payload = commentEvent('issue_comment', {
      number: 12,
      body: '/review  focus on the SQL\nand the tests',
      login: 'maintainer',
      association: 'MEMBER'
    })
    expect(resolveEventTarget(context('issue_comment', payload), undefined)).toEqual({
      kind: 'review',
      pullRequest: { owner: 'octo-org', repo: 'octo-repo', number: 12 },
      action: 'comment',
      trigger: {
        event: 'issue_comment',
        commentId: payload.comment.id,
        author: 'maintainer',
        association: 'MEMBER',
        instructions: 'focus on the SQL\nand the tests',
        url: payload.comment.html_url
      }
    })
  })

  it('takes a /review comment on a line of the diff too', () => {
    const payload = commentEvent('pull_request_review_comment', { number: 5, body: '/review' })
    expect(resolveEventTarget(context('pull_request_review_comment', payload), undefined)).toMatchObject({
      kind: 'review',
      pullRequest: { number: 5 },
      trigger: { event: 'pull_request_review_comment', instructions: '' }
    })
  })

  it.each([
    ['an ordinary comment', commentEvent('issue_comment', { body: 'Looks good to me' }), 'does not start with'],
    [
      'a comment on an issue',
      commentEvent('issue_comment', { body: '/review', onIssue: true }),
      'on an issue, not a pull request'
    ],
    ['an edited comment', commentEvent('issue_comment', { action: 'edited', body: '/review' }), 'this one was edited']
  ])('skips %s', (_, payload, reason) => {
    expect(resolveEventTarget(context('issue_comment', payload), undefined)).toEqual({
      kind: 'skip',
      reason: expect.stringContaining(reason)
    })
  })
})

describe('instructionsAfter', () => {
  it('names the thread a reply on a line of the diff is in', () => {
    const payload = commentEvent('pull_request_review_comment', { number: 5, body: '/review why?', inReplyTo: 900 })
    expect(resolveEventTarget(context('pull_request_review_comment', payload), undefined)).toMatchObject({
      kind: 'review',
      trigger: { event: 'pull_request_review_comment', instructions: 'why?', replyTo: 900 }
    })
    const opening = commentEvent('pull_request_review_comment', { number: 5, body: '/review' })
    const target = resolveEventTarget(context('pull_request_review_comment', opening), undefined)
    expect(target.kind === 'review' && target.trigger).not.toHaveProperty('replyTo')
  })

  it('matches the phrase as a whole word at the start, in any case', () => {
    expect(instructionsAfter('  /Review please', '/review')).toBe('please')
    expect(instructionsAfter('/review', '/review')).toBe('')
    expect(instructionsAfter('/reviewer ok', '/review')).toBeUndefined()
    expect(instructionsAfter('please /review', '/review')).toBeUndefined()
    expect(instructionsAfter('@bot review now', '@bot review')).toBe('now')
  })

  it('fails on a pull_request payload without a pull request', () => {
    expect(() => resolveEventTarget(context('pull_request', { action: 'opened' }), undefined)).toThrow(
      'has no pull request number'
    )
  })
})
