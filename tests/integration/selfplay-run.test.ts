import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { NoduleFinding } from '../../src/shared/finding'
import { createServices } from '../../src/main/app/services'
import { dispatch } from '../../src/main/api/dispatch'
import { describeStudy } from '../../src/main/model/describe'
import { methods, type Output } from '../../src/shared/contract'
import { databasePath, openDatabase, type Db } from '../../src/main/store/database'
import { gamesOfRound, roundsOfRun } from '../../src/main/store/selfplay-repository'
import { forkTaskProcess, taskChildEntry } from '../../src/main/tasks/fork-task-process'
import { writeSelfPlayCohort } from '../helpers/selfplay-cohort'
import { Rng } from '../../src/main/random'
import { isHeldOut } from '../../src/main/model/warmup'
import { recordHardening } from '../helpers/hardening-counts'
import type { RoundMetrics } from '../../src/main/training/selfplay-round'
import { SELFPLAY_RUN, createSelfPlayRun, runSelfPlay, selfPlayPresets, type SelfPlayResult, type SelfPlayRunOptions } from '../../src/main/training/selfplay-run'
import { changeRunStatus, runById, setRunStatus } from '../../src/main/store/training-repository'

const STUDIES = 10
const options: SelfPlayRunOptions = { ...selfPlayPresets.tiny, rounds: 3, threads: 1, seed: 4 }

const dirs: string[] = []
function cohortDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-selfplay-'))
  dirs.push(d)
  writeSelfPlayCohort(d, STUDIES)
  return d
}
afterEach(() => {
  while (dirs.length) fs.rmSync(dirs.pop()!, { recursive: true, force: true })
})

function withDb<T>(dataDir: string, fn: (db: Db) => T | Promise<T>): Promise<T> {
  const db = openDatabase(databasePath(dataDir))
  return Promise.resolve(fn(db)).finally(() => db.close())
}

interface StoredRound {
  roundIndex: number
  stage: string
  metrics: RoundMetrics
  games: { kind: string; transcript: Record<string, unknown>; rewards: Record<string, unknown>; advantages: Record<string, unknown>; spyEdit: { studyId: number } | null }[]
}

function storedRounds(db: Db, runId: number): StoredRound[] {
  return roundsOfRun(db, runId).map((r) => ({
    roundIndex: r.roundIndex,
    stage: r.stage,
    metrics: JSON.parse(r.metricsJson),
    games: gamesOfRound(db, r.id).map((g) => ({ kind: g.kind, transcript: JSON.parse(g.transcriptJson), rewards: JSON.parse(g.rewardsJson), advantages: JSON.parse(g.advantagesJson), spyEdit: g.spyEditJson ? JSON.parse(g.spyEditJson) : null }))
  }))
}

/** What every committed round must hold, whatever happened to the process that played it. */
function expectConsistentRounds(rounds: StoredRound[], count: number): void {
  expect(rounds.map((r) => r.roundIndex)).toEqual(Array.from({ length: count }, (_, i) => i))
  expect(rounds[0].stage).toBe('decision')
  rounds.forEach((r, i) => {
    expect(r.metrics.stage).toBe(r.stage)
    // The stage a round trains is the stage the previous round's scheduler step chose.
    if (i > 0) expect(r.stage).toBe(rounds[i - 1].metrics.scheduler!.stageAfter)
    expect(r.games.filter((g) => g.kind === 'spy')).toHaveLength(options.spyGamesPerRound)
    expect(r.games.filter((g) => g.kind === 'qa')).toHaveLength(options.qaGamesPerRound)
    for (const g of r.games.filter((x) => x.kind === 'spy')) {
      const clueRewards = g.rewards.clues as number[]
      expect(clueRewards).toHaveLength(4)
      expect(Math.abs(clueRewards.reduce((a, b) => a + b, 0))).toBeLessThan(1e-9)
      const clues = g.transcript.clues as { text: string; role: string }[]
      expect(clues).toHaveLength(4 * options.selfplay.spy.clueRounds)
      expect(clues.filter((c) => c.role === 'spy')).toHaveLength(options.selfplay.spy.clueRounds)
      for (const c of clues) expect(typeof c.text).toBe('string')
      const votes = g.transcript.votes as { samples: { text: string }[] }[]
      expect(votes).toHaveLength(3)
      for (const v of votes) expect(v.samples).toHaveLength(options.selfplay.groupSize)
      // Clue advantages are stored for the clue stage only (the decision stage trains votes).
      expect(g.advantages.clues === null).toBe(r.stage === 'decision')
    }
    for (const g of r.games.filter((x) => x.kind === 'qa')) {
      expect(typeof (g.transcript.question as { text: string }).text).toBe('string')
      expect(typeof g.rewards.questioner).toBe('number')
    }
  })
}

