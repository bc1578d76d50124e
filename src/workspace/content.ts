/**
 * A file's bytes, at most a bounded number of them: a blob out of git's object store (fetched, in a
 * blobless or sparse clone, when it is not there yet: the one blob read), or a file of the
 * developer's working tree, reached through no symbolic link.
 */
import { spawn } from 'node:child_process'
import { constants } from 'node:fs'
import { lstat, open } from 'node:fs/promises'
import path from 'node:path'
import { type GitRepository, gitArguments, gitEnvironment } from './git.js'
import { ToolError } from './tool-error.js'

export interface Content {
  /** The first bytes of the file, at most the number asked for. */
  bytes: Buffer
  /** The whole file's size. */
  size: number
}

/** A blob a blobless clone lacks is fetched as it is read: from a remote that does not answer, the read gives up. */
const READ_TIME_LIMIT_MS = 60_000

/** The blob `object`'s size and first `maxBytes` bytes, through `git cat-file --batch` (no filter applies). */
export function blobContent(repository: GitRepository, object: string, maxBytes: number): Promise<Content> {
  const git = spawn('git', gitArguments(repository, ['cat-file', '--batch']), {
    env: gitEnvironment(process.env, repository),
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: READ_TIME_LIMIT_MS
  })
  let stderr = ''
  git.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 2000) stderr += chunk.toString('utf8')
  })
  git.stdin.on('error', () => undefined)
  git.stdin.end(`${object}\n`)
  return new Promise<Content>((resolve, reject) => {
    let received = Buffer.alloc(0)
    let size: number | undefined
    const settle = (): void => {
      const headerEnd = received.indexOf(10)
      if (size === undefined && headerEnd >= 0) {
        const header = received.toString('utf8', 0, headerEnd)
        const match = /^[0-9a-f]+ blob (\d+)$/.exec(header)
        if (!match) return fail(`git cat-file answered '${header}'. ${stderr.trim()}`.trim())
        size = Number(match[1])
        received = received.subarray(headerEnd + 1)
      }
      if (size !== undefined && received.length >= Math.min(size, maxBytes)) {
        git.kill('SIGKILL')
        resolve({ bytes: received.subarray(0, Math.min(size, maxBytes)), size })
      }
    }
    const fail = (why: string): void => {
      git.kill('SIGKILL')
      reject(new ToolError(`The file could not be read out of git: ${why}`))
    }
    git.stdout.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      settle()
    })
    git.once('error', (error) => fail(error.message))
    git.once('close', (_code, signal) => {
      if (size !== undefined && received.length >= Math.min(size, maxBytes)) return
      fail(
        signal === 'SIGTERM'
          ? `git gave no answer within ${READ_TIME_LIMIT_MS / 1000} s (a blobless clone fetching the file from a remote that does not answer?)`
          : stderr.trim() || 'no answer'
      )
    })
  })
}

/** Whether the working tree's `file` (relative to `root`) is a regular file reached through no link: lstat at each step. */
export async function isRegularFile(root: string, file: string): Promise<boolean> {
  const parts = file.split('/')
  for (let depth = 1; depth <= parts.length; depth++) {
    const stats = await lstat(path.join(root, ...parts.slice(0, depth))).catch(() => undefined)
    if (!(depth === parts.length ? stats?.isFile() : stats?.isDirectory())) return false
  }
  return true
}

/**
 * The working tree's `file` (tracked, relative to `root`), reached through no link: a directory or a
 * file that is one (`src -> /etc`) leads nowhere. Undefined when it is no regular file there.
 */
export async function workingTreeContent(root: string, file: string, maxBytes: number): Promise<Content | undefined> {
  if (!(await isRegularFile(root, file))) return undefined
  // Not followed should it have become a link meanwhile.
  const handle = await open(path.join(root, file), constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  try {
    const { size } = await handle.stat()
    const bytes = Buffer.alloc(Math.min(size, maxBytes))
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0)
    return { bytes: bytes.subarray(0, bytesRead), size }
  } finally {
    await handle.close()
  }
}
