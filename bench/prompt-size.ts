import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pullRequestFacts } from '../__fixtures__/pull-request.js'
import { ROOT } from '../__fixtures__/runner.js'
import { DEFAULTS } from '../src/defaults.js'
import { parseDiff } from '../src/diff/parse.js'
import { selectDiff } from '../src/diff/select.js'
import { splitIntoParts } from '../src/diff/groups.js'
import { partPrompts } from '../src/review/parts.js'
import { buildSynthesisPrompt, PROMPT_ALLOWANCE } from '../src/review/prompt.js'
import { syntheticDiff, yarnLockDiff } from './synthetic-diff.js'

/**
 * The `prompt` section of `npm run bench`: characters sent to the model per character of
 * diff reviewed, counting every part's message and the synthesis, as the action's own prompt
 * builders write them for generated pull requests with the default limits. No model is asked:
 * each part's summary is taken to be SUMMARY_CHARS long.
 */

const SUMMARY_CHARS = 1_000

const pullRequest = pullRequestFacts({
  title: 'Rework the module loader',
  body: 'Moves every module to the new loader and regenerates the lockfile.\n'.repeat(8)
})

const count = (value: number) => value.toLocaleString('en-US')

/** One review of `raw`: what it reviews, each part's message, and the synthesis when there are several parts. */
function messagesFor(raw: string) {
  const maxDiffChars = DEFAULTS['max-diff-chars']
  const diff = selectDiff(parseDiff(raw), {
    exclude: [],
    maxChars: DEFAULTS['max-total-chars'],
    maxFileChars: maxDiffChars
  })
  const parts = splitIntoParts(diff, maxDiffChars)
  const context = {
    pullRequest,
    extraInstructions: '',
    conventions: [],
    answerFormat: 'structured' as const
  }
  const partMessages = partPrompts(context, parts)
  const answers = Array.from({ length: parts.length }, () => ({ summary: 's'.repeat(SUMMARY_CHARS), walkthrough: [] }))
  const synthesis = parts.length > 1 ? buildSynthesisPrompt(pullRequest, answers, maxDiffChars) : ''
  return { diff, parts, partMessages, synthesis }
}

export function promptSize(): void {
  const cases: Array<[string, string]> = [
    ['small (10 files)', readFileSync(path.join(ROOT, '__fixtures__/real-world.diff'), 'utf8')],
    ['lockfile-heavy (200 files and a 4,000-entry yarn.lock)', syntheticDiff(200) + yarnLockDiff(4000)],
    ['3,000 files', syntheticDiff(3000)]
  ]
  for (const [name, raw] of cases) {
    const { diff, parts, partMessages, synthesis } = messagesFor(raw)
    const sent = partMessages.reduce((sum, message) => sum + message.length, synthesis.length)
    const largest = Math.max(...partMessages.map((message) => message.length))
    const besideDiff = Math.max(...partMessages.map((message, index) => message.length - parts[index].text.length))
    console.log(
      `prompt size, ${name}: raw diff ${count(raw.length)}, reviewed ${count(diff.text.length)} ` +
        `(${count(diff.files.length)} files, ${count(diff.leftOut.length)} left out) in ${parts.length} part(s); ` +
        `largest message ${count(largest)}, at most ${count(besideDiff)} beside its diff (allowance ${count(PROMPT_ALLOWANCE)})` +
        `${synthesis ? `, synthesis ${count(synthesis.length)}` : ''}; sent ${count(sent)} in all: ` +
        `${(sent / diff.text.length).toFixed(2)} characters per character of diff reviewed`
    )
  }
}