describe('self-play run', () => {
  it('warms up, plays rounds of both games and commits consistent rows with their checkpoints', async () => {
    const dataDir = cohortDir()
    // A scheduler that switches to the clue stage after one update and stays there, so both stages run.
    const scheduler = { ...options.selfplay.scheduler, accuracyToClue: 0, naToClue: 1, minUpdatesPerStage: 1, errorToDecision: 2, naToDecision: 2 }
    const result = await withDb(dataDir, (db) => runSelfPlay(db, dataDir, { ...options, selfplay: { ...options.selfplay, scheduler } }))
    expect(result.warmupRunId).not.toBeNull()
    expect(result.resumedFromRound).toBeNull()
    await withDb(dataDir, (db) => {
      const rounds = storedRounds(db, result.runId)
      expectConsistentRounds(rounds, options.rounds)
      for (const r of rounds) expect(r.metrics.tokensPerSecond).toBeGreaterThan(0)
      expect(rounds.map((r) => r.stage)).toEqual(['decision', 'clue', 'clue'])
      expect(rounds.map((r) => r.metrics.switched)).toEqual([{ from: 'decision', to: 'clue' }, null, null])
      // Clue-stage advantages are each clue's reward minus its role's baseline before the round.
      for (const [i, r] of rounds.entries()) {
        if (r.stage !== 'clue') continue
        const before = rounds[i - 1].metrics.baselines
        for (const g of r.games.filter((x) => x.kind === 'spy')) {
          const clues = g.transcript.clues as { player: number; role: string }[]
          const rewards = g.rewards.clues as number[]
          const advantages = g.advantages.clues as number[]
          clues.forEach((c, k) => expect(advantages[k]).toBeCloseTo(rewards[c.player - 1] - (before[c.role] ?? 0), 9))
        }
      }
      // Spy edits are made on films whose report says no nodule (the cohort also has films with nodules).
      const presence = new Map(
        (db.prepare('SELECT study_id AS studyId, findings_json AS f FROM reports').all() as { studyId: number; f: string }[]).map((r) => [r.studyId, JSON.parse(r.f).nodules.presence as string])
      )
      expect([...presence.values()]).toContain('present')
      const spyFilms = rounds.flatMap((r) => r.games.filter((g) => g.kind === 'spy')).map((g) => g.spyEdit!.studyId)
      expect(spyFilms.length).toBe(options.rounds * options.spyGamesPerRound)
      for (const studyId of spyFilms) expect(presence.get(studyId)).toBe('absent')
      // Vote advantages are GRPO within each voter's group: zero mean.
      for (const g of rounds.flatMap((r) => r.games.filter((x) => x.kind === 'spy')))
        for (const group of g.advantages.votes as number[][]) expect(Math.abs(group.reduce((a, b) => a + b, 0))).toBeLessThan(1e-6)
      // After the game-format phase the games carry signal: votes parse as <vote:k>, questions parse.
      // (A report-only model writes no valid vote at all, so every group's advantages are zero.) All
      // rounds' 36 sampled votes are counted: the tiny model's 12 of one round are too few to judge.
      const allSpy = rounds.flatMap((r) => r.games.filter((g) => g.kind === 'spy'))
      const votes = allSpy.flatMap((g) => (g.transcript.votes as { samples: { vote: { kind: string } }[] }[]).flatMap((v) => v.samples))
      expect(votes.filter((v) => v.vote.kind !== 'invalid').length).toBeGreaterThanOrEqual(votes.length / 4)
      expect(allSpy.some((g) => (g.advantages.votes as number[][]).some((group) => group.some((a) => a !== 0)))).toBe(true)
      const questions = rounds.flatMap((r) => r.games.filter((g) => g.kind === 'qa')).map((g) => (g.transcript.question as { parsed: unknown }).parsed)
      expect(questions.filter((q) => q !== null).length).toBeGreaterThan(0)
      const format = JSON.parse((db.prepare('SELECT metrics_json AS m FROM checkpoints WHERE run_id = ? AND round_index = -1').get(result.runId) as { m: string }).m)
      expect(format.format.loss).toBeLessThan(format.format.firstLoss / 2)
      const checkpoints = db.prepare('SELECT round_index AS roundIndex, path, metrics_json AS metricsJson FROM checkpoints WHERE run_id = ? ORDER BY round_index').all(result.runId) as { roundIndex: number; path: string; metricsJson: string }[]
      expect(checkpoints.map((c) => c.roundIndex)).toEqual([-1, 0, 1, 2])
      for (const c of checkpoints) expect(fs.existsSync(path.join(dataDir, c.path))).toBe(true)
      // Findings for every study, by the last round's checkpoint, in the finding schema the review reads.
      const lastCheckpoint = db.prepare('SELECT id FROM checkpoints WHERE run_id = ? ORDER BY round_index DESC LIMIT 1').get(result.runId) as { id: number }
      const findings = db.prepare('SELECT study_id AS studyId, checkpoint_id AS checkpointId, image_id AS imageId, structured_json AS s FROM findings').all() as { studyId: number; checkpointId: number; imageId: number; s: string }[]
      expect(findings.map((f) => f.studyId).sort((a, b) => a - b)).toEqual(Array.from({ length: STUDIES }, (_, i) => i + 1))
      for (const f of findings) {
        expect(f.checkpointId).toBe(lastCheckpoint.id)
        expect(f.imageId).not.toBeNull()
        expect(NoduleFinding.parse(JSON.parse(f.s)).presence).toMatch(/present|absent|uncertain/)
      }
      expect(result.findings?.studies).toBe(STUDIES)
      expect(db.prepare('SELECT name, status FROM runs ORDER BY id').all()).toEqual([
        { name: 'warmup', status: 'done' },
        { name: SELFPLAY_RUN, status: 'done' }
      ])
    })
  })

  it('writes findings for the studies imported after the run, by its model, each once (findings.pending, findings.start)', async () => {
    const dataDir = cohortDir()
    const services = createServices({ dataDir, shell: 'cli', spawnTaskProcess: forkTaskProcess(taskChildEntry(path.resolve('src/main'))) })
    const call = async <M extends 'findings.pending' | 'findings.start'>(method: M) => {
      const envelope = await dispatch(services.handlers, method, {})
      return envelope.ok ? (methods[method].output.parse(envelope.value) as Output<M>) : envelope.error.message
    }
    try {
      expect(await call('findings.start')).toMatch(/no model has written findings yet/)
      const result = await runSelfPlay(services.db, dataDir, { ...options, rounds: 1 })
      const model = services.db.prepare('SELECT id, path FROM checkpoints WHERE run_id = ? ORDER BY round_index DESC LIMIT 1').get(result.runId) as { id: number; path: string }
      expect(await call('findings.pending')).toEqual({ checkpoint: model.path, studies: 0 })
      // Two studies arrive with the next import.
      writeSelfPlayCohort(dataDir, 2, undefined, STUDIES)
      expect(await call('findings.pending')).toEqual({ checkpoint: model.path, studies: 2 })
      const started = await call('findings.start')
      if (typeof started === 'string') throw new Error(started)
      const summary = await services.tasks.whenFinished(started.taskId)
      expect(summary?.error ?? null).toBeNull()
      expect((summary?.result as { studies: number }).studies).toBe(2)
      const findings = services.db.prepare('SELECT study_id AS studyId, checkpoint_id AS checkpointId FROM findings ORDER BY study_id').all() as { studyId: number; checkpointId: number }[]
      expect(findings.map((f) => f.studyId)).toEqual(Array.from({ length: STUDIES + 2 }, (_, i) => i + 1))
      expect(new Set(findings.map((f) => f.checkpointId))).toEqual(new Set([model.id]))
      expect(await call('findings.pending')).toEqual({ checkpoint: model.path, studies: 0 })
      // Again: nothing left to describe, nothing written twice.
      const again = await call('findings.start')
      if (typeof again === 'string') throw new Error(again)
      expect(((await services.tasks.whenFinished(again.taskId))?.result as { studies: number }).studies).toBe(0)
      expect(services.db.prepare('SELECT COUNT(*) AS n FROM findings').get()).toEqual({ n: STUDIES + 2 })
      // \`vzw describe\` writes with the model under review too, not the warm-up before it: the queue keeps one model.
      const described = await describeStudy(services.db, dataDir, 'ANON-0', { threads: 1 })
      expect(described.checkpoint).toBe(path.join(dataDir, model.path))
      expect(await call('findings.pending')).toEqual({ checkpoint: model.path, studies: 0 })
    } finally {
      services.close()
    }
  })

  it('with the majority option plays QA games on films without a report too, judged by the answers’ majority only', async () => {
    const dataDir = cohortDir()
    // Three training films come without a report.
    const unreported = await withDb(dataDir, (db) => {
      const studies = db.prepare('SELECT id, study_uid AS uid FROM studies ORDER BY id').all() as { id: number; uid: string }[]
      const ids = studies.filter((s) => !isHeldOut(s.uid, options.warmup.heldOutFraction)).slice(0, 3).map((s) => s.id)
      db.prepare(`DELETE FROM reports WHERE study_id IN (${ids.join(', ')})`).run()
      return ids
    })
    const majority = { ...options, qaGamesPerRound: 4, selfplay: { ...options.selfplay, qa: { ...options.selfplay.qa, majorityVoteWithoutReport: true } } }
    const result = await withDb(dataDir, (db) => runSelfPlay(db, dataDir, majority))
    const rounds = await withDb(dataDir, (db) =>
      roundsOfRun(db, result.runId).map((r) => ({
        answererAccuracy: (JSON.parse(r.metricsJson) as RoundMetrics).answererAccuracy,
        games: gamesOfRound(db, r.id)
          .filter((g) => g.kind === 'qa')
          .map((g) => ({
            studyId: (JSON.parse(g.playersJson) as { studyId: number }).studyId,
            transcript: JSON.parse(g.transcriptJson) as { expected: unknown; pseudoAnswer: boolean; answererAccuracy: number | null }
          }))
      }))
    )
    const games = rounds.flatMap((r) => r.games)
    const onUnreported = games.filter((g) => unreported.includes(g.studyId))
    expect(onUnreported.length).toBeGreaterThan(1)
    expect(onUnreported.length).toBeLessThan(games.length)
    // A film without a report is judged by the answers' majority whenever it is judged at all (the
    // tiny model's questions seldom parse); a reported one by its report.
    for (const g of onUnreported) expect(g.transcript.pseudoAnswer).toBe(g.transcript.expected !== null)
    for (const g of games.filter((x) => !unreported.includes(x.studyId))) expect(g.transcript.pseudoAnswer).toBe(false)
    // The rounds' answerer accuracy is against reports only (agreeing with the majority is not being right).
    for (const r of rounds) {
      const judged = r.games.filter((g) => !g.transcript.pseudoAnswer && g.transcript.answererAccuracy !== null).map((g) => g.transcript.answererAccuracy!)
      expect(r.answererAccuracy).toBe(judged.length ? judged.reduce((a, b) => a + b, 0) / judged.length : null)
    }
  })

  it('pauses during its warm-up at the next step, and playing the run again resumes the warm-up from there', async () => {
    const dataDir = cohortDir()
    const long = { ...options, rounds: 1, warmup: { ...options.warmup, steps: 40, checkpointEvery: 1000 } }
    const outcome = await withDb(dataDir, async (db) => {
      const runId = createSelfPlayRun(db, long)
      // The app pauses the run while its warm-up trains (the Training page's Pause).
      const paused = await runSelfPlay(db, dataDir, long, { warmup: { onStep: ({ step }) => void (step === 5 && setRunStatus(db, runId, 'paused')) } }, runId)
      const warmup = db.prepare("SELECT status, (SELECT MAX(round_index) FROM checkpoints WHERE run_id = runs.id) AS step FROM runs WHERE name = 'warmup'").get()
      const status = runById(db, runId)?.status
      changeRunStatus(db, runId, ['paused'], 'running') // Resume
      const resumed = await runSelfPlay(db, dataDir, long, {}, runId)
      return { runId, paused, warmup, status, resumed, rounds: roundsOfRun(db, runId).length }
    })
    expect(outcome.paused).toMatchObject({ runId: outcome.runId, paused: true, findings: null, trainingSeconds: 0 })
    // Stopped right after step 5 with a checkpoint there, resumable, long before its 40 steps.
    expect(outcome.warmup).toEqual({ status: 'stopped', step: 5 })
    expect(outcome.status).toBe('paused')
    expect(outcome.resumed).toMatchObject({ runId: outcome.runId, paused: false, warmupRunId: outcome.paused.warmupRunId })
    expect(outcome.rounds).toBe(1)
    await withDb(dataDir, (db) => {
      // One warm-up run, resumed from step 5 to its end; then the self-play run to its end.
      expect(db.prepare('SELECT name, status FROM runs ORDER BY id').all()).toEqual([
        { name: SELFPLAY_RUN, status: 'done' },
        { name: 'warmup', status: 'done' }
      ])
      const steps = db.prepare("SELECT round_index AS step FROM checkpoints WHERE run_id = (SELECT id FROM runs WHERE name = 'warmup') ORDER BY round_index").all()
      expect(steps).toEqual([{ step: 5 }, { step: 40 }])
    })
  })

  it('resumes after the task child is killed at random points, with no round lost or played twice', async () => {
    const dataDir = cohortDir()
    // VZW_KILL_POINTS=20 runs acceptance 4's twenty kill points; the suite runs three.
    const killPoints = Number(process.env.VZW_KILL_POINTS ?? 3)
    const run = { ...options, rounds: 3 * killPoints + 6 }
    const services = createServices({ dataDir, shell: 'cli', spawnTaskProcess: forkTaskProcess(taskChildEntry(path.resolve('src/main'))) })
    const seed = Number(process.env.VZW_KILL_SEED ?? Date.now() % 100000)
    const rng = new Rng(seed)
    const running = (services.tasks as unknown as { running: Map<number, { process: { kill(): void } }> }).running
    const kills: string[] = []
    let committed = 0
    try {
      for (let k = 0; k < killPoints; k++) {
        // The first kill lands in the warm-up, the others after a random committed round plus a random
        // delay: during a game, a policy step, a checkpoint write or a commit.
        const inWarmup = k === 0
        const target = inWarmup ? 1 + rng.below(run.warmup.steps - 1) : committed + 1 + rng.below(2)
        const delayMs = rng.below(inWarmup ? 50 : 150)
        const id = services.tasks.start('selfplay.run', run)
        const off = services.events.on('task.progress', (e) => {
          if (e.taskId !== id) return
          if (e.progress.unit === 'rounds') committed = e.progress.done
          const reached = inWarmup ? e.progress.unit === 'warm-up steps' && e.progress.done === target : e.progress.unit === 'rounds' && e.progress.done >= target
          if (reached) setTimeout(() => running.get(id)?.process.kill(), delayMs)
        })
        const summary = await services.tasks.whenFinished(id)
        off()
        kills.push(`${summary?.status} at ${inWarmup ? 'warm-up step' : 'round'} ${target} + ${delayMs} ms`)
        expect(summary?.status, `seed ${seed}: ${kills.join('; ')}`).toBe('failed')
      }
      // Stop (cancel) between rounds: the run is recorded as stopped and continues like a killed one.
      const stopId = services.tasks.start('selfplay.run', run)
      const offStop = services.events.on('task.progress', (e) => {
        if (e.taskId === stopId && e.progress.unit === 'rounds' && e.progress.done > committed) services.tasks.cancel(stopId)
      })
      const stopped = await services.tasks.whenFinished(stopId)
      offStop()
      expect(stopped?.status).toBe('cancelled')
      await withDb(dataDir, (db) => expect(db.prepare(`SELECT status FROM runs WHERE name = ?`).get(SELFPLAY_RUN)).toEqual({ status: 'stopped' }))

      const id = services.tasks.start('selfplay.run', run)
      const summary = await services.tasks.whenFinished(id)
      expect(summary?.error ?? null).toBeNull()
      expect(summary?.status).toBe('done')
      const result = summary!.result as SelfPlayResult
      if (killPoints > 1) expect(result.resumedFromRound).toBeGreaterThan(0)
      await withDb(dataDir, (db) => {
        const runs = db.prepare(`SELECT id, status FROM runs WHERE name = ?`).all(SELFPLAY_RUN) as { id: number; status: string }[]
        expect(runs).toEqual([{ id: result.runId, status: 'done' }])
        const rounds = storedRounds(db, result.runId)
        recordHardening('training-kill', { killPoints: kills.length, killPointsPlanned: killPoints, lostRows: run.rounds - new Set(rounds.map((r) => r.roundIndex)).size })
        expectConsistentRounds(rounds, run.rounds)
        expect(db.prepare(`SELECT COUNT(*) AS n FROM runs WHERE name = 'warmup' AND status = 'done'`).get()).toEqual({ n: 1 })
        expect(db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT study_id) AS studies FROM findings').get()).toEqual({ n: STUDIES, studies: STUDIES })
        // Checkpoints kept: the game-format one, every 10th round and the newest two; each row has its file.
        const kept = db.prepare('SELECT round_index AS r, path FROM checkpoints WHERE run_id = ? ORDER BY round_index').all(result.runId) as { r: number; path: string }[]
        const last = run.rounds - 1
        expect(kept.map((c) => c.r)).toEqual([-1, ...Array.from({ length: run.rounds }, (_, r) => r).filter((r) => r % run.keepCheckpointEvery === 0 || r >= last - 1)])
        for (const c of kept) expect(fs.existsSync(path.join(dataDir, c.path)), c.path).toBe(true)
      })
    } finally {
      services.close()
    }
  }, 600_000)
})
