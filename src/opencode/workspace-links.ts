import { readdir, readFile, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Logger } from '../logger.js'
import type { OpencodeServer } from './server.js'

/**
 * Symbolic links in the workspace that lead out of it or into a `.git/` directory. The
 * checkout is the pull request's, and a link it adds (`docs/notes -> /proc/self/environ`,
 * `src/x -> ../.git/config`) would let the read tool follow it past every path rule, so the
 * reviewer is denied these paths, and the links to directories through which they can be reached
 * under another name. Returned relative to the workspace.
 *
 * `tracked`: whatever a pull request puts in a checkout, links included, git records in its
 * index, which is read in milliseconds where walking a 200,000-file tree takes a second or more.
 * `all`: the whole tree is walked, for links the workflow's own steps made (`npm ci` links a
 * `file:` dependency wherever the pull request's package.json points). A workspace without an
 * index this can read (not a git checkout) is walked either way.
 */
export async function escapingLinks(workspace: string, scope: 'tracked' | 'all'): Promise<string[]> {
  const root = await realpath(workspace).catch(() => undefined)
  // No workspace, nothing to follow.
  if (root === undefined) return []
  return escapingAmong(root, scope === 'tracked' ? await linksIn(root) : await linksUnder(root))
}

/** Of the `links` (absolute paths) under `workspace`, those that lead out of it or into `.git/`, relative to it. */
export async function escapingAmong(workspace: string, links: string[]): Promise<string[]> {
  const root = await realpath(workspace)
  const targets = await Promise.all(links.map((link) => realpath(link).catch(() => undefined)))
  const escaping = new Set<string>()
  const leadingInside: Array<{ link: string; target: string }> = []
  for (const [at, link] of links.entries()) {
    const target = targets[at]
    // A dangling link reads nothing; anything else must stay inside the workspace and out of .git/.
    if (target === undefined) continue
    const inside = target === root || target.startsWith(root + path.sep)
    if (!inside || path.relative(root, target).split(path.sep).includes('.git')) escaping.add(link)
    else leadingInside.push({ link, target })
  }
  // `alias -> src` makes `alias/x` another name for an escaping `src/x`, which its rules would not match.
  for (let grown = true; grown;) {
    grown = false
    for (const { link, target } of leadingInside) {
      if (escaping.has(link) || ![...escaping].some((reached) => reached.startsWith(target + path.sep))) continue
      escaping.add(link)
      grown = true
    }
  }
  return [...escaping].map((link) => path.relative(root, link)).sort()
}

/** Absolute paths of the links under `directory`: those its git index records, else every one a walk finds. */
async function linksIn(directory: string): Promise<string[]> {
  const tracked = await trackedPaths(directory)
  if (tracked === undefined) return linksUnder(directory)
  // A submodule's files are in its own index.
  const inSubmodules = await Promise.all(
    tracked.submodules.map((submodule) => linksIn(path.join(directory, submodule)))
  )
  return [...tracked.links.map((link) => path.join(directory, link)), ...inSubmodules.flat()]
}

/** Every link under `directory`, without going into `.git` directories: reads there are denied anyway. */
async function linksUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    // A submodule that is not checked out, or a directory removed meanwhile.
    if (error.code === 'ENOENT') return []
    throw error
  })
  const found = await Promise.all(
    entries.map((entry) => {
      const entryPath = path.join(directory, entry.name)
      if (entry.isSymbolicLink()) return [entryPath]
      return entry.isDirectory() && entry.name !== '.git' ? linksUnder(entryPath) : []
    })
  )
  return found.flat()
}

interface IndexedPaths {
  links: string[]
  submodules: string[]
}

/** The links and submodules in the git index of the checkout at `directory`; undefined if there is none this can read. */
async function trackedPaths(directory: string): Promise<IndexedPaths | undefined> {
  const dotGit = path.join(directory, '.git')
  const kind = await stat(dotGit).catch(() => undefined)
  let gitDirectory = kind?.isDirectory() ? dotGit : undefined
  if (kind?.isFile()) {
    // A linked worktree's or a submodule's `.git` is a file naming the repository: `gitdir: ../.git/modules/lib`.
    const named = /^gitdir: (.+)$/m.exec(await readFile(dotGit, 'utf8').catch(() => ''))
    if (named) gitDirectory = path.resolve(directory, named[1].trim())
  }
  if (gitDirectory === undefined) return undefined
  const index = await readFile(path.join(gitDirectory, 'index')).catch(() => undefined)
  if (index === undefined) return undefined
  // Object names take 20 bytes (SHA-1) or 32 (SHA-256 repositories): only the right size reads through.
  return readIndex(index, 20) ?? readIndex(index, 32)
}

