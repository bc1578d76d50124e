export type FileStatus = 'added' | 'deleted' | 'modified' | 'renamed'

export interface FileDiff {
  path: string
  status: FileStatus
  binary: boolean
  /** The file's whole section of the unified diff, from `diff --git` on; empty when GitHub gave no patch. */
  text: string
}

/** Git's C-style quoting of unusual paths: `"caf\303\251.txt"` is `café.txt`. */
function unquotePath(raw: string): string {
  if (!raw.startsWith('"') || !raw.endsWith('"')) return raw
  const bytes: number[] = []
  const body = raw.slice(1, -1)
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, a: 7, v: 11, '\\': 92, '"': 34 }
  for (let i = 0; i < body.length; i++) {
    const char = body[i]
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'))
      continue
    }
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1))
    if (octal) {
      bytes.push(parseInt(octal[0], 8))
      i += 3
    } else {
      bytes.push(escapes[body[i + 1]] ?? body.charCodeAt(i + 1))
      i += 1
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

/** `a/src/x.ts` → `src/x.ts`; `/dev/null` → undefined. */
function stripPrefix(raw: string): string | undefined {
  const path = unquotePath(raw.replace(/\t.*$/, '').trim())
  if (path === '/dev/null') return undefined
  return path.replace(/^[ab]\//, '')
}

/** The paths of a `diff --git a/x b/y` line, when they can be told apart without the other headers. */
function headerPaths(line: string): [string, string] | undefined {
  const rest = line.slice('diff --git '.length).replace(/\r$/, '')
  const quoted = /^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(rest)
  if (quoted) return [stripPrefix(quoted[1]) ?? '', stripPrefix(quoted[2]) ?? '']
  // Unquoted paths with spaces: `a/p q b/p q` is split where both halves name the same path.
  const half = (rest.length - 1) / 2
  if (Number.isInteger(half) && rest.slice(2, half) === rest.slice(half + 3)) {
    const path = rest.slice(2, half)
    return [path, path]
  }
  return undefined
}

function parseFileSection(lines: string[]): FileDiff {
  const fromHeader = headerPaths(lines[0])
  let oldPath: string | undefined = fromHeader?.[0]
  let newPath: string | undefined = fromHeader?.[1]
  let status: FileStatus = 'modified'
  let binary = false
  for (const rawLine of lines.slice(1)) {
    // Past the first hunk header, every line is content, whatever it looks like.
    if (rawLine.startsWith('@@')) break
    const line = rawLine.replace(/\r$/, '')
    if (line.startsWith('new file mode')) status = 'added'
    else if (line.startsWith('deleted file mode')) status = 'deleted'
    else if (line.startsWith('rename from ')) oldPath = unquotePath(line.slice('rename from '.length))
    else if (line.startsWith('rename to ')) newPath = unquotePath(line.slice('rename to '.length))
    else if (line.startsWith('--- ')) oldPath = stripPrefix(line.slice(4)) ?? oldPath
    else if (line.startsWith('+++ ')) newPath = stripPrefix(line.slice(4)) ?? newPath
    else if (line.startsWith('Binary files ') || line === 'GIT binary patch') binary = true
  }
  if (status === 'modified' && oldPath !== undefined && newPath !== undefined && oldPath !== newPath) status = 'renamed'
  const path = (status === 'deleted' ? oldPath : newPath) ?? oldPath ?? newPath ?? ''
  return { path, status, binary, text: lines.join('\n') }
}

/** Splits a unified git diff (as GitHub renders it) into one entry per file. */
export function parseDiff(diff: string): FileDiff[] {
  const sections: string[][] = []
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) sections.push([line])
    else sections.at(-1)?.push(line)
  }
  return sections.map((lines) => {
    while (lines.length > 1 && lines.at(-1) === '') lines.pop()
    return parseFileSection(lines)
  })
}
