import { CODE_GONE, findingKey } from './markers.js'
import type { Finding } from './finding.js'
import type { ThreadedFinding, ThreadReply } from './thread.js'

/**
 * What the reviewer learned from the repository's maintainers, as the body of one issue holds it: a
 * list item per learning, in the maintainer's own words with a link to where they were said. A
 * learning that rejects a finding ends in a hidden marker naming the finding (file and title, as
 * the action's markers do) and its code; maintainers edit or delete the lines, and what the
 * lines say is what the model is told.
 */

/** How much of a store is applied, and how much it may grow to: learnings, and characters of their text in all. */
export const LEARNING_LIMITS = { count: 50, chars: 8_000 }

/** Characters of a person's words kept in one learning. */
const MAX_WORDS_CHARS = 500

/** Sources already turned into learnings that are remembered, the latest, so a deleted learning is not learned again. */
const MAX_HARVESTED = 1_000

/** The finding a learning rejects: what identifies it, and the fingerprint of the code it was on. */
export interface RejectedFinding {
  file: string
  /** findingKey: the file and the title. */
  key: string
  /** The fingerprint of the line of code it quoted. */
  code: string
}

export interface Learning {
  /** The line as the store holds it, without its hidden marker: what maintainers wrote or edited. */
  text: string
  /** Set when the learning rejects a finding and its marker is still there. */
  rejects?: RejectedFinding
}

/** A learning to add: who said what where, and the finding it is about, if any. */
export interface NewLearning {
  author: string
  /** Their words as written. */
  words: string
  /** Where they were said. */
  url: string
  /** Remembered once it is learned, so that a learning a maintainer deleted is not learned again from it. */
  source: string
  /** The finding the words reject, as posted. */
  about?: { file: string; title: string }
  /** What identifies it and its code, when its marker recorded the code: what keeps it from being posted again. */
  rejects?: RejectedFinding
}

export interface StoredLearnings {
  /** Within LEARNING_LIMITS, in the order of the body. */
  learnings: Learning[]
  /** Learnings past LEARNING_LIMITS: not applied. */
  beyondLimits: number
  /** The sources already learned from. */
  harvested: string[]
}

const LEARNING_MARKER = /<!--\s*opencode-pr-review:learning file=(\S+) key=([0-9a-f]{16}) code=([0-9a-f]{16})\s*-->/
const HARVESTED_MARKER = /<!--\s*opencode-pr-review:harvested((?:\s+[\w.:-]+)*)\s*-->/
const ITEM = /^[-*+][ \t]+\S/

/** Where each top-level list item of `lines` starts and ends: its line, and the indented lines that continue it. */
function itemRanges(lines: readonly string[]): Array<{ start: number; end: number }> {
  const ranges: Array<{ start: number; end: number }> = []
  let open = false
  lines.forEach((line, index) => {
    if (ITEM.test(line)) ranges.push({ start: index, end: index })
    else if (open && /^[ \t]+\S/.test(line)) ranges[ranges.length - 1].end = index
    else open = false
    open ||= ITEM.test(line)
  })
  return ranges
}

/** The learnings a body lists (a top-level list item each, with its indented lines), and the sources it remembers. */
export function readLearnings(body: string): StoredLearnings {
  const lines = body.split(/\r?\n/)
  const items = itemRanges(lines).map(({ start, end }) =>
    lines
      .slice(start, end + 1)
      .map((line) => line.trim())
      .join('\n')
      .replace(/^[-*+][ \t]+/, '')
  )
  const learnings: Learning[] = []
  let chars = 0
  let beyondLimits = 0
  for (const item of items) {
    const marker = LEARNING_MARKER.exec(item)
    const text = item.replace(/<!--[\s\S]*?-->/g, '').trim()
    if (text === '') continue
    chars += text.length
    if (learnings.length >= LEARNING_LIMITS.count || chars > LEARNING_LIMITS.chars) {
      beyondLimits++
      continue
    }
    learnings.push(
      marker ? { text, rejects: { file: decodeURIComponent(marker[1]), key: marker[2], code: marker[3] } } : { text }
    )
  }
  const harvested = HARVESTED_MARKER.exec(body)?.[1].trim().split(/\s+/).filter(Boolean) ?? []
  return { learnings, beyondLimits, harvested }
}

