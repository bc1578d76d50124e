import { describe, expect, it } from '@jest/globals'
import { validateWorkflow } from '@action-validator/core'
import {
  parseStrictYaml,
  readActionMetadata,
  readRepositoryFile,
  yamlErrors
} from '../../../__fixtures__/action-metadata.js'
import type { Feature } from '../../../src/cli/init/features.js'
import { renderWorkflow } from '../../../src/cli/init/workflow.js'

interface Workflow {
  on: Record<string, unknown>
  permissions: Record<string, string>
  concurrency: { group: string; 'cancel-in-progress': string | boolean }
  jobs: {
    review: {
      if?: string
      steps: Array<{ uses: string; with: Record<string, unknown>; env?: Record<string, string> }>
    }
  }
}

const model = { providerID: 'anthropic', modelID: 'claude-sonnet-4-5' }

function written(features: Feature[], secrets = ['ANTHROPIC_API_KEY']): { text: string; workflow: Workflow } {
  const text = renderWorkflow({ model, features, secrets })
  return { text, workflow: parseStrictYaml(text) as Workflow }
}

/** What the strict YAML loader and GitHub's workflow schema refuse in it; empty when the runner would load it. */
function problems(text: string): string[] {
  return [...yamlErrors(text), ...validateWorkflow(text).errors.map((error) => JSON.stringify(error))]
}

const combinations: Feature[][] = [
  ['review'],
  ['comments'],
  ['threads'],
  ['review', 'describe'],
  ['comments', 'describe'],
  ['review', 'comments', 'threads'],
  ['review', 'comments', 'threads', 'describe']
]

describe('the workflow init writes', () => {
  it.each(combinations)(
    'for %j is strict YAML and a valid workflow, giving the action only its inputs',
    (...features) => {
      const { text, workflow } = written(features)
      expect(problems(text)).toEqual([])
      const action = workflow.jobs.review.steps[1]
      expect(Object.keys(action.with).filter((name) => !(name in readActionMetadata().inputs))).toEqual([])
    }
  )

  it('review: runs on pull_request only, cancels the review of an older push', () => {
    const { workflow } = written(['review'])
    expect(Object.keys(workflow.on)).toEqual(['pull_request'])
    // issues: write keeps the learnings issue (docs/learnings.md).
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', issues: 'write' })
    expect(workflow.concurrency).toEqual({
      group: 'opencode-review-${{ github.event.pull_request.number }}',
      'cancel-in-progress': true
    })
    expect(workflow.jobs.review.if).toBeUndefined()
    expect(workflow.jobs.review.steps[0].with).toEqual({ 'persist-credentials': false })
  })

  it("comments: issue_comment starting with /review on a pull request, the pull request's head checked out, issues: write for the reactions", () => {
    const { workflow } = written(['comments'])
    expect(workflow.on).toEqual({ issue_comment: { types: ['created'] } })
    expect(workflow.permissions.issues).toBe('write')
    expect(workflow.jobs.review.if).toBe(
      "(github.event_name != 'issue_comment' || (github.event.issue.pull_request && startsWith(github.event.comment.body, '/review')))"
    )
    expect(workflow.jobs.review.steps[0].with.ref).toContain("format('refs/pull/{0}/head', github.event.issue.number)")
    expect(workflow.concurrency['cancel-in-progress']).toBe("${{ github.event_name == 'pull_request' }}")
  })

  it('threads: pull_request_review_comment starting with /review, each reply in a group of its own', () => {
    const { workflow } = written(['threads'])
    expect(workflow.on).toEqual({ pull_request_review_comment: { types: ['created'] } })
    // issues: write keeps the learnings issue (docs/learnings.md).
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', issues: 'write' })
    expect(workflow.jobs.review.if).toBe(
      "(github.event_name != 'pull_request_review_comment' || startsWith(github.event.comment.body, '/review'))"
    )
    expect(workflow.concurrency.group).toContain("format('-reply-{0}', github.event.comment.id)")
  })

  it('describe: sets describe, with pull-requests: write', () => {
    const { workflow } = written(['review', 'describe'])
    expect(workflow.jobs.review.steps[1].with).toEqual({ model: 'anthropic/claude-sonnet-4-5', describe: true })
    expect(workflow.permissions['pull-requests']).toBe('write')
    expect(written(['review']).workflow.jobs.review.steps[1].with).toEqual({ model: 'anthropic/claude-sonnet-4-5' })
  })

  it('pins actions/checkout by commit, the version beside it, and gives each provider variable from its secret', () => {
    const { text, workflow } = written(['review'], ['AZURE_RESOURCE_NAME', 'AZURE_API_KEY'])
    expect(text).toMatch(/uses: actions\/checkout@[0-9a-f]{40} # v\d+\.\d+\.\d+\n/)
    expect(workflow.jobs.review.steps[1].env).toEqual({
      AZURE_RESOURCE_NAME: '${{ secrets.AZURE_RESOURCE_NAME }}',
      AZURE_API_KEY: '${{ secrets.AZURE_API_KEY }}'
    })
  })

  it("pins the same actions/checkout as this repository's own workflows", () => {
    const pin = (text: string) => /uses: (actions\/checkout@.*)$/m.exec(text)?.[1]
    expect(pin(written(['review']).text)).toBe(pin(readRepositoryFile('.github/workflows/review.yml')))
  })

  it('quotes a model id YAML would misread', () => {
    const text = renderWorkflow({
      model: { providerID: 'openrouter', modelID: 'x/y:free #1' },
      features: ['review'],
      secrets: []
    })
    expect(problems(text)).toEqual([])
    expect((parseStrictYaml(text) as Workflow).jobs.review.steps[1].with.model).toBe('openrouter/x/y:free #1')
  })
})
