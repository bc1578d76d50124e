import { describe, expect, it } from '@jest/globals'
import { carryOver, onlyFiles, parseWalkthrough, synthesizedRows } from '../../src/domain/walkthrough.js'

const row = (change: string, ...files: string[]) => ({ files, change })

describe('parseWalkthrough', () => {
  it('keeps well-formed rows, their change one trimmed line, paths without a leading ./', () => {
    expect(
      parseWalkthrough([
        { files: ['./src/a.ts', 'src/b.ts', 'src/a.ts'], change: '  Adds the parser.\nSecond line.' },
        { files: 'docs/x.md', change: 'One path as a string.' }
      ])
    ).toEqual([row('Adds the parser.', 'src/a.ts', 'src/b.ts'), row('One path as a string.', 'docs/x.md')])
  })

  it('drops what is malformed, never throwing', () => {
    expect(
      parseWalkthrough([
        null,
        'text',
        [1],
        { files: [], change: 'No file.' },
        { files: ['a.ts'], change: '   ' },
        { files: ['a.ts'] },
        { files: [3, '', '  '], change: 'No usable path.' },
        { files: ['a.ts'], change: 42 },
        { files: ['b.ts', 5], change: 'Kept.' }
      ])
    ).toEqual([row('Kept.', 'b.ts')])
    expect(parseWalkthrough(undefined)).toEqual([])
    expect(parseWalkthrough({ files: ['a.ts'], change: 'Not a list.' })).toEqual([])
  })

  it('cuts a long change and keeps at most 50 rows', () => {
    const rows = parseWalkthrough(
      Array.from({ length: 80 }, (_, i) => ({ files: [`f${i}.ts`], change: 'x'.repeat(500) }))
    )
    expect(rows).toHaveLength(50)
    expect(rows[0].change).toHaveLength(300)
    expect(rows[49].files).toEqual(['f49.ts'])
  })
})

describe('onlyFiles', () => {
  it('drops paths outside the files, and a row left with none', () => {
    expect(
      onlyFiles(
        [row('Mixed.', 'src/a.ts', 'src/unknown.ts'), row('Unknown.', 'src/nope.ts'), row('Known.', 'src/b.ts')],
        ['src/a.ts', 'src/b.ts']
      )
    ).toEqual([row('Mixed.', 'src/a.ts'), row('Known.', 'src/b.ts')])
  })

  it('keeps each path in its first row only', () => {
    expect(onlyFiles([row('First.', 'a.ts', 'b.ts'), row('Again.', 'a.ts')], ['a.ts', 'b.ts'])).toEqual([
      row('First.', 'a.ts', 'b.ts')
    ])
  })
})

describe('carryOver', () => {
  it('keeps the earlier rows for files the new rows do not describe, then appends the new rows', () => {
    const earlier = [row('Adds login.', 'src/login.ts', 'src/session.ts'), row('Documents it.', 'docs/login.md')]
    const latest = [row('Fixes the cookie.', 'src/session.ts'), row('Adds a test.', 'test/session.test.ts')]
    expect(carryOver(earlier, latest)).toEqual([
      row('Adds login.', 'src/login.ts'),
      row('Documents it.', 'docs/login.md'),
      ...latest
    ])
    expect(carryOver([row('Old.', 'a.ts')], [row('New.', 'a.ts')])).toEqual([row('New.', 'a.ts')])
  })
})

describe('synthesizedRows', () => {
  const parts = [row('Part 1, a.', 'a.ts'), row('Part 1, b.', 'b.ts'), row('Part 2, c.', 'c.ts')]

  it("takes the synthesis's rows on the parts' files, and the parts' rows for any file it left out", () => {
    expect(synthesizedRows([row('a and c together.', 'a.ts', 'c.ts', 'invented.ts')], parts)).toEqual([
      row('a and c together.', 'a.ts', 'c.ts'),
      row('Part 1, b.', 'b.ts')
    ])
  })

  it("falls back to the parts' rows in part order when the synthesis has none that fit", () => {
    expect(synthesizedRows([], parts)).toEqual(parts)
    expect(synthesizedRows([row('Made up.', 'invented.ts')], parts)).toEqual(parts)
  })
})
