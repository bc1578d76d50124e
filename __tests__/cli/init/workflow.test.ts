import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { validateWorkflow } from '@action-validator/core'
import {
  markdownSection,
  parseStrictYaml,
  readActionMetadata,
  readRepositoryFile,
  yamlBlocks,
  yamlErrors
} from '../../../__fixtures__/action-metadata.js'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type Credentials, providerCredentials } from '../../../src/cli/init/credentials.js'
import type { Feature } from '../../../src/cli/init/features.js'
import { renderWorkflow, THIS_ACTION } from '../../../src/cli/init/workflow.js'

interface Step {
  name?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
}

interface Workflow {
  on: Record<string, unknown>
  permissions: Record<string, string>
  concurrency: { group: string; 'cancel-in-progress': string | boolean }
  jobs: { review: { if?: string; steps: Step[] } }
}

const model = { providerID: 'anthropic', modelID: 'claude-sonnet-4-5' }

function written(
  features: Feature[],
  credentials: Credentials = { secrets: ['ANTHROPIC_API_KEY'], settings: [] }
): { text: string; workflow: Workflow } {
  const text = renderWorkflow({ model, features, credentials })
  return { text, workflow: parseStrictYaml(text) as Workflow }
}

/** The step that runs this action. */
function actionStep(workflow: Workflow): Step {
  return workflow.jobs.review.steps.find((step) => step.uses === THIS_ACTION)!
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
  ['review', 'comments', 'threads', 'describe'],
  ['label'],
  ['dispatch'],
  ['dispatch', 'describe'],
  ['review', 'label'],
  ['comments', 'dispatch'],
  ['review', 'comments', 'threads', 'label', 'dispatch', 'describe']
]

