import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { pullRequestEvent, workflowDispatchEvent } from '../../__fixtures__/events.js'
import type { FakeGitHub } from '../../__fixtures__/fake-github.js'
import { type FakeModel, promptText } from '../../__fixtures__/fake-model.js'
import { type Job, runStep } from '../../__fixtures__/runner.js'
import { pull, type Scenario, startScenario } from './scenario.js'

jest.setTimeout(180_000)

let world: Scenario
let model: FakeModel
let github: FakeGitHub

beforeEach(async () => {
  world = await startScenario([
    pull(12, { title: 'Ready one', body: null }),
    pull(13, {
      title: 'Draft one',
      draft: true,
      diff: 'diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-a\n+b\n'
    }),
    pull(14, {
      title: 'Only a lockfile',
      diff: 'diff --git a/yarn.lock b/yarn.lock\n--- a/yarn.lock\n+++ b/yarn.lock\n@@ -1 +1 @@\n-a\n+b\n'
    })
  ])
  model = world.model
  github = world.github
})

afterEach(() => world.close())

function job(eventName: string, payload: Record<string, unknown>, inputs: Record<string, string> = {}): Job {
  return world.job({ eventName, payload, inputs })
}

describe('an agent nobody defined', () => {
  it('fails, naming where it was looked for, before the model is called', async () => {
    const run = await runStep(job('pull_request', pullRequestEvent('opened', { number: 12 }), { agent: 'ghost' }))
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      expect.stringContaining(
        "Input 'agent' names 'ghost', which is defined neither under \"agent\" in the 'config' input nor in .opencode/agent/ghost.md"
      )
    ])
    expect(
      github.requests.filter((request) => request.operationId === 'repos/get-content').map((request) => request.status)
    ).toEqual([404, 404])
    expect(model.requests).toEqual([])
  })
})

describe('events', () => {
  it('reviews the pull request named on workflow_dispatch', async () => {
    model.script([{ kind: 'reply', text: 'Manual review.' }])
    const run = await runStep(
      job('workflow_dispatch', workflowDispatchEvent({ 'pr-number': '12' }), { 'pr-number': '12' })
    )
    expect(run.exitCode).toBe(0)
    expect(promptText(model.requests[0])).toContain('Pull request #12: Ready one')
    expect(github.reviews[0].body).toContain('Manual review.')
  })

  it('asks for pr-number on workflow_dispatch without one', async () => {
    const run = await runStep(job('workflow_dispatch', workflowDispatchEvent()))
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([expect.stringContaining("needs the input 'pr-number'")])
    expect(github.requests).toEqual([])
  })

  it('reviews pull_request_target like pull_request', async () => {
    model.script([{ kind: 'reply', text: 'Target review.' }])
    const run = await runStep(job('pull_request_target', pullRequestEvent('reopened', { number: 12 })))
    expect(run.exitCode).toBe(0)
    expect(github.reviews[0].body).toContain('Target review.')
  })

  it('refuses an event it cannot review, saying which ones it can', async () => {
    const run = await runStep(job('push', { ref: 'refs/heads/main' }))
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      expect.stringContaining("The event 'push' is not supported: run this action on 'pull_request'")
    ])
  })

  it('skips a pull_request action that is not a review trigger', async () => {
    const run = await runStep(job('pull_request', pullRequestEvent('closed', { number: 12 })))
    expect(run.exitCode).toBe(0)
    expect(run.notices).toEqual([expect.stringContaining("Nothing to review on 'pull_request' action 'closed'")])
    expect(github.requests).toEqual([])
  })

  it('skips a draft with a notice, and reviews it when skip-drafts is false', async () => {
    const skipped = await runStep(job('pull_request', pullRequestEvent('opened', { number: 13, draft: true })))
    expect(skipped.exitCode).toBe(0)
    expect(skipped.notices).toEqual([expect.stringContaining('Pull request #13 is a draft: skipped')])
    expect(model.requests).toHaveLength(0)

    model.script([{ kind: 'reply', text: 'Draft review.' }])
    const reviewed = await runStep(
      job('pull_request', pullRequestEvent('opened', { number: 13, draft: true }), { 'skip-drafts': 'false' })
    )
    expect(reviewed.exitCode).toBe(0)
    expect(github.reviews[0].body).toContain('Draft review.')
  })

  it('spends nothing on a pull request whose every file is left out', async () => {
    const run = await runStep(job('pull_request', pullRequestEvent('synchronize', { number: 14 })))
    expect(run.exitCode).toBe(0)
    expect(run.notices).toEqual([expect.stringContaining('Nothing to review in pull request #14')])
    expect(model.requests).toHaveLength(0)
    expect(github.reviews).toHaveLength(0)
  })

  it('fails on a missing pull request with what to check', async () => {
    const run = await runStep(job('workflow_dispatch', workflowDispatchEvent(), { 'pr-number': '999' }))
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([
      expect.stringContaining("Could not read pull request #999: GitHub answered 404 Not Found. Check 'pr-number'")
    ])
  })

  it.each([
    [{ model: 'no-slash' }, "Input 'model' must look like 'provider/model'"],
    [{ config: '{not json' }, "Input 'config' is not valid JSON"],
    [{ 'comment-mode': 'loud' }, "Input 'comment-mode' must be one of review, sticky, comment"]
  ])('rejects bad input %j before calling anything', async (inputs, message) => {
    const run = await runStep(job('pull_request', pullRequestEvent('opened', { number: 12 }), inputs))
    expect(run.exitCode).toBe(1)
    expect(run.errors).toEqual([expect.stringContaining(message)])
    expect(github.requests).toEqual([])
    expect(model.requests).toEqual([])
  })
})
