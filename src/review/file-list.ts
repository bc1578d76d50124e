/**
 * Lists of file paths for the prompt that cost the same few lines whether the
 * pull request has ten files or thousands: names while they fit, then counts.
 */

/** Directories counted by name in the closing line; more are summed as "elsewhere". */
const MAX_DIRECTORIES = 10
/** Room kept for the closing line ("- and N more: ...") once names no longer fit. */
const CLOSING_LINE_CHARS = 300
/** Room kept in the closing line for its ", N elsewhere" ending. */
const ELSEWHERE_CHARS = 25

const count = (value: number) => value.toLocaleString('en-US')

/** `src/a/b.ts` at depth 1 is `src/`; a file at the top has no directory. */
function directoryOf(path: string, depth: number): string {
  const folders = path.split('/').slice(0, -1)
  return folders.length ? `${folders.slice(0, depth).join('/')}/` : '(top level)'
}

function countsAt(paths: readonly string[], depth: number): Map<string, number> {
  const counts = new Map<string, number>()
  for (const path of paths) {
    const directory = directoryOf(path, depth)
    counts.set(directory, (counts.get(directory) ?? 0) + 1)
  }
  return counts
}

/** Files per directory, most first, at the deepest level that keeps the directories few (else the top level). */
function countsPerDirectory(paths: readonly string[]): Array<[string, number]> {
  const deepest = Math.max(...paths.map((path) => path.split('/').length - 1))
  let counts = countsAt(paths, 1)
  for (let depth = 2; depth <= deepest; depth++) {
    const deeper = countsAt(paths, depth)
    if (deeper.size > MAX_DIRECTORIES) break
    counts = deeper
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
}

/** `- and 2,480 more: 1,200 in pkg-a/, 800 in pkg-b/, 480 elsewhere` (`- 2,480 files: ...` when none is named), within `maxChars`. */
function closingLine(paths: readonly string[], maxChars: number, afterNames: boolean): string {
  let line = afterNames ? `- and ${count(paths.length)} more` : `- ${count(paths.length)} files`
  let counted = 0
  let separator = ': '
  for (const [directory, files] of countsPerDirectory(paths)) {
    const entry = `${separator}${count(files)} in ${directory}`
    if (line.length + entry.length > maxChars - ELSEWHERE_CHARS) continue
    line += entry
    counted += files
    separator = ', '
  }
  return counted < paths.length && counted > 0 ? `${line}, ${count(paths.length - counted)} elsewhere` : line
}

/** `- path` lines while they fit in `maxChars`, then one line counting the rest per directory. */
export function boundedFileList(paths: readonly string[], maxChars: number): string {
  const lines = paths.map((path) => `- ${path}`)
  if (lines.join('\n').length <= maxChars) return lines.join('\n')
  const closingChars = Math.min(CLOSING_LINE_CHARS, maxChars)
  const named: string[] = []
  let used = 0
  for (const line of lines) {
    if (used + line.length + 1 > maxChars - closingChars) break
    named.push(line)
    used += line.length + 1
  }
  return [...named, closingLine(paths.slice(named.length), closingChars, named.length > 0)].join('\n')
}
