import { minimatch } from 'minimatch'
import type { FileDiff } from './parse.js'

export type LeftOutReason = 'excluded' | 'binary' | 'no-patch' | 'oversized' | 'over-budget'

/** Why a file is not in the diff, as the prompt and the job summary say it. */
export const LEFT_OUT_REASONS: Record<LeftOutReason, string> = {
  excluded: 'excluded by pattern',
  binary: 'binary',
  'no-patch': 'too large for GitHub to show a diff',
  oversized: "larger than one session reviews ('max-diff-chars')",
  'over-budget': "over the diff budget ('max-total-chars')"
}

export interface LeftOutFile {
  path: string
  reason: LeftOutReason
}

export interface DiffSelection {
  files: FileDiff[]
  leftOut: LeftOutFile[]
  /** The unified diff of `files`, as it goes into the prompt. */
  text: string
}

/** Lockfiles and generated assets: large, noisy, rarely worth a reviewer's tokens. */
const DEFAULT_EXCLUDES = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
  'Cargo.lock',
  'go.sum',
  'poetry.lock',
  'Pipfile.lock',
  'uv.lock',
  'composer.lock',
  'Gemfile.lock',
  'Podfile.lock',
  'mix.lock',
  'pubspec.lock',
  'flake.lock',
  'packages.lock.json',
  'gradle.lockfile',
  '*.min.js',
  '*.min.css',
  '*.map'
]

/**
 * Decides per file like .gitignore: the built-in patterns first, then the user's,
 * the last match winning; `!pattern` brings a file back. A pattern without a
 * slash matches the file name in any folder.
 */
export function isExcluded(path: string, patterns: readonly string[]): boolean {
  let excluded = false
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!')
    const glob = negated ? pattern.slice(1) : pattern
    if (minimatch(path, glob, { dot: true, matchBase: true })) excluded = !negated
  }
  return excluded
}

function reasonToLeaveOut(
  file: FileDiff,
  patterns: readonly string[],
  maxFileChars: number,
  budget: number
): LeftOutReason | undefined {
  if (isExcluded(file.path, patterns)) return 'excluded'
  if (file.binary) return 'binary'
  if (file.text === '') return 'no-patch'
  if (file.text.length > maxFileChars) return 'oversized'
  // The newline that joins it to the next file counts too.
  return file.text.length + 1 > budget ? 'over-budget' : undefined
}

/**
 * Chooses what goes into the prompt: never binaries or excluded files, nor a file
 * larger than `maxFileChars` (what one session reviews), and only whole files, in
 * diff order, while they fit in `maxChars`. Whatever is left out is named, so the
 * reviewer can say what it did not see.
 */
export function selectDiff(
  files: readonly FileDiff[],
  options: { exclude: readonly string[]; maxChars: number; maxFileChars: number }
): DiffSelection {
  const patterns = [...DEFAULT_EXCLUDES, ...options.exclude]
  const selected: FileDiff[] = []
  const leftOut: LeftOutFile[] = []
  let budget = options.maxChars
  for (const file of files) {
    const reason = reasonToLeaveOut(file, patterns, options.maxFileChars, budget)
    if (reason) {
      leftOut.push({ path: file.path, reason })
      continue
    }
    selected.push(file)
    budget -= file.text.length + 1
  }
  return { files: selected, leftOut, text: selected.map((file) => file.text).join('\n') }
}
