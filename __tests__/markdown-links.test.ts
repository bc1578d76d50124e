import { describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { documentationFiles, readRepositoryFile, repositoryRoot } from '../__fixtures__/action-metadata.js'

// A page moved or a heading renamed leaves links that lead nowhere; GitHub renders them without a word.
// Every relative link of the README, the changelog and docs/ must name a file that exists and, with a
// `#fragment` into a markdown page, a heading of it.

/** The markdown without fenced blocks and code spans, where `[a](b)` is code, not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '')
}

/** The targets of `[text](target)` links that stay in the repository. */
function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1])
    .filter((target) => !/^[a-z][a-z+.-]*:/i.test(target))
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens. */
function headingAnchors(markdown: string): Set<string> {
  return new Set(
    [...markdown.replace(/^```[\s\S]*?^```$/gm, '').matchAll(/^#{1,6} +(.+)$/gm)].map((match) =>
      match[1]
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-')
    )
  )
}

/** Why `target`, linked from `page`, leads nowhere; undefined when it resolves. */
function brokenLink(page: string, target: string, read: (file: string) => string | undefined): string | undefined {
  const [file, fragment] = target.split('#', 2)
  const linked = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file))
  const text = read(linked)
  if (text === undefined) return `${page}: ${target} (no file ${linked})`
  if (fragment === undefined || !linked.endsWith('.md')) return undefined
  return headingAnchors(text).has(fragment) ? undefined : `${page}: ${target} (no heading #${fragment} in ${linked})`
}

function readIfPresent(file: string): string | undefined {
  if (file.startsWith('../') || !existsSync(new URL(file, repositoryRoot))) return undefined
  return file.endsWith('.md') ? readRepositoryFile(file) : ''
}

describe('links between the pages', () => {
  const pages = documentationFiles()

  it('are found: the README links to each page of docs/', () => {
    const linked = relativeLinks(readRepositoryFile('README.md')).map((target) => target.split('#')[0])
    expect(pages.filter((page) => page.startsWith('docs/') && !linked.includes(page))).toEqual([])
  })

  it.each(pages)('%s links only to files and headings that exist', (page) => {
    const broken = relativeLinks(readRepositoryFile(page)).flatMap(
      (target) => brokenLink(page, target, readIfPresent) ?? []
    )
    expect(broken).toEqual([])
  })
})

describe('the link check refuses', () => {
  const site: Record<string, string> = {
    'README.md': '# Title\n\n## Quick start\n',
    'docs/a.md': '# A page\n\n## `/review` comments\n\n```md\n[code](nowhere.md)\n```\n'
  }
  const read = (file: string) => site[file]

  it('a file that is not there, and a heading that is not there', () => {
    expect(brokenLink('docs/a.md', 'b.md', read)).toBe('docs/a.md: b.md (no file docs/b.md)')
    expect(brokenLink('docs/a.md', '../README.md#quick-starts', read)).toBe(
      'docs/a.md: ../README.md#quick-starts (no heading #quick-starts in README.md)'
    )
  })

  it('nothing that resolves, nor a link inside code, nor a link out of the repository', () => {
    expect(brokenLink('docs/a.md', '../README.md#quick-start', read)).toBeUndefined()
    expect(brokenLink('docs/a.md', '#review-comments', read)).toBeUndefined()
    expect(relativeLinks(`${site['docs/a.md']}[x](https://example.com) [y](\`z\`)`)).toEqual([])
  })
})
