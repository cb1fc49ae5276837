/**
 * Review-queue benchmark: what a decision costs the Review page at a site's size. The queue holds a
 * finding for every study (each run writes one per study); the page loads it once, then after each
 * decision or undo fetches only that study's rows again. Side by side, through the same handler the
 * page calls (`review.queue`, JSON as it crosses to the renderer): the whole queue — what every
 * decision cost when the page reloaded it — and one study's rows.
 *
 *   npm run bench:review [-- --findings N]
 */
import { printResultLine } from '../src/main/app/result-line'
import { listReviewQueue, insertFinding, recordDecision } from '../src/main/store/review-repository'
import { databasePath, openDatabase } from '../src/main/store/database'
import { emptyNoduleItem, type NoduleFinding } from '../src/shared/finding'
import { tempDataDir } from '../tests/helpers/temp-services'
import { flag } from './flags'
import { fastest } from './timing'

const finding: NoduleFinding = {
  presence: 'present',
  count: 1,
  items: [{ ...emptyNoduleItem(), side: 'right', zone: 'upper', sizeMm: 12, density: 'solid', evidence: { start: 0, end: 29, text: 'Right upper zone nodule 12 mm' } }]
}

function main(): void {
  const findings = Number(flag('findings') ?? 20_000)
  const temp = tempDataDir('vzw-bench-review-')
  const db = openDatabase(databasePath(temp.dir))
  try {
    const addStudy = db.prepare('INSERT INTO studies (study_uid, pseudonym, created_at) VALUES (?, ?, ?)')
    const studyIds: number[] = []
    db.transaction(() => {
      for (let i = 0; i < findings; i++) {
        const studyId = Number(addStudy.run(`2.25.${i + 1}`, `CXR-${String(i).padStart(8, '0')}`, new Date().toISOString()).lastInsertRowid)
        studyIds.push(studyId)
        const id = insertFinding(db, { studyId, imageId: null, text: 'Right upper zone nodule 12 mm, solid.', structured: finding })
        // A tenth already decided, as a queue is part way through.
        if (i % 10 === 0) recordDecision(db, { findingId: id, decision: 'accept', secondsOnTask: 3, reviewer: 'Dr Bench' })
      }
    })()
    const whole = fastest(() => JSON.stringify(listReviewQueue(db)))
    const oneStudy = fastest(() => JSON.stringify(listReviewQueue(db, studyIds[Math.floor(findings / 2)])))
    console.log(`${findings} findings in the queue`)
    console.log(`whole queue (a reload per decision, before): ${whole.ms.toFixed(1)} ms, ${(whole.value.length / 1e6).toFixed(2)} MB of JSON`)
    console.log(`one study's rows (per decision, now):        ${oneStudy.ms.toFixed(2)} ms, ${(oneStudy.value.length / 1e3).toFixed(2)} kB of JSON`)
    printResultLine('review', {
      findings,
      queue_ms: whole.ms,
      queue_mb: whole.value.length / 1e6,
      decision_refresh_ms: oneStudy.ms,
      decision_refresh_kb: oneStudy.value.length / 1e3,
      reload_over_refresh: whole.ms / oneStudy.ms
    })
  } finally {
    db.close()
    temp.cleanup()
  }
}

main()