/** A person's words as a learning keeps them: their own lines (quotes of others left out), on one line, cut, unable to hide the rest of the line. */
export function trimWords(words: string): string {
  const own = words
    .split(/\r?\n/)
    .filter((line) => !line.trimStart().startsWith('>'))
    .join(' ')
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .replace(/\s+/g, ' ')
    .trim()
  return own.length > MAX_WORDS_CHARS ? `${own.slice(0, MAX_WORDS_CHARS - 1).replace(/[\uD800-\uDBFF]$/, '')}…` : own
}

/** The list item of a new learning: who said what, where, about which finding. */
export function learningLine(learning: NewLearning): string {
  const said = `**${learning.author}**: "${trimWords(learning.words).replace(/"/g, "'")}" ([source](${learning.url}))`
  const { about, rejects } = learning
  if (!about) return `- ${said}`
  const title = about.title.replace(/[`\n]/g, ' ').replace(/<!--/g, '&lt;!--')
  const marker = rejects
    ? ` <!-- opencode-pr-review:learning file=${encodeURIComponent(rejects.file)} key=${rejects.key} code=${rejects.code} -->`
    : ''
  return `- Rejected finding "${title}" in \`${about.file.replace(/`/g, "'")}\`: ${said}${marker}`
}

/** Why `learning` cannot join `stored`, or undefined when it fits within LEARNING_LIMITS. */
export function overLimits(stored: StoredLearnings, line: string): string | undefined {
  const { learnings, beyondLimits } = stored
  if (beyondLimits > 0 || learnings.length >= LEARNING_LIMITS.count)
    return `it holds ${LEARNING_LIMITS.count} learnings or more`
  const chars = learnings.reduce((sum, learning) => sum + learning.text.length, 0)
  const added = readLearnings(line).learnings[0]?.text.length ?? 0
  if (chars + added > LEARNING_LIMITS.chars)
    return `its learnings would pass ${LEARNING_LIMITS.chars.toLocaleString('en-US')} characters`
  return undefined
}

/** The body of a new store: what it is and how to curate it, then the learnings. */
export function newStoreBody(): string {
  return [
    'What OpenCode PR Review learned from the maintainers of this repository. Each line below is given to every review as the repository’s guidance (a line about a finding, to reviews of its file), and a finding a line rejects is not posted again while its code stands.',
    '',
    'Edit a line to change what the reviewer is told; delete it to make the reviewer forget. Lines come from people with write access: a 👎 on a finding with a reply that gives a reason, a reply that rejects a finding, or `/review learn <text>`. Only people with write access can edit this description; comments on this issue are not read.',
    '',
    '## Learnings',
    ''
  ].join('\n')
}

