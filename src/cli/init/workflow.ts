import { modelName } from '../../settings.js'
import { DEFAULTS } from '../../defaults.js'
import { REVIEWED_ACTIONS } from '../../github/pull-request.js'
import type { ModelRef } from '../../settings.js'
import type { Credentials } from './credentials.js'
import { type Feature, TRIGGER_LABEL } from './features.js'

/**
 * The workflow `init` writes: the events, permissions, concurrency and condition the chosen features need,
 * and nothing more. Third-party actions are pinned by commit, the version beside it.
 */

export const WORKFLOW_PATH = '.github/workflows/opencode-review.yml'

const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1'
/** This action by its major tag: `init` ships in the npm package, which cannot know the commit of its own release. */
export const THIS_ACTION = 'opencode-pr-review/opencode-pr-review@v1'

export interface WorkflowChoices {
  model: ModelRef
  features: readonly Feature[]
  /** What the provider reads, and how each is given (see credentials.ts). */
  credentials: Credentials
}

/** A YAML scalar: plain when it can be, else double-quoted (a JSON string is one). */
function scalar(text: string): string {
  return /^[\w][\w./@+-]*$/.test(text) ? text : JSON.stringify(text)
}

/** The file's name in the runner's temporary folder: outside the checkout, emptied after the job. */
function credentialsFile(variable: string): string {
  return `${variable.toLowerCase().replaceAll('_', '-')}.json`
}

/** The step that writes the provider's credentials file from its secret, before the review. */
function credentialsFileStep(credentials: Credentials): string[] {
  const { file, otherwise } = credentials
  if (!file) return []
  return [
    `      # The provider reads ${file.what} from the file ${file.variable} names: written from the secret, outside the checkout.`,
    ...(otherwise ? [`      # ${otherwise}`] : []),
    `      - name: Write ${file.variable}`,
    '        env:',
    `          ${file.secret}: \${{ secrets.${file.secret} }}`,
    '        run: |',
    '          umask 077',
    `          printf '%s' "$${file.secret}" > "$RUNNER_TEMP/${credentialsFile(file.variable)}"`
  ]
}

/** The action step's `env:`: each secret, each setting (with the provider's own default when unset), the file's path. */
function credentialsEnv(credentials: Credentials): string[] {
  const { secrets, settings, file, otherwise } = credentials
  const lines = [
    ...secrets.map((name) => `          ${name}: \${{ secrets.${name} }}`),
    ...settings.map(
      ({ name, fallback }) => `          ${name}: \${{ vars.${name}${fallback ? ` || '${fallback}'` : ''} }}`
    ),
    ...(file ? [`          ${file.variable}: \${{ runner.temp }}/${credentialsFile(file.variable)}`] : [])
  ]
  if (lines.length === 0) return []
  return [...(otherwise && !file ? [`        # ${otherwise}`] : []), '        env:', ...lines]
}

