import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fakeLogger } from '../../__fixtures__/logger.js'
import { installOpencode, newestPublishedVersion } from '../../src/opencode/install.js'
import { platformPackage } from '../../src/opencode/platform.js'

describe('newestPublishedVersion', () => {
  it('takes the newest of the versions npm lists', () => {
    expect(newestPublishedVersion('latest', '"1.18.33"')).toBe('1.18.33')
    expect(newestPublishedVersion('^1.18.0', '["1.18.32","1.18.33"]')).toBe('1.18.33')
    expect(newestPublishedVersion('next', '"1.19.0-beta.2"')).toBe('1.19.0-beta.2')
  })

  it.each([
    '"file:/tmp/evil"',
    '"https://example.com/evil.tgz"',
    '"^1.0.0"',
    '"1.2.3 || file:x"',
    'null',
    '["1.0.0","git+ssh://x"]'
  ])('refuses %s, which npm would install as something else than a published version', (answer) => {
    expect(() => newestPublishedVersion('latest', answer)).toThrow(
      /^Input 'opencode-version' is 'latest', and the npm registry answered .*, which is no published version\./
    )
  })
})

describe('installOpencode', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'install-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  // Why the registry's answer is checked (see e2e/install.test.ts): installing runs the binary installed.
  it('runs the code a version that is a path names, with the action’s environment: the control', async () => {
    const evil = path.join(dir, 'evil')
    mkdirSync(path.join(evil, 'bin'), { recursive: true })
    writeFileSync(path.join(evil, 'package.json'), JSON.stringify({ name: platformPackage(), version: '0.0.0' }))
    const marker = path.join(dir, 'ran')
    writeFileSync(path.join(evil, 'bin/opencode'), `#!/bin/sh\necho "$0" > ${marker}\necho 0.0.0\n`)
    chmodSync(path.join(evil, 'bin/opencode'), 0o755)
    await expect(installOpencode(`file:${evil}`, fakeLogger())).rejects.toThrow("reports version '0.0.0'")
    expect(existsSync(marker)).toBe(true)
  })
})
