import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fakeLogger } from '../../__fixtures__/logger.js'
import {
  FAKE_MODEL,
  FAKE_PROVIDER,
  type FakeModel,
  fakeProviderConfig,
  promptText,
  startFakeModel
} from '../../__fixtures__/fake-model.js'
import { writeHostileProjectFiles } from '../../__fixtures__/project-files.js'
import { OPENCODE_BIN_DIR } from '../../__fixtures__/runner.js'
import { serverEnvironment } from '../../src/opencode/config.js'
import { createOpencodeHome, removeOpencodeHome } from '../../src/opencode/home.js'
import { basicAuthorization, startServer } from '../../src/opencode/server.js'

// Each OpenCode flag the action relies on, proven on the pinned binary against a control run without it, in a
// directory laid out as the reviewer's snapshot is (no .git). The snapshot holds none of these files; the flags
// hold should a later OpenCode look elsewhere. In a git checkout the flags alone are not enough: shown last.
jest.setTimeout(120_000)

let model: FakeModel
let dir: string

beforeAll(async () => {
  model = await startFakeModel()
  model.script([], { kind: 'reply', text: 'ok' })
  dir = mkdtempSync(path.join(tmpdir(), 'opencode-flags-'))
})

afterAll(async () => {
  await model.close()
  rmSync(dir, { recursive: true, force: true })
})

interface Probe {
  markersRan: string[]
  prompt: string
  texts: string[]
}

/** Boots the real server in a project holding every kind of OpenCode file, with `flags`, and sends one message. */
async function probe(name: string, flags: Record<string, string>, gitCheckout = false): Promise<Probe> {
  const project = path.join(dir, name, 'project')
  const markers = path.join(dir, name, 'markers')
  const home = path.join(dir, name, 'home')
  for (const made of [project, markers, home]) mkdirSync(made, { recursive: true })
  const written = writeHostileProjectFiles(project, markers)
  if (gitCheckout) execFileSync('git', ['init', '--quiet', project])
  mkdirSync(path.join(home, '.claude'))
  writeFileSync(path.join(home, '.claude/CLAUDE.md'), 'HOSTILE-HOME-CLAUDE-TEXT\n')
  // Plugins outside the project: the runner's HOME, and a config directory named by a variable.
  const homePlugin = path.join(markers, 'home-plugin')
  mkdirSync(path.join(home, '.opencode/plugin'), { recursive: true })
  writeFileSync(
    path.join(home, '.opencode/plugin/home.js'),
    `import { writeFileSync } from 'fs'\nwriteFileSync(${JSON.stringify(homePlugin)}, 'ran')\n`
  )
  written.markerFiles.push(homePlugin)
  const opencodeHome = createOpencodeHome(path.join(dir, name), '1.18.33')
  const server = await startServer({
    binary: path.join(OPENCODE_BIN_DIR, 'opencode'),
    cwd: project,
    env: { PATH: process.env.PATH ?? '', HOME: home, ...opencodeHome.environment, ...flags },
    config: JSON.stringify({ ...fakeProviderConfig(model.baseURL), model: `${FAKE_PROVIDER}/${FAKE_MODEL}` }),
    startupTimeoutMs: 60_000,
    log: fakeLogger()
  })
  try {
    const headers = { authorization: basicAuthorization(server.password), 'content-type': 'application/json' }
    const session = (await (await fetch(`${server.url}/session`, { method: 'POST', headers, body: '{}' })).json()) as {
      id: string
    }
    const answered = await fetch(`${server.url}/session/${session.id}/message`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        model: { providerID: FAKE_PROVIDER, modelID: FAKE_MODEL },
        parts: [{ type: 'text', text: 'Hello' }]
      })
    })
    expect(answered.status).toBe(200)
    // Plugins load alongside the first message: the slowest gets a moment to leave its marker.
    await new Promise((resolve) => setTimeout(resolve, 2000))
    return {
      markersRan: written.markerFiles.filter((marker) => existsSync(marker)).map((marker) => path.basename(marker)),
      // Probes run at once: each one's requests name its own working directory.
      prompt: model.requests
        .map(promptText)
        .filter((text) => text.includes(project))
        .join('\n'),
      texts: written.markerTexts
    }
  } finally {
    await server.stop()
    removeOpencodeHome(opencodeHome.dir)
  }
}

const ACTION_FLAGS = serverEnvironment({ pullRequest: true, ownOpencode: false })

describe('on OpenCode 1.18.33, in a directory that holds a pull request’s OpenCode files', () => {
  const probes: Record<string, Probe> = {}

  beforeAll(async () => {
    const runs = {
      control: probe('control', {}),
      pure: probe('pure', { OPENCODE_PURE: '1' }),
      projectConfig: probe('project-config', { OPENCODE_DISABLE_PROJECT_CONFIG: '1' }),
      claudeCode: probe('claude-code', { OPENCODE_DISABLE_CLAUDE_CODE: '1' }),
      all: probe('all', ACTION_FLAGS),
      checkout: probe('checkout', ACTION_FLAGS, true)
    }
    for (const [name, run] of Object.entries(runs)) probes[name] = await run
  })

  const projectCode = ['plugin', 'plugins', 'tool', 'tools', 'dot-opencode-json-mcp']

  it('without a flag, the project’s and HOME’s plugins run and the project’s instructions reach the model (the control)', () => {
    expect(probes.control.markersRan).toEqual(expect.arrayContaining([...projectCode, 'home-plugin']))
    expect(probes.control.prompt).toContain('HOSTILE-AGENTS-TEXT')
    expect(probes.control.prompt).toContain('HOSTILE-HOME-CLAUDE-TEXT')
  })

  it('OPENCODE_PURE: no plugin from outside the project runs (~/.opencode/plugin/)', () => {
    expect(probes.pure.markersRan).not.toContain('home-plugin')
  })

  it('OPENCODE_DISABLE_PROJECT_CONFIG: none of the project’s plugins, tools or MCP servers runs', () => {
    expect(probes.projectConfig.markersRan.filter((marker) => marker !== 'home-plugin')).toEqual([])
  })

  it('OPENCODE_DISABLE_PROJECT_CONFIG: neither the project’s config nor its AGENTS.md instructs the model', () => {
    for (const text of ['HOSTILE-AGENTS-TEXT', 'HOSTILE-INSTRUCTIONS-TEXT', 'HOSTILE-OPENCODE-JSON-AGENT-TEXT'])
      expect(probes.projectConfig.prompt).not.toContain(text)
  })

  // The project's CLAUDE.md counts only where there is no AGENTS.md, which the project-config flag covers.
  it('OPENCODE_DISABLE_CLAUDE_CODE: HOME’s ~/.claude/CLAUDE.md does not instruct the model', () => {
    expect(probes.claudeCode.prompt).toContain('HOSTILE-AGENTS-TEXT')
    expect(probes.claudeCode.prompt).not.toContain('HOSTILE-HOME-CLAUDE-TEXT')
  })

  it('with the action’s flags, no marker of the project’s code or text is left', () => {
    expect(probes.all.prompt).not.toBe('')
    expect(probes.all.markersRan).toEqual([])
    for (const text of probes.all.texts) expect(probes.all.prompt).not.toContain(text)
  })

  it('in a git checkout, the project’s .opencode/plugin(s) run whatever the flags: why the reviewer never starts in one', () => {
    expect(probes.checkout.markersRan).toEqual(expect.arrayContaining(['plugin', 'plugins']))
  })
})
