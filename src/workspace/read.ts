/**
 * The read tool: a file of the repository with its line numbers, a range of lines at a time.
 */
import { repositoryPath } from './paths.js'
import { hiddenBecause, hiddenReason } from './rules.js'
import { ToolError } from './tool-error.js'
import type { Workspace } from './workspace.js'

export interface ReadRequest {
  path: string
  /** The first line shown, from 1. */
  offset?: number
  /** How many lines at most. */
  limit?: number
}

export interface ReadLimits {
  /** Lines shown when no limit is asked for, and at most. */
  maxLines: number
  maxLineChars: number
  /** Characters of one answer, all lines together. */
  maxChars: number
  /** Bytes of a file that can be read at all. */
  maxFileBytes: number
}

export const READ_LIMITS: ReadLimits = {
  maxLines: 2000,
  maxLineChars: 2000,
  maxChars: 50_000,
  maxFileBytes: 5 * 1024 * 1024
}

const count = (value: number) => value.toLocaleString('en-US')

/**
 * Answers the lines of the file `request.path` names, `N: text` each, from `offset`, at most
 * `limit` of them (and never more than the limits allow), then a line saying where to read on.
 */
export async function readFile(workspace: Workspace, request: ReadRequest, limits = READ_LIMITS): Promise<string> {
  const file = repositoryPath(request.path)
  const reason = file === '' ? undefined : hiddenReason(file)
  if (reason) throw new ToolError(`You may not read ${file}: ${hiddenBecause(reason)}.`)
  const entry = await workspace.files().entry(file)
  if (entry?.kind === 'directory')
    throw new ToolError(`${file || 'The repository’s root'} is a directory: list it with workspace_list.`)
  if (entry?.kind === 'submodule')
    throw new ToolError(`${file} is a submodule, another repository: its files are not part of this review.`)
  if (entry === undefined) {
    throw new ToolError(
      `There is no file ${file} in the repository under review. Paths are relative to its root and names are case-sensitive: find files with workspace_glob or workspace_list.`
    )
  }
  const content = await workspace.content(file, entry, limits.maxFileBytes)
  if (content === undefined)
    throw new ToolError(`${file} is no longer a regular file in the working tree: it was deleted or replaced since.`)
  if (entry.kind === 'link')
    return `${file} is a symbolic link to ${content.bytes.toString('utf8')}: read what it points to, if that is a file of the repository.`
  if (content.bytes.subarray(0, 8000).includes(0))
    return `${file} is a binary file of ${count(content.size)} bytes: not shown.`
  const text = content.bytes.toString('utf8')
  const lines = text.split('\n')
  // A final newline ends the last line, it does not start another.
  if (lines.at(-1) === '' && content.size === content.bytes.length) lines.pop()
  const total = lines.length
  const first = Math.max(1, Math.floor(request.offset ?? 1))
  if (total === 0) return `${file} is empty.`
  if (first > total) throw new ToolError(`${file} has ${count(total)} lines: give an offset from 1 to ${count(total)}.`)
  const wanted = Math.min(Math.max(1, Math.floor(request.limit ?? limits.maxLines)), limits.maxLines)
  const shown: string[] = []
  let chars = 0
  let cutLines = 0
  for (let number = first; number < first + wanted && number <= total; number++) {
    let line = lines[number - 1].replace(/\r$/, '')
    if (line.length > limits.maxLineChars) {
      line = `${line.slice(0, limits.maxLineChars)}…`
      cutLines++
    }
    const numbered = `${number}: ${line}`
    if (shown.length > 0 && chars + numbered.length > limits.maxChars) break
    shown.push(numbered)
    chars += numbered.length + 1
  }
  const last = first + shown.length - 1
  const notes: string[] = []
  if (content.size > content.bytes.length)
    notes.push(`The file has ${count(content.size)} bytes: only its first ${count(content.bytes.length)} can be read.`)
  notes.push(
    last < total
      ? `Lines ${count(first)} to ${count(last)} of ${count(total)}: read on with offset ${last + 1}.`
      : `End of file: ${count(total)} line${total === 1 ? '' : 's'}.`
  )
  if (cutLines)
    notes.push(`${cutLines} of the lines were cut after ${count(limits.maxLineChars)} characters (ending in …).`)
  return [...shown, `(${notes.join(' ')})`].join('\n')
}
