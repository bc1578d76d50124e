/** The walkthrough: a table of what changed, one row per file or group of related files, written by the model. */

export interface WalkthroughRow {
  /** Paths as in the diff. */
  files: string[]
  /** One line: what changed in them. */
  change: string
}

/** Rows the model is asked for at most: a table a reader takes in at a glance. */
export const SUGGESTED_ROWS = 20
/** Rows kept at most, whatever the model wrote. */
const MAX_ROWS = 50
const MAX_CHANGE_CHARS = 300
const MAX_PATH_CHARS = 1000

/** The `walkthrough` property of an answer's JSON schema. */
export const WALKTHROUGH_PROPERTY = {
  type: 'array',
  description: `What changed, as a table: one row per file or per group of related files, at most about ${SUGGESTED_ROWS} rows. Every file of the diff belongs in one row.`,
  items: {
    type: 'object',
    properties: {
      files: { type: 'array', items: { type: 'string' }, description: 'Paths exactly as in the diff.' },
      change: { type: 'string', description: 'One line: what changed in these files.' }
    },
    required: ['files', 'change']
  }
} as const

function toRow(raw: unknown): WalkthroughRow | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined
  const { files, change } = raw as { files?: unknown; change?: unknown }
  const paths = (Array.isArray(files) ? files : [files])
    .filter((path): path is string => typeof path === 'string')
    .map((path) => path.trim().replace(/^\.\//, ''))
    .filter((path) => path !== '' && path.length <= MAX_PATH_CHARS)
  const line = typeof change === 'string' ? change.trim().split('\n')[0].trim().slice(0, MAX_CHANGE_CHARS) : ''
  return paths.length && line ? { files: [...new Set(paths)], change: line } : undefined
}

/** The rows of a walkthrough as the model (or an earlier run) wrote them; what is malformed is dropped, never thrown. */
export function parseWalkthrough(raw: unknown): WalkthroughRow[] {
  if (!Array.isArray(raw)) return []
  return raw
    .map(toRow)
    .filter((row): row is WalkthroughRow => row !== undefined)
    .slice(0, MAX_ROWS)
}

/** The rows without paths outside `files`, nor a path an earlier row already has; rows left with no file are dropped. */
export function onlyFiles(rows: readonly WalkthroughRow[], files: Iterable<string>): WalkthroughRow[] {
  const allowed = new Set(files)
  const seen = new Set<string>()
  return rows.flatMap((row) => {
    const kept = row.files.filter((path) => allowed.has(path) && !seen.has(path))
    for (const path of kept) seen.add(path)
    return kept.length ? [{ ...row, files: kept }] : []
  })
}

const filesOf = (rows: readonly WalkthroughRow[]) => rows.flatMap((row) => row.files)

/** The rows without the files `other` names; a row left with none is dropped. */
function withoutFilesOf(rows: readonly WalkthroughRow[], other: readonly WalkthroughRow[]): WalkthroughRow[] {
  const named = new Set(filesOf(other))
  return rows.flatMap((row) => {
    const files = row.files.filter((path) => !named.has(path))
    return files.length ? [{ ...row, files }] : []
  })
}

/**
 * An incremental review's walkthrough of the whole pull request: the earlier rows, without the files the new rows
 * describe again, then the new rows.
 */
export function carryOver(earlier: readonly WalkthroughRow[], latest: readonly WalkthroughRow[]): WalkthroughRow[] {
  return [...withoutFilesOf(earlier, latest), ...latest].slice(-MAX_ROWS)
}

/**
 * The walkthrough of a review in parts: the synthesis's rows on the parts' files, then the parts' rows for any file
 * it left out; the parts' rows, in part order, when it wrote none.
 */
export function synthesizedRows(
  synthesis: readonly WalkthroughRow[],
  parts: readonly WalkthroughRow[]
): WalkthroughRow[] {
  const regrouped = onlyFiles(synthesis, filesOf(parts))
  return [...regrouped, ...withoutFilesOf(parts, regrouped)].slice(0, MAX_ROWS)
}
