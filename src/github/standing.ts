import { isRecorded, type RecordedFinding } from '../domain/markers.js'
import { type EarlierFinding, locateCode, type Waiver, waiverOf } from '../domain/standing.js'
import type { ThreadedFinding } from '../domain/thread.js'
import type { Logger } from '../logger.js'
import type { PullRequest } from '../domain/pull-request.js'
import type { Octokit } from './client.js'
import { readFindingThreads } from './finding-threads.js'
import type { ReadHeadFile } from './head-files.js'
import type { ReviewHistory } from './history.js'

/**
 * The findings earlier runs posted on a pull request, judged again on every run from what GitHub holds:
 * their threads, the reactions and replies in them, and the head's code. Nothing is kept on the runner.
 */

export interface EarlierFindings {
  findings: EarlierFinding[]
  /** The keys of the findings a person with write access waived: found again, they are not counted again. */
  waivedKeys: string[]
  /** The threads the action's findings opened, as read. */
  threads: ThreadedFinding[]
}

/** No earlier findings: a local branch's, or a pull request nobody posted findings on. */
export const NO_EARLIER_FINDINGS: EarlierFindings = { findings: [], waivedKeys: [], threads: [] }

/** Whether the code `posted` sits on is still near `near` in the head; a file that cannot be read leaves it unknown. */
async function judgeCode(
  posted: RecordedFinding,
  near: number,
  readHead: ReadHeadFile
): Promise<Pick<EarlierFinding, 'state' | 'place'>> {
  if (posted.codeFingerprint === undefined) return { state: 'unknown' }
  const file = await readHead(posted.file)
  if (file.kind === 'unreadable') return { state: 'unknown' }
  const place = locateCode(posted, file.kind === 'lines' ? file.lines : undefined, near)
  return place ? { state: 'stands', place } : { state: 'fixed' }
}

const WAIVED_HOW: Record<Waiver['how'], string> = {
  resolved: 'resolved its thread',
  'thumbs-down': 'reacted 👎',
  reply: 'replied to dismiss it'
}

function logJudged(findings: readonly EarlierFinding[], log: Logger): void {
  if (findings.length === 0) return
  const count = (state: EarlierFinding['state']) => findings.filter((finding) => finding.state === state).length
  log.info(
    `Findings of earlier reviews: ${count('stands') + count('unknown')} stand, ${count('fixed')} fixed (their code changed or is gone), ${count('waived')} waived.`
  )
  for (const { posted, waiver } of findings)
    if (waiver) log.info(`  waived: ${posted.file}: ${posted.title} (@${waiver.by} ${WAIVED_HOW[waiver.how]})`)
  for (const { posted, state } of findings)
    if (state === 'unknown')
      log.info(`  counted as standing, its code could not be read: ${posted.file}: ${posted.title}`)
}

/**
 * Judges each finding earlier runs posted (those an older release recorded without its severity are not):
 * waived when a person with write access waived it, or one with the same file and title, on its thread;
 * else standing while its code is near where it was in the head, fixed once it changed or is gone.
 */
export async function readEarlierFindings(
  octokit: Octokit,
  pullRequest: PullRequest,
  history: ReviewHistory | undefined,
  readHead: ReadHeadFile,
  log: Logger
): Promise<EarlierFindings> {
  if (!history || (history.posted.length === 0 && history.listed.length === 0)) return NO_EARLIER_FINDINGS
  const threads = await readFindingThreads(octokit, pullRequest, log)
  const waivers = new Map<string, Waiver>()
  for (const thread of threads) {
    const waiver = waiverOf(thread)
    if (waiver && !waivers.has(thread.finding.key)) waivers.set(thread.finding.key, waiver)
  }
  const earlier = [
    ...threads.map((thread) => ({
      posted: thread.finding,
      url: thread.url,
      sticky: false,
      near: thread.current?.startLine ?? thread.finding.startLine
    })),
    ...history.listed.map(({ posted, url, sticky }) => ({ posted, url, sticky, near: posted.startLine }))
  ]
  const findings = await Promise.all(
    earlier.flatMap(({ posted, url, sticky, near }) => {
      if (!isRecorded(posted)) return []
      const waiver = waivers.get(posted.key)
      const judged: Promise<EarlierFinding> = waiver
        ? Promise.resolve({ posted, url, sticky, state: 'waived', waiver })
        : judgeCode(posted, near, readHead).then((code) => ({ posted, url, sticky, ...code }))
      return [judged]
    })
  )
  logJudged(findings, log)
  return { findings, waivedKeys: [...waivers.keys()], threads }
}
