import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The real `opencode` binary for the end-to-end tests, `npm run demo` and `npm run bench`:
 * OpenCode's package for this machine, at the version the action pins, installed once into
 * .tmp/opencode/. It is no dependency of this package, which would ship it to every user.
 * Jest runs this module as the e2e project's globalSetup; the scripts call it themselves.
 *
 * Only node: imports here: jest loads a globalSetup without the tests' module mapping.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const INSTALL_DIR = path.join(ROOT, '.tmp/opencode')
/** Holds the link `opencode` to the installed binary: OPENCODE_BIN_DIR of __fixtures__/runner.ts. */
const BIN_DIR = path.join(INSTALL_DIR, 'bin')

/** src/defaults.ts's pinned 'opencode-version', read rather than imported (see above). */
function pinnedVersion(): string {
  const source = readFileSync(path.join(ROOT, 'src/defaults.ts'), 'utf8')
  const version = /'opencode-version': '([^']+)'/.exec(source)?.[1]
  if (!version) throw new Error("src/defaults.ts no longer pins 'opencode-version' as a string literal")
  return version
}

/** The package src/opencode/install.ts installs on this machine: the one opencode-ai's own installer picks. */
function platformPackage(): string {
  const { platform, arch } = process
  const os = platform === 'win32' ? 'windows' : platform
  const cpuInfo = platform === 'linux' && existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : ''
  const baseline = arch === 'x64' && platform === 'linux' && !/\bavx2\b/.test(cpuInfo)
  const musl = platform === 'linux' && existsSync('/etc/alpine-release')
  return `opencode-${os}-${arch}${baseline ? '-baseline' : ''}${musl ? '-musl' : ''}`
}

/**
 * Installs the pinned binary unless it is already there, points BIN_DIR/opencode at it and
 * returns BIN_DIR. Each version gets its own directory, filled under a temporary name and then
 * renamed, so runs started at the same time never see (or leave) half an install.
 */
export function ensureOpencodeBinary(): string {
  const packageName = platformPackage()
  const spec = `${packageName}@${pinnedVersion()}`
  const versionDir = path.join(INSTALL_DIR, spec)
  if (!existsSync(versionDir)) {
    const staging = `${versionDir}.${process.pid}`
    rmSync(staging, { recursive: true, force: true })
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        staging,
        '--no-save',
        '--no-package-lock',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        spec
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit']
      }
    )
    try {
      renameSync(staging, versionDir)
    } catch (error) {
      // Another run finished the same install first.
      rmSync(staging, { recursive: true, force: true })
      if (!existsSync(versionDir)) throw error
    }
  }
  const binary = path.join(versionDir, 'node_modules', packageName, 'bin', 'opencode')
  if (!existsSync(binary)) throw new Error(`${spec} holds no ${binary}`)
  mkdirSync(BIN_DIR, { recursive: true })
  const link = path.join(BIN_DIR, 'opencode')
  const newLink = `${link}.${process.pid}`
  rmSync(newLink, { force: true })
  symlinkSync(path.relative(BIN_DIR, binary), newLink)
  // A rename replaces the old link in one step, under tests that may be running it.
  renameSync(newLink, link)
  return BIN_DIR
}

export default ensureOpencodeBinary
