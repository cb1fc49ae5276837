/**
 * The Training page's run control through the contract, on a real data folder: start a tiny
 * self-play run as a task, pause it at a round boundary, resume it to the end, stop another one
 * mid-run and resume that too; read back a round's transcripts and a spy game's two images.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/api/dispatch'
import { decodeGrayPng } from '../../src/main/dicom/png'
import { methods, type MethodName, type Output, type Input } from '../../src/shared/contract'
import { loadSelfPlayStudy } from '../../src/main/training/selfplay-studies'
import type { SelfPlayResult } from '../../src/main/training/selfplay-run'
import { writeSelfPlayCohort } from '../helpers/selfplay-cohort'
import { tempServices } from '../helpers/temp-services'

let ctx: ReturnType<typeof tempServices>
beforeAll(() => {
  ctx = tempServices('web')
  writeSelfPlayCohort(ctx.dataDir, 6)
})
afterAll(() => ctx.cleanup())

async function call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> {
  const envelope = await dispatch(ctx.services.handlers, method, input)
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error.code} ${envelope.error.message}`)
  return methods[method].output.parse(envelope.value) as Output<M>
}
async function refused<M extends MethodName>(method: M, input: Input<M>): Promise<string> {
  const envelope = await dispatch(ctx.services.handlers, method, input)
  expect(envelope.ok, `${method} should have been refused`).toBe(false)
  return envelope.ok ? '' : envelope.error.code
}
const run = async (runId: number) => (await call('runs.list', {})).find((r) => r.id === runId)!

/** Resolves once the task reports at least `rounds` committed rounds. */
function roundsReached(taskId: number, rounds: number): Promise<void> {
  return new Promise((resolve) => {
    const off = ctx.services.events.on('task.progress', (e) => {
      if (e.taskId === taskId && e.progress.unit === 'rounds' && e.progress.done >= rounds) {
        off()
        resolve()
      }
    })
  })
}