/** `body` with `lines` added after its last learning (or under its heading), and `sources` remembered; every other line as it was. */
export function withLearnings(body: string, lines: readonly string[], sources: readonly string[]): string {
  const rows = body.replace(HARVESTED_MARKER, '').replace(/\s+$/, '').split(/\r?\n/)
  let at = itemRanges(rows).at(-1)?.end ?? -1
  if (at < 0) {
    const heading = rows.findIndex((row) => /^#{1,6}\s+Learnings\s*$/i.test(row))
    at = heading < 0 ? rows.length - 1 : heading
    if (rows[at]?.trim()) rows.splice(++at, 0, '')
  }
  rows.splice(at + 1, 0, ...lines)
  const harvested = [...readLearnings(body).harvested, ...sources].slice(-MAX_HARVESTED)
  return `${rows.join('\n')}\n\n<!-- opencode-pr-review:harvested ${harvested.join(' ')} -->\n`
}

/** The learnings a review of `files` is given: those about a finding in one of them, and those about no finding. */
export function applicableLearnings(learnings: readonly Learning[], files: readonly string[]): Learning[] {
  const reviewed = new Set(files)
  return learnings.filter((learning) => !learning.rejects || reviewed.has(learning.rejects.file))
}

/** The learning that rejected `finding` on the same code (its codeFingerprint), if one did. */
export function rejectionOf(
  finding: Pick<Finding, 'file' | 'title' | 'codeFingerprint'>,
  learnings: readonly Learning[]
): Learning | undefined {
  if (finding.codeFingerprint === undefined) return undefined
  const key = findingKey(finding)
  return learnings.find(
    ({ rejects }) => rejects?.key === key && rejects.code === finding.codeFingerprint && rejects.file === finding.file
  )
}

/** Opening words that reject a finding (after any quote of it). */
const REJECTING_OPENING =
  /^(?:not (?:a bug|an issue|a problem|relevant|applicable|needed)|false positive|won'?t fix|wontfix|by design|(?:this|that|it)(?: is|'s) (?:fine|intended|intentional|expected|deliberate|correct|on purpose|not a bug)|intended|intentional|deliberate|on purpose|nope|invalid|irrelevant|disagree|ignore (?:this|it))\b/i
/** Words that reject a finding wherever they stand. */
const REJECTING_ANYWHERE = /\b(?:false positive|not a bug|works as intended|by design|won'?t fix)\b/i

/** Whether a reply's own words reject the finding. */
function rejects(words: string): boolean {
  return REJECTING_OPENING.test(words) || REJECTING_ANYWHERE.test(words)
}

/** `r123` for a review comment, `c123` for a conversation comment: what the store remembers having learned from. */
export function sourceOf(url: string): string {
  const id = /#(?:discussion_r|issuecomment-)(\d+)$/.exec(url)
  if (id) return `${url.includes('#discussion_r') ? 'r' : 'c'}${id[1]}`
  return url.replace(/[^\w.:-]+/g, '-')
}

/** A person's reply that teaches: a person with write access, in their own words, who reacted 👎 on the finding or whose words reject it. */
function teaches(reply: ThreadReply, thread: ThreadedFinding, triggerPhrase: string): boolean {
  const { author } = reply
  if (!author.canWrite || author.bot || reply.byAction) return false
  const words = trimWords(reply.body)
  // A question to the reviewer, answered in the thread, is not a verdict on the finding.
  if (words === '' || words.toLowerCase().startsWith(triggerPhrase.toLowerCase())) return false
  return thread.thumbsDown.some((person) => person.login === author.login) || rejects(words)
}

/**
 * What the threads of the action's findings teach: for each thread, the first reply of a person with write
 * access that rejects its finding, or that gives the reason for their 👎 on it. Nobody else's replies and
 * reactions count, whatever they say.
 */
export function learningsFromThreads(threads: readonly ThreadedFinding[], triggerPhrase: string): NewLearning[] {
  return threads.flatMap((thread) => {
    const reply = thread.replies.find((candidate) => teaches(candidate, thread, triggerPhrase))
    if (!reply) return []
    const { finding } = thread
    const file = finding.file ?? thread.path
    const code = finding.codeFingerprint
    return [
      {
        author: reply.author.login,
        words: reply.body,
        url: reply.url,
        source: sourceOf(reply.url),
        about: { file, title: finding.title ?? withoutSeverity(thread.text.split('\n')[0]) },
        ...(code && code !== CODE_GONE ? { rejects: { file, key: finding.key, code } } : {})
      }
    ]
  })
}

/** A posted finding's first line without its severity (`**high** · Title`). */
function withoutSeverity(line: string): string {
  return line.replace(/^\*\*\w+\*\* · /, '')
}