export function renderWorkflow({ model, features, credentials }: WorkflowChoices): string {
  const has = (feature: Feature) => features.includes(feature)
  const phrase = DEFAULTS['trigger-phrase']
  const pullRequestTypes = [...(has('review') ? REVIEWED_ACTIONS : []), ...(has('label') ? ['labeled'] : [])]
  const events = [
    ...(has('label') ? [`  # \`labeled\`: adding the label \`${TRIGGER_LABEL}\` reviews the pull request again.`] : []),
    ...(pullRequestTypes.length ? ['  pull_request:', `    types: [${pullRequestTypes.join(', ')}]`] : []),
    ...(has('comments')
      ? [`  # \`${phrase}\` in a comment on a pull request reviews it on demand (only users with write access can).`]
      : []),
    ...(has('comments') ? ['  issue_comment:', '    types: [created]'] : []),
    ...(has('threads') ? [`  # \`${phrase} <question>\` in reply to a finding gets an answer in its thread.`] : []),
    ...(has('threads') ? ['  pull_request_review_comment:', '    types: [created]'] : []),
    ...(has('dispatch')
      ? [
          '  # From the Actions tab, or `gh workflow run opencode-review.yml -f pr-number=42`.',
          '  workflow_dispatch:',
          '    inputs:',
          '      pr-number:',
          '        description: Pull request to review',
          '        required: true'
        ]
      : [])
  ]
  const numbers = [
    'github.event.pull_request.number',
    ...(has('comments') ? ['github.event.issue.number'] : []),
    ...(has('dispatch') ? ['inputs.pr-number'] : [])
  ]
  // An answer in a thread runs beside the review of its pull request, not instead of it.
  const reply = has('threads')
    ? "${{ github.event.comment.in_reply_to_id && format('-reply-{0}', github.event.comment.id) || '' }}"
    : ''
  // A new push cancels the review of the old one; a review someone asked for is never cancelled.
  const onDemand = has('comments') || has('threads') || has('label') || has('dispatch')
  const cancel = !has('review')
    ? 'false'
    : !onDemand
      ? 'true'
      : `\${{ github.event_name == 'pull_request'${has('label') ? " && github.event.action != 'labeled'" : ''} }}`
  const conditions = [
    ...(has('comments')
      ? [
          `(github.event_name != 'issue_comment' || (github.event.issue.pull_request && startsWith(github.event.comment.body, '${phrase}')))`
        ]
      : []),
    ...(has('threads')
      ? [`(github.event_name != 'pull_request_review_comment' || startsWith(github.event.comment.body, '${phrase}'))`]
      : []),
    ...(has('label') ? [`(github.event.action != 'labeled' || github.event.label.name == '${TRIGGER_LABEL}')`] : [])
  ]
  // On a comment or a manual run the job starts on the default branch: the pull request's head is checked out.
  const headOf = [
    ...(has('dispatch') ? ['inputs.pr-number'] : []),
    ...(has('comments') ? ['github.event.issue.number'] : [])
  ]
  const head = headOf.join(' || ')
  const inputs = [
    `          model: ${scalar(modelName(model))}`,
    ...(has('dispatch') ? ['          pr-number: ${{ inputs.pr-number }}'] : []),
    ...(has('label')
      ? [`          trigger-label: ${TRIGGER_LABEL} # adding it reviews again; it is then removed`]
      : []),
    ...(has('describe') ? ['          describe: true'] : [])
  ]
  return [
    '# Written by `npx opencode-pr-review init`: AI reviews of pull requests with OpenCode.',
    'name: AI review',
    '',
    'on:',
    ...events,
    '',
    'permissions:',
    // Resolving the action's outdated threads takes `contents: write`, which would also let the job push code.
    '  contents: read # `write` would also let the action resolve its outdated threads (resolve-outdated)',
    `  pull-requests: write${has('describe') ? ' # posts the review, and writes the walkthrough into the description' : ' # posts the review'}`,
    `  issues: write # ${['keeps what maintainers teach the reviewer in an issue', ...(has('comments') ? ['reacts to `/review` comments'] : []), ...(has('label') ? ['removes the trigger label'] : [])].join(', ')}`,
    '  checks: write # the verdict as a check run on the head, which branch protection can require',
    '',
    '# One review per pull request at a time; a new push cancels the review of the old one.',
    'concurrency:',
    `  group: opencode-review-\${{ ${numbers.join(' || ')} }}${reply}`,
    `  cancel-in-progress: ${cancel}`,
    '',
    'jobs:',
    '  review:',
    ...(conditions.length > 0
      ? [
          '    # What does not ask for a review (another comment, another label) starts no runner at all.',
          '    if: >-',
          ...conditions.map((condition, index) => `      ${index > 0 ? '&& ' : ''}${condition}`)
        ]
      : []),
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: 15',
    '    steps:',
    `      - uses: ${CHECKOUT}`,
    '        with:',
    ...(head
      ? [
          "          # On a comment or a manual run, the pull request's head rather than the default branch.",
          `          ref: \${{ (${head}) && format('refs/pull/{0}/head', ${head}) || '' }}`
        ]
      : []),
    '          persist-credentials: false',
    ...credentialsFileStep(credentials),
    `      - uses: ${THIS_ACTION}`,
    '        with:',
    ...inputs,
    ...credentialsEnv(credentials),
    ''
  ].join('\n')
}