const FILE_TYPE = 0o170000
const LINK = 0o120000
const SUBMODULE = 0o160000

/**
 * Git's index format (gitformat-index(5)), versions 2 to 4, read only for the paths of links and
 * submodules. Every entry's name must have the length its flags give and the extensions must end
 * where the checksum starts: undefined otherwise, and for a split index, whose entries are elsewhere.
 */
function readIndex(index: Buffer, hashSize: number): IndexedPaths | undefined {
  const end = index.length - hashSize
  if (end < 12 || index.toString('latin1', 0, 4) !== 'DIRC') return undefined
  const version = index.readUInt32BE(4)
  if (version < 2 || version > 4) return undefined
  const paths: IndexedPaths = { links: [], submodules: [] }
  // Version 4 names are rebuilt in a buffer of their own (none is longer than the index); no copy per entry otherwise.
  const names = version === 4 ? Buffer.allocUnsafe(index.length) : index
  let nameStart = 0
  let nameLength = 0
  let offset = 12
  for (let left = index.readUInt32BE(8); left > 0; left--) {
    // 40 bytes of stat data (the mode at 24), the object name, then 16 bits of flags.
    const flagsAt = offset + 40 + hashSize
    if (flagsAt + 2 > end) return undefined
    const mode = index.readUInt32BE(offset + 24)
    const flags = index.readUInt16BE(flagsAt)
    let at = flagsAt + 2
    if (flags & 0x4000) {
      if (version < 3) return undefined
      at += 2
    }
    if (version === 4) {
      // How many bytes to drop from the end of the previous name, then the rest of this one.
      let byte = index[at++]
      let drop = byte & 127
      while (byte & 128) {
        byte = index[at++]
        drop = (drop + 1) * 128 + (byte & 127)
      }
      const nul = index.indexOf(0, at)
      if (nul < 0 || nul >= end || drop > nameLength) return undefined
      nameLength = nameLength - drop + index.copy(names, nameLength - drop, at, nul)
      offset = nul + 1
    } else {
      const nul = index.indexOf(0, at)
      if (nul < 0 || nul >= end) return undefined
      nameStart = at
      nameLength = nul - at
      // Entries are padded with NULs to a multiple of 8 bytes.
      offset += Math.ceil((nul + 1 - offset) / 8) * 8
    }
    if ((flags & 0xfff) !== Math.min(nameLength, 0xfff)) return undefined
    const type = mode & FILE_TYPE
    if (type === LINK) paths.links.push(names.toString('utf8', nameStart, nameStart + nameLength))
    else if (type === SUBMODULE) paths.submodules.push(names.toString('utf8', nameStart, nameStart + nameLength))
  }
  // Extensions: a 4-byte signature, a 32-bit size, the data.
  while (offset + 8 <= end) {
    if (index.toString('latin1', offset, offset + 4) === 'link') return undefined
    offset += 8 + index.readUInt32BE(offset + 4)
  }
  return offset === end ? paths : undefined
}

/**
 * Boots OpenCode denying the escaping links git tracks, while the whole workspace is walked: the
 * walk stays off the critical path. Should it find more, the server is booted again denying them
 * all, before anything is reviewed.
 */
export async function bootDenyingLinks(
  workspace: string,
  boot: (deniedLinks: string[]) => Promise<OpencodeServer>,
  log: Logger
): Promise<OpencodeServer> {
  const tracked = await escapingLinks(workspace, 'tracked')
  const walked = escapingLinks(workspace, 'all')
  // Awaited below; meanwhile a failure must not count as unhandled.
  walked.catch(() => undefined)
  const first = await boot(tracked)
  let all: string[]
  try {
    all = [...new Set([...tracked, ...(await walked)])].sort()
  } catch (error) {
    await first.stop()
    throw error
  }
  if (all.length)
    log.warning(
      `The reviewer may not read these links, which lead out of the workspace or into .git/: ${all.join(', ')}`
    )
  if (all.length === tracked.length) return first
  log.info('Links that git does not track were found: OpenCode is started again with them denied.')
  await first.stop()
  return boot(all)
}
