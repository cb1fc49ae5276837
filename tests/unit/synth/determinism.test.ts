import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generateCohort } from '../../../src/main/synth/generate'
import { hashTree, smallCohort, tempDir } from './helpers'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

async function generate(seed: number, workers: number) {
  const outDir = tempDir('synth-det')
  dirs.push(outDir)
  await generateCohort({ ...smallCohort({ seed, studies: 5 }), outDir, workers })
  return { outDir, hashes: hashTree(outDir) }
}

describe('synthetic cohort determinism', () => {
  it('writes identical files for the same seed, in one thread or across worker threads', async () => {
    const a = await generate(21, 1)
    const b = await generate(21, 2)
    expect(a.hashes.size).toBeGreaterThan(5)
    expect([...b.hashes.entries()]).toEqual([...a.hashes.entries()])
  })

  it('writes different images, UIDs and truth for a different seed', async () => {
    const a = await generate(21, 1)
    const c = await generate(22, 1)
    const truthA = JSON.parse(fs.readFileSync(path.join(a.outDir, 'truth.json'), 'utf8'))
    const truthC = JSON.parse(fs.readFileSync(path.join(c.outDir, 'truth.json'), 'utf8'))
    expect(truthC.studies[0].studyInstanceUid).not.toBe(truthA.studies[0].studyInstanceUid)
    expect(truthC.studies[0].accessionNumber).not.toBe(truthA.studies[0].accessionNumber)
    const shared = [...a.hashes.values()].filter((h) => [...c.hashes.values()].includes(h))
    expect(shared).toEqual([])
  })

  it('keeps the truth outside the import folder', async () => {
    const a = await generate(5, 1)
    expect(fs.existsSync(path.join(a.outDir, 'truth.json'))).toBe(true)
    expect([...a.hashes.keys()].filter((f) => f.startsWith('import/')).every((f) => !f.endsWith('.json'))).toBe(true)
    const truth = JSON.parse(fs.readFileSync(path.join(a.outDir, 'truth.json'), 'utf8'))
    for (const study of truth.studies) {
      expect(fs.existsSync(path.join(a.outDir, study.dicomFile))).toBe(true)
      expect(study.studyInstanceUid).toMatch(/^2\.25\.\d{1,39}$/)
      if (study.reportFile) expect(path.basename(study.reportFile)).toBe(`${study.accessionNumber}.txt`)
    }
  })
})
