import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULTS } from '../src/defaults.js'
import { platformPackage } from '../src/opencode/platform.js'

/**
 * The real `opencode` binary for the end-to-end tests, `npm run demo` and `npm run bench`:
 * OpenCode's package for this machine, at the version the action pins, installed once into
 * .tmp/opencode/. It is no dependency of this package, which would ship it to every user.
 * The scripts call it themselves; jest, through __fixtures__/e2e-setup.mjs.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const INSTALL_DIR = path.join(ROOT, '.tmp/opencode')
/** Holds the link `opencode` to the installed binary: OPENCODE_BIN_DIR of __fixtures__/runner.ts. */
const BIN_DIR = path.join(INSTALL_DIR, 'bin')

/**
 * Installs the pinned binary unless it is already there, points BIN_DIR/opencode at it and
 * returns BIN_DIR. Each version gets its own directory, filled under a temporary name and then
 * renamed, so runs started at the same time never see (or leave) half an install.
 */
export function ensureOpencodeBinary(): string {
  const packageName = platformPackage()
  const spec = `${packageName}@${DEFAULTS['opencode-version']}`
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
