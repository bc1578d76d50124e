import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { fakeLogger } from '../../__fixtures__/logger.js'
import { processesIn } from '../../__fixtures__/runner.js'
import { killOrphanedServer, startServer } from '../../src/opencode/server.js'

const bin = (name: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), '../../__fixtures__/bin', name)
const log = fakeLogger()
const options = {
  cwd: process.cwd(),
  env: { PATH: process.env.PATH ?? '' },
  config: '{}',
  startupTimeoutMs: 10_000,
  log
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('startServer', () => {
  it('starts again on another port when the one it picked was taken before OpenCode bound it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'port-taken-'))
    const marker = path.join(dir, 'failed-once')
    const server = await startServer({
      ...options,
      binary: bin('port-taken-once'),
      env: { ...options.env, FAKE_SERVE_MARKER: marker }
    })
    expect(existsSync(marker)).toBe(true)
    expect(log.debug).toHaveBeenCalledWith(expect.stringContaining('The port picked for OpenCode was taken meanwhile'))
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('resolves once /global/health answers behind the random password, and stop() ends the process', async () => {
    const server = await startServer({ ...options, binary: bin('fake-serve.mjs') })
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.password.length).toBeGreaterThanOrEqual(32)
    expect(log.mask).toHaveBeenCalledWith(server.password)
    const health = await fetch(`${server.url}/global/health`, {
      headers: { authorization: `Basic ${Buffer.from(`opencode:${server.password}`).toString('base64')}` }
    })
    expect(health.status).toBe(200)
    expect((await fetch(`${server.url}/global/health`)).status).toBe(401)

    await server.stop()
    expect(alive(server.pid)).toBe(false)
  })

  it('fails at once with the last output when the server exits while booting', async () => {
    const started = Date.now()
    await expect(startServer({ ...options, binary: bin('dies-at-boot') })).rejects.toThrow(
      'OpenCode exited (code 3) before it was ready. Its last output:\nError: Configuration is invalid at OPENCODE_CONFIG_CONTENT'
    )
    // Not the 10 s startup timeout: the exit is noticed as it happens.
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('logs nothing about the polls that fail while the server boots', async () => {
    const quiet = fakeLogger()
    // Longer than one slice of polling, so that at least one slice times out.
    const server = await startServer({
      ...options,
      log: quiet,
      env: { ...options.env, FAKE_SERVE_LISTEN_AFTER_MS: '1500' },
      binary: bin('fake-serve.mjs')
    })
    await server.stop()

    expect(server.version).toBe('fake')
    const logged = [...quiet.debug.mock.calls, ...quiet.info.mock.calls, ...quiet.warning.mock.calls].flat()
    expect(logged.filter((line) => /health|Timed out|ECONNREFUSED/.test(String(line)))).toEqual([])
  })

  it('gives up after startup-timeout on a server that never listens, and kills it', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'never-listens-'))
    const error = await startServer({ ...options, cwd, binary: bin('never-listens'), startupTimeoutMs: 1_500 }).catch(
      (e: Error) => e
    )
    expect(String(error)).toContain('did not answer')
    expect(String(error)).toContain("within 1.5s ('startup-timeout')")
    expect(processesIn(cwd)).toEqual([])
    rmSync(cwd, { recursive: true })
  })

  it('does not hang on a port that accepts connections and never answers', async () => {
    const error = await startServer({
      ...options,
      binary: bin('fake-serve.mjs'),
      env: { ...options.env, FAKE_SERVE_SILENT: '1' },
      startupTimeoutMs: 2_000
    }).catch((e: Error) => e)
    expect(String(error)).toContain("within 2s ('startup-timeout')")
  })

  it('says so when the binary cannot be started', async () => {
    await expect(startServer({ ...options, binary: '/nonexistent/opencode' })).rejects.toThrow(
      "Could not start '/nonexistent/opencode'"
    )
  })
})

/** The processes of a process group; one that ends while /proc is read is left out. */
function groupMembers(groupId: number): string[] {
  return readdirSync('/proc').filter((entry) => {
    if (!/^\d+$/.test(entry)) return false
    try {
      return readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[2] === String(groupId)
    } catch {
      return false
    }
  })
}

describe('killOrphanedServer', () => {
  it('kills the whole process group and returns once its leader no longer runs', async () => {
    // A leader with a child of its own, detached as the server is.
    const leader = spawn('sh', ['-c', 'sleep 60 & wait'], { detached: true, stdio: 'ignore' })
    const exited = new Promise((resolve) => leader.once('exit', resolve))
    const pid = leader.pid as number
    // On a busy machine the shell may take a while to start its child.
    let group = groupMembers(pid)
    for (let waited = 0; group.length < 2 && waited < 10_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      group = groupMembers(pid)
    }
    expect(group.length).toBe(2)

    expect(await killOrphanedServer(pid)).toBe(true)

    // Gone, or a zombie waiting for its parent to reap it. The leader is (killOrphanedServer waited for it); the
    // group's other member was killed by the same signal, and the kernel may take a moment to tear it down.
    const state = (member: number | string): string => {
      try {
        return readFileSync(`/proc/${member}/stat`, 'utf8').split(') ')[1]?.[0] ?? 'gone'
      } catch {
        return 'gone' // Reaped while we looked.
      }
    }
    const ended = (member: number | string) => ['gone', 'Z', 'X'].includes(state(member))
    expect(ended(pid)).toBe(true)
    for (let waited = 0; !group.every(ended) && waited < 5_000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50))
    expect(group.map(state).filter((member) => !['gone', 'Z', 'X'].includes(member))).toEqual([])
    await exited
  })
})
