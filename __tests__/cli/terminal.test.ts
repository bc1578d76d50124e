import { describe, expect, it } from '@jest/globals'
import { PassThrough } from 'node:stream'
import { humanLine, openTerminal } from '../../src/cli/terminal.js'

function stream(tty: boolean): NodeJS.WriteStream & { text: () => string } {
  const sink = new PassThrough() as unknown as NodeJS.WriteStream & { text: () => string }
  let written = ''
  sink.write = ((chunk: string) => ((written += chunk), true)) as typeof sink.write
  sink.isTTY = tty
  sink.columns = 60
  sink.text = () => written
  return sink
}

describe('humanLine', () => {
  it('rewords workflow commands for a person and hides the ones meant for the runner', () => {
    expect(humanLine('::error::Bad key%0Asecond line')).toBe('error: Bad key\nsecond line')
    expect(humanLine('::warning file=a.ts::Careful')).toBe('warning: Careful')
    expect(humanLine('::notice::Skipped')).toBe('note: Skipped')
    expect(humanLine('::group::Diff: 3 files')).toBe('Diff: 3 files')
    expect(humanLine('::debug::noise')).toBeUndefined()
    expect(humanLine('::add-mask::secret')).toBeUndefined()
    expect(humanLine('plain text')).toBe('plain text')
  })
})

describe('openTerminal', () => {
  it('keeps stdout for the result and sends what the modules print to stderr', () => {
    const out = stream(false)
    const err = stream(false)
    const terminal = openTerminal(out, err)
    out.write('::debug::hidden\nOpenCode is listening\n::warning::Slow\n')
    terminal.progress('[review] read src/a.ts')
    terminal.result('# Review')
    terminal.close()
    expect(out.text()).toBe('# Review\n')
    expect(err.text()).toBe('OpenCode is listening\nwarning: Slow\n[review] read src/a.ts\n')
  })

  it('on a terminal, shows progress on one redrawn line instead of many', () => {
    const out = stream(false)
    const err = stream(true)
    const terminal = openTerminal(out, err)
    terminal.progress('[review] read src/a.ts')
    out.write('a log line\n')
    terminal.close()
    expect(err.text()).toContain('\r\x1b[2K')
    expect(err.text()).toMatch(/\d+s \[review\] read src\/a\.ts/)
    expect(err.text()).toContain('a log line\n')
    expect(err.text()).not.toContain('[review] read src/a.ts\n')
  })
})
