import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
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
import { sendMessage } from '../../__fixtures__/opencode-session.js'
import { PLUGIN_LOAD_WINDOW_MS, writeHostileProjectFiles } from '../../__fixtures__/project-files.js'
import { OPENCODE_BIN_DIR } from '../../__fixtures__/runner.js'
import { serverEnvironment } from '../../src/opencode/config.js'
import { createOpencodeHome, removeOpencodeHome } from '../../src/opencode/home.js'
import { startServer } from '../../src/opencode/server.js'

// Each OpenCode flag the action sets, proven on the pinned binary against a control run without it. None of them
// keeps a .opencode/plugin(s)/ file in the working directory from running (shown last): OpenCode's empty project
// root, which holds none, is what does (see layouts.test.ts). The flags hold for what lies elsewhere (HOME, instructions, tools, MCP).
// Five servers at once, each kept alive for the plugin window: minutes on a busy machine.
jest.setTimeout(300_000)

let model: FakeModel
let dir: string

const PROJECT_PLUGINS = ['plugin', 'plugin-js', 'plugins', 'plugins-js']
const PROJECT_TOOLS = ['tool', 'tool-js', 'tools', 'tools-js', 'dot-opencode-json-mcp']
const CONTROL_MARKERS = [...PROJECT_PLUGINS, ...PROJECT_TOOLS, 'home-plugin']

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
  /** The markers of the project's (and HOME's) code that ran so far. */
  markersRan(): string[]
  prompt: string
  texts: string[]
  stop(): Promise<void>
}

/** Boots the real server in a project holding every kind of OpenCode file, with `flags`, and sends one message. */
async function probe(name: string, flags: Record<string, string>): Promise<Probe> {
  const project = path.join(dir, name, 'project')
  const markers = path.join(dir, name, 'markers')
  const home = path.join(dir, name, 'home')
  for (const made of [project, markers, home]) mkdirSync(made, { recursive: true })
  const written = writeHostileProjectFiles(project, markers)
  mkdirSync(path.join(home, '.claude'))
  writeFileSync(path.join(home, '.claude/CLAUDE.md'), 'HOSTILE-HOME-CLAUDE-TEXT\n')
  // A plugin outside the project: the runner's HOME.
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
  const stop = async () => {
    await server.stop()
    removeOpencodeHome(opencodeHome.dir)
  }
  try {
    expect(await sendMessage(server, 'Hello')).toBe(200)
  } catch (error) {
    await stop()
    throw error
  }
  return {
    markersRan: () => written.markerFiles.filter((marker) => existsSync(marker)).map((marker) => path.basename(marker)),
    // Probes run at once: each one's requests name its own working directory.
    prompt: model.requests
      .map(promptText)
      .filter((text) => text.includes(project))
      .join('\n'),
    texts: written.markerTexts,
    stop
  }
}

describe('on OpenCode 1.18.33, in a directory that holds a pull request’s OpenCode files', () => {
  const probes: Record<string, Probe> = {}
  const ran: Record<string, string[]> = {}

  beforeAll(async () => {
    const runs = {
      control: probe('control', {}),
      pure: probe('pure', { OPENCODE_PURE: '1' }),
      projectConfig: probe('project-config', { OPENCODE_DISABLE_PROJECT_CONFIG: '1' }),
      claudeCode: probe('claude-code', { OPENCODE_DISABLE_CLAUDE_CODE: '1' }),
      all: probe('all', serverEnvironment({ pullRequest: true, ownOpencode: false }))
    }
    for (const [name, run] of Object.entries(runs)) probes[name] = await run
    // Plugins load a few seconds after the first message: every probe gets the time the control needs, and more
    // (on a busy machine up to three windows: the pull-request tests keep their server alive one window).
    const deadline = Date.now() + 3 * PLUGIN_LOAD_WINDOW_MS
    while (probes.control.markersRan().length < CONTROL_MARKERS.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 250))
    await new Promise((resolve) => setTimeout(resolve, 2000))
    for (const [name, running] of Object.entries(probes)) ran[name] = running.markersRan()
    await Promise.all(Object.values(probes).map((running) => running.stop()))
  })

  it('without a flag, the project’s and HOME’s plugins, tools and MCP servers run within the window, and the project’s instructions reach the model (the control)', () => {
    expect(ran.control).toEqual(expect.arrayContaining(CONTROL_MARKERS))
    expect(probes.control.prompt).toContain('HOSTILE-AGENTS-TEXT')
    expect(probes.control.prompt).toContain('HOSTILE-HOME-CLAUDE-TEXT')
  })

  it('OPENCODE_PURE: no plugin from outside the project runs (~/.opencode/plugin/)', () => {
    expect(ran.pure).not.toContain('home-plugin')
  })

  it('OPENCODE_DISABLE_PROJECT_CONFIG: none of the project’s tools or MCP servers runs', () => {
    expect(ran.projectConfig.filter((marker) => PROJECT_TOOLS.includes(marker))).toEqual([])
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

  it('with the action’s flags, no tool, MCP server, hook or instruction of the project’s takes effect', () => {
    expect(probes.all.prompt).not.toBe('')
    expect(ran.all.filter((marker) => !PROJECT_PLUGINS.includes(marker))).toEqual([])
    for (const text of probes.all.texts) expect(probes.all.prompt).not.toContain(text)
  })

  it('whatever the flags, the .opencode/plugin(s) files in the working directory run: why the reviewer never starts where a pull request’s files are', () => {
    expect(ran.all).toEqual(expect.arrayContaining(PROJECT_PLUGINS))
  })
})
