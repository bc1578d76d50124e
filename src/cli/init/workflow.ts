import { modelName } from '../../settings.js'
import { DEFAULTS } from '../../defaults.js'
import type { ModelRef } from '../../settings.js'
import type { Feature } from './features.js'

/**
 * The workflow `init` writes: the events, permissions, concurrency and condition the chosen features need,
 * and nothing more. Third-party actions are pinned by commit, the version beside it.
 */

export const WORKFLOW_PATH = '.github/workflows/opencode-review.yml'

const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1'
/** This action by its major tag: `init` ships in the npm package, which cannot know the commit of its own release. */
const THIS_ACTION = 'opencode-pr-review/opencode-pr-review@v1'

export interface WorkflowChoices {
  model: ModelRef
  features: readonly Feature[]
  /** The variables the provider reads its key from, each given from the secret of the same name. */
  secrets: readonly string[]
}

/** A YAML scalar: plain when it can be, else double-quoted (a JSON string is one). */
function scalar(text: string): string {
  return /^[\w][\w./@+-]*$/.test(text) ? text : JSON.stringify(text)
}

export function renderWorkflow({ model, features, secrets }: WorkflowChoices): string {
  const has = (feature: Feature) => features.includes(feature)
  const phrase = DEFAULTS['trigger-phrase']
  const events = [
    ...(has('review') ? ['  pull_request:', '    types: [opened, synchronize, reopened, ready_for_review]'] : []),
    ...(has('comments')
      ? [`  # \`${phrase}\` in a comment on a pull request reviews it on demand (only users with write access can).`]
      : []),
    ...(has('comments') ? ['  issue_comment:', '    types: [created]'] : []),
    ...(has('threads') ? [`  # \`${phrase} <question>\` in reply to a finding gets an answer in its thread.`] : []),
    ...(has('threads') ? ['  pull_request_review_comment:', '    types: [created]'] : [])
  ]
  const number = has('comments')
    ? '${{ github.event.pull_request.number || github.event.issue.number }}'
    : '${{ github.event.pull_request.number }}'
  // An answer in a thread runs beside the review of its pull request, not instead of it.
  const reply = has('threads')
    ? "${{ github.event.comment.in_reply_to_id && format('-reply-{0}', github.event.comment.id) || '' }}"
    : ''
  const cancel =
    has('comments') || has('threads') ? "${{ github.event_name == 'pull_request' }}" : has('review') ? 'true' : 'false'
  const conditions = [
    ...(has('comments')
      ? [
          `(github.event_name != 'issue_comment' || (github.event.issue.pull_request && startsWith(github.event.comment.body, '${phrase}')))`
        ]
      : []),
    ...(has('threads')
      ? [`(github.event_name != 'pull_request_review_comment' || startsWith(github.event.comment.body, '${phrase}'))`]
      : [])
  ]
  return [
    '# Written by `npx opencode-pr-review init`: AI reviews of pull requests with OpenCode.',
    'name: AI review',
    '',
    'on:',
    ...events,
    '',
    'permissions:',
    '  contents: read',
    `  pull-requests: write${has('describe') ? ' # posts the review, and writes the walkthrough into the description' : ' # posts the review'}`,
    `  issues: write # keeps what maintainers teach the reviewer in an issue${has('comments') ? ', reacts to `/review` comments' : ''}`,
    '',
    '# One review per pull request at a time; a new push cancels the review of the old one.',
    'concurrency:',
    `  group: opencode-review-${number}${reply}`,
    `  cancel-in-progress: ${cancel}`,
    '',
    'jobs:',
    '  review:',
    ...(conditions.length > 0
      ? [
          '    # Comments that do not ask for a review start no runner at all.',
          '    if: >-',
          ...conditions.map((condition, index) => `      ${index > 0 ? '&& ' : ''}${condition}`)
        ]
      : []),
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: 15',
    '    steps:',
    `      - uses: ${CHECKOUT}`,
    '        with:',
    ...(has('comments')
      ? [
          "          # On a `/review` comment, the pull request's head rather than the default branch.",
          "          ref: ${{ github.event.issue.number && format('refs/pull/{0}/head', github.event.issue.number) || '' }}"
        ]
      : []),
    '          persist-credentials: false',
    `      - uses: ${THIS_ACTION}`,
    '        with:',
    `          model: ${scalar(modelName(model))}`,
    ...(has('describe') ? ['          describe: true'] : []),
    ...(secrets.length > 0
      ? ['        env:', ...secrets.map((name) => `          ${name}: \${{ secrets.${name} }}`)]
      : []),
    ''
  ].join('\n')
}
