import { describe, expect, it } from '@jest/globals'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createOpencodeHome, removeOpencodeHome } from '../../src/opencode/home.js'

describe('createOpencodeHome', () => {
  it('holds what OpenCode checks before installing its plugin package, and the developer’s own config and login', () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'opencode-home-test-'))
    const own = { config: path.join(parent, 'own/config'), data: path.join(parent, 'own/data') }
    for (const dir of ['agent', 'node_modules/zod']) mkdirSync(path.join(own.config, dir), { recursive: true })
    writeFileSync(path.join(own.config, 'opencode.json'), '{"model":"a/b"}')
    writeFileSync(path.join(own.config, 'package.json'), '{"dependencies":{"zod":"4"}}')
    mkdirSync(own.data, { recursive: true })
    writeFileSync(path.join(own.data, 'auth.json'), '{}')

    const home = createOpencodeHome(parent, '1.18.33', own)

    const config = path.join(home.dir, 'config/opencode')
    expect(readdirSync(config).sort()).toEqual(['agent', 'node_modules', 'opencode.json', 'package-lock.json'])
    expect(readdirSync(path.join(config, 'node_modules'))).toEqual([])
    expect(JSON.parse(readFileSync(path.join(config, 'package-lock.json'), 'utf8'))).toEqual({
      packages: { '': { dependencies: { '@opencode-ai/plugin': '1.18.33' } } }
    })
    expect(lstatSync(path.join(config, 'opencode.json')).isFile()).toBe(true)
    expect(realpathSync(path.join(config, 'agent'))).toBe(realpathSync(path.join(own.config, 'agent')))
    expect(realpathSync(path.join(home.dir, 'data/opencode/auth.json'))).toBe(
      realpathSync(path.join(own.data, 'auth.json'))
    )
    expect(home.environment).toEqual({
      XDG_CONFIG_HOME: path.join(home.dir, 'config'),
      OPENCODE_CONFIG_DIR: config,
      XDG_DATA_HOME: path.join(home.dir, 'data'),
      XDG_STATE_HOME: path.join(home.dir, 'state'),
      XDG_CACHE_HOME: path.join(home.dir, 'cache'),
      TMPDIR: path.join(home.dir, 'tmp')
    })

    removeOpencodeHome(home.dir)
    expect(existsSync(home.dir)).toBe(false)
    // Links go, what they lead to stays.
    expect(readdirSync(own.config).sort()).toEqual(['agent', 'node_modules', 'opencode.json', 'package.json'])
    expect(existsSync(path.join(own.data, 'auth.json'))).toBe(true)
    rmSync(parent, { recursive: true, force: true })
  })
})