describe('the workflow init writes', () => {
  it.each(combinations)(
    'for %j is strict YAML and a valid workflow, giving the action only its inputs',
    (...features) => {
      const { text, workflow } = written(features)
      expect(problems(text)).toEqual([])
      const action = actionStep(workflow)
      expect(Object.keys(action.with ?? {}).filter((name) => !(name in readActionMetadata().inputs))).toEqual([])
    }
  )

  it('review: runs on pull_request only, cancels the review of an older push', () => {
    const { workflow } = written(['review'])
    expect(Object.keys(workflow.on)).toEqual(['pull_request'])
    // issues: write keeps the learnings issue (docs/learnings.md); checks: write the verdict's check run.
    expect(workflow.permissions).toEqual({
      contents: 'read',
      'pull-requests': 'write',
      issues: 'write',
      checks: 'write'
    })
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
    expect(workflow.jobs.review.steps[0].with?.ref).toContain("format('refs/pull/{0}/head', github.event.issue.number)")
    // Nothing it runs on is a push: no review is cancelled.
    expect(workflow.concurrency['cancel-in-progress']).toBe(false)
    expect(written(['review', 'comments']).workflow.concurrency['cancel-in-progress']).toBe(
      "${{ github.event_name == 'pull_request' }}"
    )
  })

  it('threads: pull_request_review_comment starting with /review, each reply in a group of its own', () => {
    const { workflow } = written(['threads'])
    expect(workflow.on).toEqual({ pull_request_review_comment: { types: ['created'] } })
    // issues: write keeps the learnings issue (docs/learnings.md); checks: write the verdict's check run.
    expect(workflow.permissions).toEqual({
      contents: 'read',
      'pull-requests': 'write',
      issues: 'write',
      checks: 'write'
    })
    expect(workflow.jobs.review.if).toBe(
      "(github.event_name != 'pull_request_review_comment' || startsWith(github.event.comment.body, '/review'))"
    )
    expect(workflow.concurrency.group).toContain("format('-reply-{0}', github.event.comment.id)")
  })

  it('describe: sets describe, with pull-requests: write', () => {
    const { workflow } = written(['review', 'describe'])
    expect(actionStep(workflow).with).toEqual({ model: 'anthropic/claude-sonnet-4-5', describe: true })
    expect(workflow.permissions['pull-requests']).toBe('write')
    expect(actionStep(written(['review']).workflow).with).toEqual({ model: 'anthropic/claude-sonnet-4-5' })
  })

  it('label: pull_request labeled with the trigger label, other labels start nothing, and the label is removed (issues: write)', () => {
    const { workflow } = written(['review', 'label'])
    expect(workflow.on).toEqual({
      pull_request: { types: ['opened', 'synchronize', 'reopened', 'ready_for_review', 'labeled'] }
    })
    expect(actionStep(workflow).with).toEqual({ model: 'anthropic/claude-sonnet-4-5', 'trigger-label': 'ai-review' })
    expect(workflow.permissions.issues).toBe('write')
    expect(workflow.jobs.review.if).toBe("(github.event.action != 'labeled' || github.event.label.name == 'ai-review')")
    // Adding the label asks for a review: it cancels none.
    expect(workflow.concurrency['cancel-in-progress']).toBe(
      "${{ github.event_name == 'pull_request' && github.event.action != 'labeled' }}"
    )
    expect(written(['label']).workflow.on).toEqual({ pull_request: { types: ['labeled'] } })
  })

  it("dispatch: workflow_dispatch with a pr-number input, passed to the action, the pull request's head checked out", () => {
    const { workflow } = written(['dispatch'])
    expect(workflow.on).toEqual({
      workflow_dispatch: { inputs: { 'pr-number': { description: 'Pull request to review', required: true } } }
    })
    expect(actionStep(workflow).with).toEqual({
      model: 'anthropic/claude-sonnet-4-5',
      'pr-number': '${{ inputs.pr-number }}'
    })
    expect(workflow.jobs.review.steps[0].with?.ref).toBe(
      "${{ (inputs.pr-number) && format('refs/pull/{0}/head', inputs.pr-number) || '' }}"
    )
    expect(workflow.concurrency).toEqual({
      group: 'opencode-review-${{ github.event.pull_request.number || inputs.pr-number }}',
      'cancel-in-progress': false
    })
  })

  it('is the whole workflow docs/on-demand.md shows, for all the features it shows', () => {
    const { workflow } = written(['review', 'comments', 'threads', 'label', 'dispatch'])
    const [documented] = yamlBlocks(markdownSection(readRepositoryFile('docs/on-demand.md'), 'The whole workflow'))
    const docs = parseStrictYaml(documented.text) as Workflow
    const shape = ({ on, permissions, concurrency, jobs }: Workflow) => ({
      on,
      permissions,
      concurrency,
      if: jobs.review.if,
      checkout: jobs.review.steps[0]
    })

    expect(shape(docs)).toEqual(shape(workflow))
    // The page sets more inputs; those the features need are the same.
    expect(actionStep(docs).with).toMatchObject(actionStep(workflow).with ?? {})
  })

  it('pins actions/checkout by commit, the version beside it, and gives secrets from secrets and settings from variables', () => {
    const { text, workflow } = written(['review'], providerCredentials({ providerID: 'azure', modelID: 'gpt-5' }))
    expect(text).toMatch(/uses: actions\/checkout@[0-9a-f]{40} # v\d+\.\d+\.\d+\n/)
    expect(actionStep(workflow).env).toEqual({
      AZURE_API_KEY: '${{ secrets.AZURE_API_KEY }}',
      AZURE_RESOURCE_NAME: '${{ vars.AZURE_RESOURCE_NAME }}'
    })
    const bedrock = written(['review'], providerCredentials({ providerID: 'amazon-bedrock', modelID: 'm' }))
    expect(actionStep(bedrock.workflow).env).toEqual({
      AWS_BEARER_TOKEN_BEDROCK: '${{ secrets.AWS_BEARER_TOKEN_BEDROCK }}',
      // An empty region would not fall back to OpenCode's default: the workflow gives it.
      AWS_REGION: "${{ vars.AWS_REGION || 'us-east-1' }}"
    })
    expect(bedrock.text).toContain('# Or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead of the Bedrock API key')
  })

  describe.each(['google-vertex', 'google-vertex-anthropic'])('for %s', (providerID) => {
    let temp: string
    beforeEach(() => {
      temp = mkdtempSync(path.join(tmpdir(), 'runner-temp-'))
    })
    afterEach(() => rmSync(temp, { recursive: true, force: true }))

    it('writes the key from its secret into a file of the runner, which GOOGLE_APPLICATION_CREDENTIALS names', () => {
      const { text, workflow } = written(['review'], providerCredentials({ providerID, modelID: 'gemini-2.5-pro' }))
      expect(problems(text)).toEqual([])
      const steps = workflow.jobs.review.steps
      const write = steps.find((step) => step.run !== undefined)!
      expect(steps.indexOf(write)).toBeLessThan(steps.indexOf(actionStep(workflow)))
      const key = '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n..."}\n'

      // The step as the runner runs it: its script with bash, its env with the secret's value.
      execFileSync('bash', ['-e', '-c', write.run!], {
        env: {
          PATH: process.env.PATH,
          RUNNER_TEMP: temp,
          GOOGLE_APPLICATION_CREDENTIALS_JSON: key
        }
      })
      expect(write.env).toEqual({
        GOOGLE_APPLICATION_CREDENTIALS_JSON: '${{ secrets.GOOGLE_APPLICATION_CREDENTIALS_JSON }}'
      })
      const env = actionStep(workflow).env!
      const file = env.GOOGLE_APPLICATION_CREDENTIALS.replace('${{ runner.temp }}', temp)
      expect(readFileSync(file, 'utf8')).toBe(key)
      expect(statSync(file).mode & 0o777).toBe(0o600)
      // A path outside the checkout, not the key: the key is in no variable of the action's step.
      expect(path.dirname(file)).toBe(temp)
      expect(Object.values(env).join('\n')).not.toContain('secrets.GOOGLE_APPLICATION_CREDENTIALS_JSON')
    })
  })

  it("names this action by the major tag the README's workflows use, which the first release makes", () => {
    const readme = readRepositoryFile('README.md')
    expect([...new Set(readme.match(/opencode-pr-review\/opencode-pr-review@v\d+/g))]).toEqual([THIS_ACTION])
  })

  it("pins the same actions/checkout as this repository's own workflows", () => {
    const pin = (text: string) => /uses: (actions\/checkout@.*)$/m.exec(text)?.[1]
    expect(pin(written(['review']).text)).toBe(pin(readRepositoryFile('.github/workflows/review.yml')))
  })

  it('quotes a model id YAML would misread', () => {
    const text = renderWorkflow({
      model: { providerID: 'openrouter', modelID: 'x/y:free #1' },
      features: ['review'],
      credentials: { secrets: [], settings: [] }
    })
    expect(problems(text)).toEqual([])
    expect(actionStep(parseStrictYaml(text) as Workflow).with?.model).toBe('openrouter/x/y:free #1')
  })
})
