import * as exec from '@actions/exec'
import * as io from '@actions/io'
import * as tc from '@actions/tool-cache'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { DEFAULTS } from '../defaults.js'
import { ActionError } from '../errors.js'
import { platformPackage } from './platform.js'
import type { Logger } from '../logger.js'

const TOOL_NAME = 'opencode'
const BINARY_NAME = process.platform === 'win32' ? 'opencode.exe' : 'opencode'

async function versionOf(binary: string): Promise<string | undefined> {
  const result = await exec.getExecOutput(binary, ['--version'], { silent: true, ignoreReturnCode: true })
  return result.exitCode === 0 ? result.stdout.trim() : undefined
}

/** A version as the registry publishes one: `1.18.33`, `1.19.0-beta.2`; never a path, a URL or a range. */
const PUBLISHED_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/

/**
 * The newest version in what `npm view <package>@<spec> version --json` printed. The registry's answer is
 * installed and then run: a `file:` path or a URL posing as a version would install and run whatever it names.
 */
export function newestPublishedVersion(spec: string, answer: string): string {
  let versions: unknown
  try {
    versions = JSON.parse(answer || 'null')
  } catch {
    versions = answer
  }
  const newest = Array.isArray(versions) ? versions.at(-1) : versions
  if (typeof newest !== 'string' || !PUBLISHED_VERSION.test(newest)) {
    throw new ActionError(
      `Input 'opencode-version' is '${spec}', and the npm registry answered ${JSON.stringify(newest ?? null)?.slice(0, 200)}, which is no published version. Give a version, such as ${DEFAULTS['opencode-version']}.`
    )
  }
  return newest
}

/**
 * Runs npm in a folder of the run's own, with that folder as its prefix: npm reads the `.npmrc` of the
 * project it finds from its working folder, and the checkout's is the pull request's to write (a registry
 * of its choosing, or a script). Only the runner's own npm configuration applies.
 */
async function npmInOwnFolder<T>(work: (folder: string) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'opencode-npm-'))
  try {
    return await work(folder)
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}

function npm(folder: string, args: string[]): Promise<exec.ExecOutput> {
  return exec.getExecOutput('npm', [...args, '--prefix', folder], { cwd: folder, silent: true, ignoreReturnCode: true })
}

/** `latest`, `1.18`, `^1.18.0` → the exact version npm would install. */
async function resolveVersion(spec: string): Promise<string> {
  if (tc.isExplicitVersion(spec)) return spec
  const result = await npmInOwnFolder((folder) => npm(folder, ['view', `opencode-ai@${spec}`, 'version', '--json']))
  if (result.exitCode !== 0) {
    throw new ActionError(
      `Input 'opencode-version' is '${spec}', which matches no published opencode-ai version: ${result.stderr.trim()}`
    )
  }
  return newestPublishedVersion(spec, result.stdout.trim())
}

/** Installs, checks that the binary runs and reports `version`, and only then caches it. */
async function installIntoToolCache(version: string): Promise<string> {
  const packageName = platformPackage()
  return npmInOwnFolder(async (prefix) => {
    // Only the platform's binary package: `opencode-ai` itself would pull every variant (~185 MB each).
    // Silent: npm's words go into the error, so the local command's stdout keeps only the review.
    const { exitCode: code, stderr } = await npm(prefix, [
      'install',
      '--ignore-scripts',
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `${packageName}@${version}`
    ])
    const binary = path.join(prefix, 'node_modules', packageName, 'bin', BINARY_NAME)
    if (code !== 0 || !existsSync(binary)) {
      throw new ActionError(
        `Could not install OpenCode ${version} with npm (package ${packageName}, exit code ${code}). Check 'opencode-version' and that the runner reaches the npm registry.${stderr.trim() ? `\nnpm said: ${stderr.trim()}` : ''}`
      )
    }
    const installedVersion = await versionOf(binary)
    if (installedVersion !== version) {
      throw new ActionError(
        `The installed OpenCode reports version '${installedVersion ?? 'none'}' instead of ${version}; it may not run on this runner (${process.platform}/${process.arch}).`
      )
    }
    const cachedDir = await tc.cacheFile(binary, BINARY_NAME, TOOL_NAME, version)
    return path.join(cachedDir, BINARY_NAME)
  })
}

export interface OpencodeBinary {
  path: string
  /** The exact version wanted. */
  version: string
  /** False for a binary found on PATH: its version is read from the server it starts, which saves running it twice. */
  verified: boolean
}

/**
 * Finds `opencode` at the wanted version in the runner's tool cache, else on
 * PATH (to be checked once it runs), else installs it from npm into the tool
 * cache, kept for later jobs on self-hosted runners.
 */
export async function locateOpencode(versionSpec: string, log: Logger): Promise<OpencodeBinary> {
  const version = await resolveVersion(versionSpec)
  // The tool cache is keyed by version and only holds binaries checked when they were installed.
  const cachedDir = tc.find(TOOL_NAME, version)
  const cached = cachedDir && path.join(cachedDir, BINARY_NAME)
  if (cached && existsSync(cached)) {
    log.info(`Using OpenCode ${version} from the tool cache: ${cached}`)
    return { path: cached, version, verified: true }
  }
  const [onPath] = await io.findInPath(TOOL_NAME)
  if (onPath) {
    log.info(`Trying the OpenCode on PATH: ${onPath}`)
    return { path: onPath, version, verified: false }
  }
  return { path: await installOpencode(version, log), version, verified: true }
}

export async function installOpencode(version: string, log: Logger): Promise<string> {
  log.info(`Installing OpenCode ${version} from npm`)
  return installIntoToolCache(version)
}
