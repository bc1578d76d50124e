import type { ConventionSource } from './select.js'

/**
 * Bounds the repository's conventions in the prompt. They are given nearest to
 * the change first; each is cut to CONVENTION_LIMITS.perFile characters, and
 * they share CONVENTION_LIMITS.total: a file that finds less room than
 * MIN_ROOM left is left out, the one before it cut to what remains. So the
 * nearest files arrive whole and the most general ones are cut first.
 */

export const CONVENTION_LIMITS = { perFile: 16_000, total: 40_000 }

/** Less room than this is not worth a cut file: the file is left out instead. */
const MIN_ROOM = 500

export interface ConventionFile {
  path: string
  source: ConventionSource
  /** Why it applies to this change. */
  why: string
  text: string
}

export interface Convention extends ConventionFile {
  /** Set when `text` was cut: the characters the file had. */
  cutFrom?: number
}

export interface LeftOutConvention {
  path: string
  /** Characters the file had. */
  chars: number
}

export interface Conventions {
  used: Convention[]
  /** Files that applied but found no room. */
  leftOut: LeftOutConvention[]
}

/** `text` within `maxChars`, ending at a line break when one is near, never half of a surrogate pair. */
function cutAtLine(text: string, maxChars: number): string {
  const cut = text.slice(0, maxChars).replace(/[\uD800-\uDBFF]$/, '')
  const lineEnd = cut.lastIndexOf('\n')
  return lineEnd > maxChars / 2 ? cut.slice(0, lineEnd) : cut
}

/** `files`, nearest first, within `limits`. */
export function fitConventions(files: readonly ConventionFile[], limits = CONVENTION_LIMITS): Conventions {
  const used: Convention[] = []
  const leftOut: LeftOutConvention[] = []
  let room = limits.total
  for (const file of files) {
    const max = Math.min(limits.perFile, room)
    if (max < Math.min(MIN_ROOM, file.text.length)) {
      leftOut.push({ path: file.path, chars: file.text.length })
      continue
    }
    const text = file.text.length > max ? cutAtLine(file.text, max) : file.text
    used.push(text === file.text ? file : { ...file, text, cutFrom: file.text.length })
    room -= text.length
  }
  return { used, leftOut }
}

const count = (value: number) => value.toLocaleString('en-US')

/** One line per file the model was given or that found no room, for the job summary and the terminal. */
export function describeConventions({ used, leftOut }: Conventions): string[] {
  return [
    ...used.map(
      (file) =>
        `${file.path} (${file.why}${file.cutFrom ? `; cut to ${count(file.text.length)} of ${count(file.cutFrom)} characters` : ''})`
    ),
    ...leftOut.map(
      (file) =>
        `${file.path} (left out: ${count(file.chars)} characters past the ${count(CONVENTION_LIMITS.total)} the conventions share)`
    )
  ]
}