describe('self-play run control', () => {
  it('pauses at a round boundary, refuses a second run meanwhile, and resumes to the planned end', async () => {
    const { taskId, runId } = await call('runs.start', { preset: 'tiny', rounds: 4, spyGamesPerRound: 2 })
    expect(await run(runId)).toMatchObject({ status: 'running', plannedRounds: 4, modelConfig: 'tiny', taskId })
    expect(await refused('runs.start', { preset: 'tiny', rounds: 2 })).toBe('conflict')
    await roundsReached(taskId, 1)
    expect(await call('runs.pause', { runId })).toEqual({ runId, status: 'paused' })
    const paused = await ctx.services.tasks.whenFinished(taskId)
    expect(paused?.status).toBe('done')
    expect((paused?.result as SelfPlayResult).paused).toBe(true)
    const afterPause = await run(runId)
    expect(afterPause).toMatchObject({ status: 'paused', taskId: null })
    expect(afterPause.rounds).toBeGreaterThanOrEqual(1)
    expect(afterPause.rounds).toBeLessThan(4)
    expect(await refused('runs.pause', { runId })).toBe('conflict')

    const resumed = await call('runs.resume', { runId })
    expect(resumed.runId).toBe(runId)
    const done = await ctx.services.tasks.whenFinished(resumed.taskId)
    expect(done?.error ?? null).toBeNull()
    expect(done?.result).toMatchObject({ runId, paused: false, resumedFromRound: afterPause.rounds })
    expect(await run(runId)).toMatchObject({ status: 'done', rounds: 4, taskId: null })
    expect(await refused('runs.resume', { runId })).toBe('conflict')

    const rounds = await call('runs.rounds', { runId })
    expect(rounds.rounds.map((r) => r.roundIndex)).toEqual([0, 1, 2, 3])
    // The tiny preset plays shorter games than DESIGN's: the run says so.
    expect(rounds.changedSettings).toEqual(expect.arrayContaining(['spy.clueRounds=1', 'groupSize=2']))
    expect(rounds.changedSettings).not.toContainEqual(expect.stringMatching(/^spy\.civilians=/))
    for (const r of rounds.rounds) {
      expect(r.meanRewards).toMatchObject({ spy: expect.any(Number), civilian: expect.any(Number), voter: expect.any(Number), questioner: expect.any(Number) })
      // Clue rewards are zero-sum over one spy and three civilians, so their means balance 1 : 3.
      expect(r.meanRewards.spy + 3 * r.meanRewards.civilian).toBeCloseTo(0, 9)
      // The round's n/a rate is its spy games' mean share of `<vote:na>` votes.
      const spy = (await call('runs.games', { runId, roundIndex: r.roundIndex })).games.filter((g) => g.kind === 'spy')
      expect(r.voteNaRate).toBeCloseTo(spy.reduce((a, g) => a + g.naRate, 0) / spy.length, 12)
    }
  }, 300_000)

  it('shows a round’s transcripts and a spy game’s civilian and spy images as the players saw them', async () => {
    const runId = (await call('runs.list', {})).find((r) => r.name === 'selfplay')!.id
    const round = await call('runs.games', { runId, roundIndex: 1 })
    const spy = round.games.filter((g) => g.kind === 'spy')
    const qa = round.games.filter((g) => g.kind === 'qa')
    expect(spy).toHaveLength(2)
    expect(qa).toHaveLength(2)
    for (const g of spy) {
      expect(g.players.map((p) => p.seat)).toEqual([1, 2, 3, 4])
      expect(g.players.filter((p) => p.role === 'spy').map((p) => p.seat)).toEqual([g.spySeat])
      // Clues in speaking order, each by its seat's role; clue rewards are zero-sum over the seats.
      expect(g.clues.map((c) => c.player)).toEqual([1, 2, 3, 4])
      for (const c of g.clues) expect(c.role).toBe(c.player === g.spySeat ? 'spy' : 'civilian')
      expect(Math.abs(g.players.reduce((a, p) => a + p.clueReward, 0))).toBeLessThan(1e-9)
      expect(g.votes.map((v) => v.voter)).toEqual([1, 2, 3, 4].filter((s) => s !== g.spySeat))
      expect(g.imagesAvailable).toBe(true)
      expect(g.pseudonym).toMatch(/^ANON-/)
    }
    for (const g of qa) expect(typeof g.question.text).toBe('string')

    for (const g of spy) {
      const images = await call('runs.gameImages', { gameId: g.id })
      expect(images.edit).toEqual(g.edit)
      const civilian = decodeGrayPng(Buffer.from(images.civilianPng, 'base64'))
      const spyImage = decodeGrayPng(Buffer.from(images.spyPng, 'base64'))
      expect([civilian.width, civilian.height, spyImage.width, spyImage.height]).toEqual([256, 256, 256, 256])
      let changed = 0
      for (let i = 0; i < civilian.pixels.length; i++) if (civilian.pixels[i] !== spyImage.pixels[i]) changed++
      // The edit is local: some pixels differ, most do not, and every one lies at a marked nodule.
      expect(changed, g.edit.kind).toBeGreaterThan(0)
      expect(changed, g.edit.kind).toBeLessThan(256 * 256 * 0.1)
      const marks = [images.nodules.civilian, images.nodules.spy].filter((c) => c !== null)
      expect(marks.length).toBe(g.edit.kind === 'move' || g.edit.kind === 'resize' ? 2 : 1)
      for (let i = 0; i < civilian.pixels.length; i++) {
        if (civilian.pixels[i] === spyImage.pixels[i]) continue
        const [x, y] = [i % 256, Math.floor(i / 256)]
        expect(marks.some((c) => Math.hypot(x - c.x, y - c.y) <= 1.5 * c.radius + 3), `changed pixel (${x}, ${y}) far from ${JSON.stringify(marks)}`).toBe(true)
      }
      // An inserted nodule is added to the study's own model image, which the civilians see untouched.
      if (g.edit.kind === 'insert') expect(Buffer.from(civilian.pixels).equals(Buffer.from(loadSelfPlayStudy(ctx.services.db, ctx.dataDir, g.studyId!)!.radiograph.pixels))).toBe(true)
    }
    expect(await refused('runs.gameImages', { gameId: qa[0].id })).toBe('not_found')
    expect(await refused('runs.games', { runId, roundIndex: 99 })).toBe('not_found')
  })

  it('stops a run now (the round in flight is discarded) and resumes it from its last committed round', async () => {
    const { taskId, runId } = await call('runs.start', { preset: 'tiny', rounds: 3, seed: 7 })
    await roundsReached(taskId, 1)
    expect(await call('runs.stop', { runId })).toEqual({ runId, stopped: true })
    expect((await ctx.services.tasks.whenFinished(taskId))?.status).toBe('cancelled')
    const stopped = await run(runId)
    expect(stopped).toMatchObject({ status: 'stopped', taskId: null })
    expect(await call('runs.stop', { runId })).toEqual({ runId, stopped: false })
    const resumed = await call('runs.resume', { runId })
    const done = await ctx.services.tasks.whenFinished(resumed.taskId)
    expect(done?.result).toMatchObject({ runId, resumedFromRound: stopped.rounds })
    expect(await run(runId)).toMatchObject({ status: 'done', rounds: 3 })
  }, 300_000)
})

describe('a run whose task fails before its rounds', () => {
  it('is marked failed with the reason, and the next run may start', async () => {
    const empty = tempServices('web')
    try {
      const start = await dispatch(empty.services.handlers, 'runs.start', { preset: 'tiny', rounds: 2 })
      if (!start.ok) throw new Error(start.error.message)
      const { taskId, runId } = start.value as Output<'runs.start'>
      const task = await empty.services.tasks.whenFinished(taskId)
      expect(task?.status).toBe('failed')
      const listed = await dispatch(empty.services.handlers, 'runs.list', {})
      const run = (listed.ok ? (listed.value as Output<'runs.list'>) : []).find((r) => r.id === runId)
      // The warm-up found nothing to learn from; the parent marks the run the child never reached.
      expect(run).toMatchObject({ status: 'failed', taskId: null, error: task?.error })
      expect(run?.error?.length).toBeGreaterThan(0)
      const next = await dispatch(empty.services.handlers, 'runs.start', { preset: 'tiny', rounds: 1 })
      expect(next.ok).toBe(true)
      if (next.ok) await empty.services.tasks.whenFinished((next.value as Output<'runs.start'>).taskId)
    } finally {
      empty.cleanup()
    }
  })
})
