import { minimatch } from 'minimatch'

/**
 * Which of the repository's own convention files apply to a change, and in
 * which order: the nearest to the change first. Pure: the paths listed at the
 * base commit and the changed paths in, candidates out.
 */

/** The kinds of convention file, in the order root-level ones rank among themselves. */
export const CONVENTION_SOURCES = [
  'opencode-review',
  'agents-md',
  'claude-md',
  'copilot-instructions',
  'path-instructions'
] as const
export type ConventionSource = (typeof CONVENTION_SOURCES)[number]

/** Files that apply to the directory they sit in and everything below it. */
const NESTED: ReadonlyArray<readonly [ConventionSource, string]> = [
  ['agents-md', 'AGENTS.md'],
  ['claude-md', 'CLAUDE.md']
]

/** Files that apply to the whole repository. */
const REPOSITORY_WIDE: ReadonlyArray<readonly [ConventionSource, string, string]> = [
  ['opencode-review', '.github/opencode-review.md', "this reviewer's instructions for the repository"],
  ['copilot-instructions', '.github/copilot-instructions.md', 'repository-wide instructions']
]

/** Copilot code review's path-scoped instructions: they apply where their `applyTo` globs match. */
const PATH_INSTRUCTIONS = /^\.github\/instructions\/(?:.+\/)?[^/]+\.instructions\.md$/

export interface Candidate {
  path: string
  source: ConventionSource
  /** Why it applies, as the prompt and the summary say it; a path-scoped file learns its own once read. */
  why: string
  /** Depth of the directory it governs: deeper is nearer to the change. Root-level files are 0. */
  depth: number
}

/** '', 'src', 'src/api' for 'src/api/user.ts'. */
function directoriesOf(file: string): string[] {
  const parts = file.split('/').slice(0, -1)
  return parts.map((_, index) => parts.slice(0, index + 1).join('/')).concat('')
}

/** The files at the base commit that may apply to `changed`, enabled by `sources`; path-scoped ones still need their `applyTo` checked. */
export function conventionCandidates(
  listed: readonly string[],
  changed: readonly string[],
  sources: readonly ConventionSource[]
): Candidate[] {
  const present = new Set(listed)
  const enabled = new Set(sources)
  const candidates: Candidate[] = []
  for (const [source, file, why] of REPOSITORY_WIDE)
    if (enabled.has(source) && present.has(file)) candidates.push({ path: file, source, why, depth: 0 })
  const directories = new Set(changed.flatMap(directoriesOf))
  for (const directory of directories) {
    const under = changed.filter((file) => directory === '' || file.startsWith(`${directory}/`)).length
    for (const [source, name] of NESTED) {
      const file = directory ? `${directory}/${name}` : name
      if (!enabled.has(source) || !present.has(file)) continue
      candidates.push({
        path: file,
        source,
        why: directory ? `applies to the ${under} changed file(s) under ${directory}/` : 'applies to every change',
        depth: directory ? directory.split('/').length : 0
      })
    }
  }
  if (enabled.has('path-instructions'))
    for (const file of listed)
      if (PATH_INSTRUCTIONS.test(file)) candidates.push({ path: file, source: 'path-instructions', why: '', depth: 0 })
  return candidates
}

/**
 * Nearest to the change first: path-scoped instructions (they name the changed
 * files), then nested AGENTS.md/CLAUDE.md from the deepest directory up, then
 * the root-level files in CONVENTION_SOURCES order.
 */
export function nearestFirst(a: Candidate, b: Candidate): number {
  const tier = (candidate: Candidate) => (candidate.source === 'path-instructions' ? 0 : candidate.depth > 0 ? 1 : 2)
  return (
    tier(a) - tier(b) ||
    b.depth - a.depth ||
    CONVENTION_SOURCES.indexOf(a.source) - CONVENTION_SOURCES.indexOf(b.source) ||
    a.path.localeCompare(b.path)
  )
}

export interface PathInstructions {
  /** The globs of `applyTo`; empty when the file has none. */
  globs: string[]
  /** The instructions, without the front matter. */
  body: string
}

/** Reads Copilot's front matter: `applyTo: "glob, glob"` between `---` lines. */
export function parsePathInstructions(text: string): PathInstructions {
  const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(text)
  if (!match) return { globs: [], body: text }
  const applyTo = /^applyTo:[ \t]*(.*)$/m.exec(match[1])?.[1].trim() ?? ''
  const globs = applyTo
    .replace(/^(['"])(.*)\1$/, '$2')
    .split(',')
    .map((glob) => glob.trim())
    .filter((glob) => glob !== '')
  return { globs, body: match[2] }
}

/** Why path-scoped instructions apply to `changed`, or undefined when none of their globs matches a changed file. */
export function whyPathInstructionsApply(globs: readonly string[], changed: readonly string[]): string | undefined {
  for (const glob of globs) {
    const matched = changed.filter((file) => minimatch(file, glob, { dot: true }))
    if (matched.length === 0) continue
    const more = matched.length > 1 ? ` and ${matched.length - 1} more changed file(s)` : ''
    return `applyTo "${glob}" matches ${matched[0]}${more}`
  }
  return undefined
}
