import { describe, expect, it } from '@jest/globals'
import { validateAction, validateWorkflow, type ValidationState } from '@action-validator/core'
import { readdirSync } from 'node:fs'
import { renderWorkflow } from '../src/cli/init/workflow.js'
import { REVIEWED_ACTIONS } from '../src/github/pull-request.js'
import {
  codeSpan,
  documentationFiles,
  markdownSection,
  markdownTable,
  parseStrictYaml,
  readActionMetadata,
  readRepositoryFile,
  repositoryRoot,
  yamlBlocks,
  yamlErrors
} from '../__fixtures__/action-metadata.js'

// The runner refuses a file a strict YAML loader refuses, before any of the action's code runs; a
// regular expression over the text does not notice. Each check below parses, then validates the schema.
// action.yml is read inside each test, so that a broken file fails these tests rather than the whole file.

/**
 * The validator's schema (@action-validator/core 0.6.0, its latest release) predates node24, which the runner
 * runs from v2.327.1 on, and lists node12 to node20 only. node24 is put in node20's place before the schema check;
 * any other runtime is left for the validator to refuse.
 */
function withRuntimeTheValidatorKnows(src: string): string {
  return src.replace(/^( {2}using: *['"]?)node24(['"]? *)$/m, '$1node20$2')
}

/** Why the runner would refuse this action.yml; empty when it would load it. */
function actionProblems(src: string): string[] {
  return [...yamlErrors(src), ...schemaProblems(validateAction(withRuntimeTheValidatorKnows(src)))]
}

/** Why the runner would refuse this workflow; empty when it would load it. */
function workflowProblems(src: string): string[] {
  return [...yamlErrors(src), ...schemaProblems(validateWorkflow(src))]
}

function schemaProblems(state: ValidationState): string[] {
  // As JSON, so that a failure shows the nested `states`: which branch of a oneOf failed and why.
  return state.errors.map((error) => JSON.stringify(error))
}

function isWholeWorkflow(text: string): boolean {
  return /^on:/m.test(text) && /^jobs:/m.test(text)
}

interface Workflow {
  on: string | string[] | Record<string, { types?: string[] } | null>
  jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>
}

/** The steps that run this action: `./` in this repository, `opencode-pr-review/opencode-pr-review@…` in the README. */
function stepsOfThisAction(workflow: Workflow): { with?: Record<string, unknown> }[] {
  return Object.values(workflow.jobs)
    .flatMap((job) => job.steps ?? [])
    .filter((step) => /^(?:\.\/?|opencode-pr-review\/opencode-pr-review@.+)$/.test(step.uses ?? ''))
}

function inputsPassedToThisAction(workflow: Workflow): string[] {
  return stepsOfThisAction(workflow).flatMap((step) => Object.keys(step.with ?? {}))
}

/** GitHub's activity types of `pull_request` and `pull_request_target` for a workflow that names none. */
const DEFAULT_PULL_REQUEST_TYPES = ['opened', 'synchronize', 'reopened']

/** The activity types each pull request trigger of the workflow fires on. */
function pullRequestTriggers(workflow: Workflow): { event: string; types: string[] }[] {
  const on = typeof workflow.on === 'string' ? [workflow.on] : workflow.on
  const events = Array.isArray(on) ? Object.fromEntries(on.map((event) => [event, null])) : on
  return Object.entries(events)
    .filter(([event]) => event === 'pull_request' || event === 'pull_request_target')
    .map(([event, options]) => ({ event, types: options?.types ?? DEFAULT_PULL_REQUEST_TYPES }))
}

/** The pull request events `skip-drafts` (true by default) needs: a draft is skipped, so its review waits for `ready_for_review`. */
function missingReviewEvents(workflow: Workflow): string[] {
  const skipsDrafts = stepsOfThisAction(workflow).some(
    (step) => String(step.with?.['skip-drafts'] ?? 'true') !== 'false'
  )
  return pullRequestTriggers(workflow).flatMap(({ event, types }) =>
    skipsDrafts
      ? REVIEWED_ACTIONS.filter((action) => !types.includes(action)).map((action) => `${event}: ${action}`)
      : []
  )
}

const readme = readRepositoryFile('README.md')
/** Where every input and output is documented; the README's table names the few most workflows set. */
const reference = readRepositoryFile('docs/configuration.md')
const pageBlocks = documentationFiles().flatMap((page) =>
  yamlBlocks(readRepositoryFile(page)).map((block) => ({ page, ...block }))
)
const workflowFiles = readdirSync(new URL('.github/workflows/', repositoryRoot))
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => `.github/workflows/${name}`)

describe('action.yml', () => {
  it('is strict YAML and valid action metadata', () => {
    expect(actionProblems(readRepositoryFile('action.yml'))).toEqual([])
  })

  it('runs on node24', () => {
    expect(parseStrictYaml(readRepositoryFile('action.yml'))).toMatchObject({ runs: { using: 'node24' } })
  })

  it('gives every default as a string', () => {
    // A bare `4` or `true` would load as a number or a boolean; the code and the README are compared with strings.
    const notStrings = Object.entries(readActionMetadata().inputs).filter(
      ([, input]) => input.default !== undefined && typeof input.default !== 'string'
    )
    expect(notStrings).toEqual([])
  })
})

describe('workflows', () => {
  it.each(workflowFiles)('%s is strict YAML and a valid workflow', (path) => {
    expect(workflowProblems(readRepositoryFile(path))).toEqual([])
  })

  it('give this action only inputs it declares', () => {
    const workflows = [
      ...workflowFiles.map(readRepositoryFile),
      ...pageBlocks.map((block) => block.text).filter(isWholeWorkflow)
    ]
    const passed = workflows.flatMap((text) => inputsPassedToThisAction(parseStrictYaml(text) as Workflow))
    expect(passed.length).toBeGreaterThan(0)
    expect(passed.filter((name) => !(name in readActionMetadata().inputs))).toEqual([])
  })
})

describe('README.md and docs/', () => {
  it.each(
    pageBlocks.map(({ page, line, text }) => ({
      page,
      line,
      text,
      kind: isWholeWorkflow(text) ? 'workflow' : 'fragment'
    }))
  )('$page has a valid yaml block at line $line (a $kind)', ({ text, kind }) => {
    // A fragment (a step's `with:`, say) cannot be validated as a workflow, but must still be YAML.
    expect(kind === 'workflow' ? workflowProblems(text) : yamlErrors(text)).toEqual([])
  })

  it('hold yaml blocks in the README and in the docs', () => {
    const pages = new Set(pageBlocks.map((block) => block.page))
    expect(pages).toContain('README.md')
    expect([...pages].filter((page) => page.startsWith('docs/')).length).toBeGreaterThan(1)
  })

  it("review a draft once it is marked ready: each workflow's pull request events are the ones the action's defaults need", () => {
    const [quickStart] = yamlBlocks(markdownSection(readme, 'Quick start')).filter((block) =>
      isWholeWorkflow(block.text)
    )
    const init = renderWorkflow({
      model: { providerID: 'anthropic', modelID: 'claude-sonnet-4-5' },
      features: ['review'],
      credentials: { secrets: ['ANTHROPIC_API_KEY'], settings: [] }
    })
    const workflows = [
      { where: 'README.md quick start', text: quickStart.text },
      { where: 'init', text: init },
      ...pageBlocks
        .filter((block) => isWholeWorkflow(block.text))
        .map((block) => ({ where: `${block.page}:${block.line}`, text: block.text })),
      ...workflowFiles.map((file) => ({ where: file, text: readRepositoryFile(file) }))
    ].map(({ where, text }) => ({ where, workflow: parseStrictYaml(text) as Workflow }))

    expect(pullRequestTriggers(workflows[0].workflow)).not.toEqual([])
    expect(workflows.map(({ where, workflow }) => ({ where, missing: missingReviewEvents(workflow) }))).toEqual(
      workflows.map(({ where }) => ({ where, missing: [] }))
    )
  })

  it('counts a workflow that names no types as GitHub does: opened, synchronize and reopened, so a draft marked ready is never reviewed', () => {
    const bare = 'on: pull_request\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./\n'
    expect(missingReviewEvents(parseStrictYaml(bare) as Workflow)).toEqual(['pull_request: ready_for_review'])
    // With drafts reviewed as they come, ready_for_review brings nothing new.
    expect(
      missingReviewEvents(parseStrictYaml(`${bare}        with:\n          skip-drafts: false\n`) as Workflow)
    ).toEqual([])
  })

  it('give a whole workflow in the quick start of the README', () => {
    expect(
      yamlBlocks(markdownSection(readme, 'Quick start')).filter((block) => isWholeWorkflow(block.text))
    ).not.toEqual([])
  })
})

describe('docs/configuration.md', () => {
  it('documents each input once, and only the inputs action.yml declares', () => {
    const documented = markdownTable(reference, 'Inputs').map((row) => codeSpan(row.input))
    expect(documented.sort()).toEqual(Object.keys(readActionMetadata().inputs).sort())
  })

  it('documents each output once, and only the outputs action.yml declares', () => {
    const documented = markdownTable(reference, 'Outputs').map((row) => codeSpan(row.output))
    expect(documented.sort()).toEqual(Object.keys(readActionMetadata().outputs).sort())
  })

  it("documents action.yml's defaults", () => {
    const documented = Object.fromEntries(
      markdownTable(reference, 'Inputs').map((row) => [codeSpan(row.input), codeSpan(row.default)])
    )
    const declared = Object.fromEntries(
      Object.entries(readActionMetadata().inputs).map(([name, input]) => [name, input.default])
    )
    // Strict: a missing row must not pass for an input without a default.
    expect(documented).toStrictEqual(declared)
  })

  it('reads a default only from a cell that is one code span', () => {
    const inputs = [
      '## Inputs',
      '',
      '| input | default | what it does |',
      '| --- | --- | --- |',
      '| `model` | (from `config`) | x |',
      '| `max-sessions` | `4` | x |',
      '| `prompt` | | x |'
    ].join('\n')
    expect(markdownTable(inputs, 'Inputs').map((row) => [codeSpan(row.input), codeSpan(row.default)])).toEqual([
      ['model', undefined],
      ['max-sessions', '4'],
      ['prompt', undefined]
    ])
  })
})

describe("README.md's short inputs table", () => {
  const rows = markdownTable(readme, 'Inputs')

  it('names inputs action.yml declares, each once', () => {
    const named = rows.map((row) => codeSpan(row.input))
    expect(named.length).toBeGreaterThan(0)
    expect(new Set(named).size).toBe(named.length)
    expect(named.filter((name) => name === undefined || !(name in readActionMetadata().inputs))).toEqual([])
  })

  it("gives action.yml's defaults", () => {
    const inputs = readActionMetadata().inputs
    const differing = rows
      .map((row) => ({ input: codeSpan(row.input) ?? '', documented: codeSpan(row.default) }))
      .filter(({ input, documented }) => documented !== inputs[input]?.default)
    expect(differing).toEqual([])
  })
})

describe('the checks refuse', () => {
  it('the plain scalar holding `: ` that once broke action.yml', () => {
    const broken = [
      'name: OpenCode PR Review',
      'description: Reviews pull requests.',
      'inputs:',
      '  github-token:',
      '    description: Token used to read the pull request and post the review. Needs `pull-requests: write` (and `issues: write` for sticky/comment modes).',
      '    default: ${{ github.token }}',
      'runs:',
      '  using: node20',
      '  main: dist/index.js'
    ].join('\n')
    // Both the YAML loader and the validator, each on its own.
    expect(actionProblems(broken)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Nested mappings are not allowed in compact mappings'),
        expect.stringContaining('mapping values are not allowed in this context at line 5')
      ])
    )
  })

  it('a runtime the runner does not have, while node24 passes', () => {
    const action = (using: string) => `name: a\ndescription: b\nruns:\n  using: ${using}\n  main: dist/index.js\n`
    expect(actionProblems(action('node24'))).toEqual([])
    expect(actionProblems(action('node18'))).toEqual([expect.stringContaining('/runs/using')])
  })

  it('a key given twice', () => {
    expect(yamlErrors('inputs:\n  model:\n    description: a\n  model:\n    description: b\n')).toEqual([
      expect.stringContaining('Map keys must be unique')
    ])
  })

  it.each([
    ['no runs-on', '    steps:\n      - run: npm test\n', '/jobs/review/runs-on'],
    [
      'a misspelled key',
      '    runs-on: ubuntu-latest\n    stepz:\n      - run: npm test\n',
      "Additional property 'stepz' is not allowed"
    ]
  ])('a workflow job with %s', (_case, job, problem) => {
    const workflow = `on: pull_request\njobs:\n  review:\n${job}`
    // Valid YAML: it is the schema that refuses it.
    expect(yamlErrors(workflow)).toEqual([])
    expect(workflowProblems(workflow)).toEqual(expect.arrayContaining([expect.stringContaining(problem)]))
  })
})
