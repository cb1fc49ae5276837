import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { modelContentBox } from '../../src/main/dicom/resample'
import { Rng } from '../../src/main/random'
import { databasePath, openDatabase } from '../../src/main/store/database'
import { insertNodule } from '../../src/main/synth'
import { isHeldOut, isReportWithheld } from '../../src/main/model/warmup'
import { qaGameFilms } from '../../src/main/training/selfplay-round'
import { loadPlayedFilms } from '../../src/main/training/selfplay-studies'
import { writeSelfPlayCohort } from '../helpers/selfplay-cohort'

const dirs: string[] = []
afterEach(() => {
  while (dirs.length) fs.rmSync(dirs.pop()!, { recursive: true, force: true })
})

describe('self-play studies', () => {
  it('place the spy edits’ nodules in the lungs of a portrait film, not beside them in the model image’s padding', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-studies-'))
    dirs.push(dataDir)
    // 448 × 320 mm: the model image is the film scaled to 256 high and 183 wide, with 36 px of padding each side.
    const detector = { rows: 448, columns: 320, spacingMm: 1 }
    const truths = writeSelfPlayCohort(dataDir, 6, detector)
    const db = openDatabase(databasePath(dataDir))
    const studies = loadPlayedFilms(db, dataDir, { heldOutFraction: 0 }, { unreported: false }).reported
    db.close()
    expect(studies).toHaveLength(6)
    const film = modelContentBox(detector.columns, detector.rows, 256)
    const rng = new Rng(2)
    let placed = 0
    for (const study of studies) {
      const lungs = truths.find((t) => `ANON-${t.index}` === study.pseudonym)!.layout
      for (let k = 0; k < 20; k++) {
        const { nodule, edit } = insertNodule(study.radiograph, rng, study.chest)
        // The nodule's centre as fractions of the film (not of the padded model image).
        const x = (nodule!.spec.centerMm.x / study.radiograph.spacingMm[1] - film.x0) / film.width
        const y = (nodule!.spec.centerMm.y / study.radiograph.spacingMm[0] - film.y0) / film.height
        const lung = lungs[edit.after!.side as 'right' | 'left']
        // Within the phantom's own lung box on the side the edit names (the typical layout is not this phantom's exactly).
        const margin = 0.04
        expect(x).toBeGreaterThan(Math.min(lung.lateral, lung.medial) - margin)
        expect(x).toBeLessThan(Math.max(lung.lateral, lung.medial) + margin)
        expect(y).toBeGreaterThan(lung.top - margin)
        expect(y).toBeLessThan(lung.bottom + margin)
        placed++
      }
    }
    expect(placed).toBe(120)
  })

  it('give the QA game the training films without a report (none, or withheld from the run) only with the majority option, never their text', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-studies-'))
    dirs.push(dataDir)
    writeSelfPlayCohort(dataDir, 12)
    const db = openDatabase(databasePath(dataDir))
    // Two studies came without a report.
    db.prepare('DELETE FROM reports WHERE study_id IN (2, 7)').run()
    const all = db.prepare('SELECT id, study_uid AS uid, (SELECT COUNT(*) FROM reports r WHERE r.study_id = s.id) AS reports FROM studies s ORDER BY id').all() as { id: number; uid: string; reports: number }[]
    const heldOut = 0.25
    const withheld = 0.4
    const split = { heldOutFraction: heldOut, withheldReportFraction: withheld }
    const films = loadPlayedFilms(db, dataDir, split, { unreported: true })
    const { reported, unreported } = films
    // Read only when a game plays on them.
    expect(loadPlayedFilms(db, dataDir, split, { unreported: false })).toEqual({ reported, unreported: [] })
    db.close()
    const training = all.filter((s) => !isHeldOut(s.uid, heldOut))
    const expectUnreported = training.filter((s) => s.reports === 0 || isReportWithheld(s.uid, withheld)).map((s) => s.id)
    // The split leaves every kind in this cohort: held out, reported, without a report, withheld.
    expect(training.length).toBeLessThan(all.length)
    expect(training.some((s) => s.reports === 0)).toBe(true)
    expect(training.some((s) => s.reports > 0 && isReportWithheld(s.uid, withheld))).toBe(true)
    expect(training.length).toBeGreaterThan(expectUnreported.length)
    expect(unreported.map((f) => f.studyId)).toEqual(expectUnreported)
    expect(reported.map((s) => s.studyId).sort((a, b) => a - b)).toEqual(training.map((s) => s.id).filter((id) => !expectUnreported.includes(id)))
    for (const film of unreported) {
      expect(Object.keys(film).sort()).toEqual(['chest', 'pseudonym', 'radiograph', 'studyId'])
      expect(film.radiograph.pixels.length).toBe(256 * 256)
    }
    expect(qaGameFilms(films, { majorityVoteWithoutReport: false })).toEqual(reported)
    expect(qaGameFilms(films, { majorityVoteWithoutReport: true }).map((f) => f.studyId).sort((a, b) => a - b)).toEqual(training.map((s) => s.id))
  })
})
