import { imageInput } from '../model/vlm'
import { roleAdvantages, type RoleBaselines } from '../selfplay/baselines'
import type { QaGameConfig, SelfPlayConfig } from '../selfplay/config'
import type { PlayerPolicy } from '../selfplay/policy'
import { playQaGames, type QaGameRecord, type QaGameSetup } from '../selfplay/qa-game'
import { qaGameSamples, spyGameSamples, type PolicySample } from '../selfplay/samples'
import { advanceScheduler, type SchedulerState, type SchedulerStep, type Stage } from '../selfplay/scheduler'
import { makeSpyImages } from '../selfplay/spy-edit'
import { playSpyGames, roleOf, type SpyGameRecord, type SpyGameSetup } from '../selfplay/spy-game'
import type { GameRow, StoredSpyEdit } from '../store/selfplay-repository'
import { Rng, hashSeed } from '../random'
import type { PolicyStepMetrics, PolicyUpdater } from './policy-update'
import type { PlayedFilms, SelfPlayFilm, SelfPlayStudy } from './selfplay-studies'

/**
 * One self-play round (DESIGN §9): spy games and QA games on studies drawn for the round, samples
 * for the stage the scheduler is in, the policy update, then the scheduler and the role baselines
 * move on. Everything the round did comes back as rows to commit; nothing is written here.
 */
export interface SelfPlayState {
  scheduler: SchedulerState
  baselines: RoleBaselines
}

export interface RoundPlan {
  roundIndex: number
  /** The run's seed; a round's draws depend only on it and the round index. */
  seed: number
  spyGames: number
  qaGames: number
}

export interface RoundMetrics {
  stage: Stage
  spyGames: number
  qaGames: number
  voteAccuracy: number | null
  voteNaRate: number | null
  /** The scheduler's EMAs after this round, as its switch rule reads them. */
  scheduler: { accuracy: number; naRate: number; error: number; stageAfter: Stage; updatesInStage: number } | null
  switched: SchedulerStep['switched']
  baselines: RoleBaselines
  answererAccuracy: number | null
  questionerReward: number | null
  samples: Record<string, number>
  policySteps: number
  loss: number | null
  kl: number | null
  generatedTokens: number
  tokensPerSecond: number
  seconds: { games: number; update: number }
}

export interface RoundOutcome {
  state: SelfPlayState
  games: GameRow[]
  metrics: RoundMetrics
}

/** Counts what the policy generates, for tokens/s. */
function countingPolicy(policy: PlayerPolicy): { policy: PlayerPolicy; tokens: () => number } {
  let tokens = 0
  return {
    policy: {
      tokenizer: policy.tokenizer,
      async generate(images, prompts, options) {
        const out = await policy.generate(images, prompts, options)
        for (const o of out) tokens += o.tokens.length
        return out
      }
    },
    tokens: () => tokens
  }
}

/** The games' setups, each with the study it was made from and the recipe of its spy image (stored with the game). */
function spySetups(studies: readonly SelfPlayStudy[], imageSize: number, config: SelfPlayConfig, rng: Rng): { setup: SpyGameSetup; spyEdit: StoredSpyEdit }[] {
  const players = config.spy.civilians + config.spy.spies
  return studies.map((study) => {
    const images = makeSpyImages(study.radiograph, rng, { blank: config.spy.blankSpyImage, context: study.chest })
    const input = (r: typeof images.civilian) => imageInput(r.pixels, r.columns, r.rows, imageSize)
    return {
      setup: { image: input(images.civilian), spyImage: input(images.spy), edit: images.edit, spySeat: rng.int(1, players) },
      spyEdit: { studyId: study.studyId, recipe: images.recipe }
    }
  })
}

function spyGameRow(game: SpyGameRecord, clueAdvantages: readonly number[] | null, spyEdit: StoredSpyEdit): GameRow {
  const players = game.received.map((_, i) => ({ seat: i + 1, role: roleOf(i + 1, game.spySeat) }))
  return {
    kind: 'spy',
    playersJson: JSON.stringify(players),
    transcriptJson: JSON.stringify({
      edit: game.edit,
      clues: game.clues.map((c) => ({ round: c.round, player: c.player, role: c.role, text: c.text })),
      votes: game.votes.map((group) => ({ voter: group[0].voter, samples: group.map((v) => ({ text: v.text, vote: v.vote })) })),
      received: game.received,
      accuracy: game.accuracy,
      naRate: game.naRate
    }),
    rewardsJson: JSON.stringify({ clues: game.clueRewards, votes: game.votes.map((group) => group.map((v) => v.reward)) }),
    advantagesJson: JSON.stringify({ clues: clueAdvantages, votes: game.votes.map((group) => group.map((v) => v.advantage)) }),
    spyEditJson: JSON.stringify(spyEdit)
  }
}

function qaGameRow(game: QaGameRecord, study: SelfPlayFilm, questionerAdvantage: number): GameRow {
  return {
    kind: 'qa',
    playersJson: JSON.stringify({ studyId: study.studyId, questioner: 1, answerers: game.answers.length }),
    transcriptJson: JSON.stringify({
      question: { text: game.question.text, parsed: game.question.parsed },
      expected: game.expected,
      pseudoAnswer: game.pseudoAnswer,
      answers: game.answers.map((a) => ({ text: a.text, answer: a.answer, correct: a.correct })),
      answererAccuracy: game.answererAccuracy
    }),
    rewardsJson: JSON.stringify({ questioner: game.questionerReward, answers: game.answers.map((a) => a.reward) }),
    advantagesJson: JSON.stringify({ questioner: questionerAdvantage, answers: game.answers.map((a) => a.advantage) }),
    spyEditJson: null
  }
}

const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null)

/**
 * The films the spy edits are made on: those whose report says there is no nodule. Every edit draws
 * one nodule and then keeps, moves, resizes or removes it, so on a clear film that nodule is the only
 * one and the two images differ in what a reader would say ("a nodule" against "no nodule"). On a
 * film with nodules of its own both images show one: a 40-round run that played on every film had
 * spy clues naming a nodule in 0.37 of insert games and civilians in 0.32, and votes fell below
 * chance. Where no report says "no nodule", every film is played.
 */
export function spyGameFilms(studies: readonly SelfPlayStudy[]): readonly SelfPlayStudy[] {
  const clear = studies.filter((s) => s.finding?.presence === 'absent')
  return clear.length > 0 ? clear : studies
}

/**
 * The QA game's films: those with a report, and with `majorityVoteWithoutReport` those without one
 * too (the answers' majority is then the expected answer), so self-play learns from images no
 * report describes — DESIGN §10's arm (b) "may also use images without reports".
 */
export function qaGameFilms(films: PlayedFilms, config: Pick<QaGameConfig, 'majorityVoteWithoutReport'>): readonly (SelfPlayStudy | SelfPlayFilm)[] {
  return config.majorityVoteWithoutReport ? [...films.reported, ...films.unreported] : films.reported
}

function qaSetup(film: SelfPlayStudy | SelfPlayFilm, imageSize: number): QaGameSetup {
  const report = 'reportText' in film ? film : null
  const { pixels, columns, rows } = film.radiograph
  return { image: imageInput(pixels, columns, rows, imageSize), reportText: report?.reportText ?? null, finding: report?.finding ?? null }
}

/** Draws `n` studies for a game kind (with repeats only when there are fewer studies than games). */
function draw<F>(studies: readonly F[], n: number, rng: Rng): F[] {
  const order = studies.map((s, i) => ({ s, key: rng.next() + Math.floor(i / studies.length) })).sort((a, b) => a.key - b.key)
  return Array.from({ length: n }, (_, i) => order[i % order.length].s)
}

export async function playRound(updater: PolicyUpdater, player: PlayerPolicy, films: PlayedFilms, state: SelfPlayState, config: SelfPlayConfig, plan: RoundPlan, onStep?: () => Promise<void>): Promise<RoundOutcome> {
  if (films.reported.length === 0) throw new Error('Self-play needs at least one training study with a frontal chest film and a report')
  const stage = state.scheduler.stage
  const rng = new Rng(hashSeed(plan.seed, plan.roundIndex, 'round'))
  const imageSize = updater.policy.config.vision.imageSize
  const counting = countingPolicy(player)
  const gamesStarted = performance.now()

  const spyStudies = draw(spyGameFilms(films.reported), plan.spyGames, rng)
  const made = spySetups(spyStudies, imageSize, config, rng)
  const setups = made.map((m) => m.setup)
  const spyGames = setups.length ? await playSpyGames(counting.policy, setups, config, hashSeed(plan.seed, plan.roundIndex, 'spy')) : []
  await onStep?.()
  const qaStudies = draw(qaGameFilms(films, config.qa), plan.qaGames, rng)
  const qaSetups = qaStudies.map((s) => qaSetup(s, imageSize))
  const qaGames = qaSetups.length ? await playQaGames(counting.policy, qaSetups, config.qa, hashSeed(plan.seed, plan.roundIndex, 'qa')) : []
  const gameSeconds = (performance.now() - gamesStarted) / 1000
  await onStep?.()

  // Advantages exactly as the samples get them, kept per game for the stored rows.
  const spy = spyGameSamples(stage, setups, spyGames, state.baselines, config.baselineAlpha)
  const clueTurns = spyGames.map((g) => g.clues.map((turn) => ({ role: turn.role, reward: g.clueRewards[turn.player - 1] })))
  const clueAdvantages = stage === 'clue' ? roleAdvantages(state.baselines, clueTurns.flat(), config.baselineAlpha).advantages : null
  const qa = qaGameSamples(qaSetups, qaGames, spy.baselines, config.baselineAlpha)
  const questionerAdvantages = roleAdvantages(spy.baselines, qaGames.map((g) => ({ role: 'questioner', reward: g.questionerReward })), config.baselineAlpha).advantages

  const samples: PolicySample[] = [...spy.samples, ...qa.samples]
  const shuffled = samples.map((s) => ({ s, key: rng.next() })).sort((a, b) => a.key - b.key).map(({ s }) => s)
  const updateStarted = performance.now()
  const steps: PolicyStepMetrics[] = shuffled.length ? await updater.update(shuffled, onStep) : []
  const updateSeconds = (performance.now() - updateStarted) / 1000

  const votes = spyGames.flatMap((g) => g.votes.flat())
  const voteAccuracy = mean(spyGames.map((g) => g.accuracy))
  const voteNaRate = mean(spyGames.map((g) => g.naRate))
  const step = voteAccuracy !== null && voteNaRate !== null && votes.length ? advanceScheduler(state.scheduler, { accuracy: voteAccuracy, naRate: voteNaRate }, config.scheduler) : null
  const next: SelfPlayState = { scheduler: step?.state ?? state.scheduler, baselines: qa.baselines }

  let turn = 0
  const games = [
    ...spyGames.map((g, i) => {
      const advantages = clueAdvantages ? clueAdvantages.slice(turn, (turn += g.clues.length)) : null
      return spyGameRow(g, advantages, made[i].spyEdit)
    }),
    ...qaGames.map((g, i) => qaGameRow(g, qaStudies[i], questionerAdvantages[i]))
  ]
  const roles: Record<string, number> = {}
  for (const s of samples) roles[s.role] = (roles[s.role] ?? 0) + 1
  const weightedMean = (pick: (m: PolicyStepMetrics) => number) => (steps.length ? steps.reduce((a, m) => a + pick(m) * m.sequences, 0) / samples.length : null)
  return {
    state: next,
    games,
    metrics: {
      stage,
      spyGames: spyGames.length,
      qaGames: qaGames.length,
      voteAccuracy,
      voteNaRate,
      scheduler: step ? { accuracy: step.accuracy, naRate: step.naRate, error: step.error, stageAfter: step.state.stage, updatesInStage: step.state.updatesInStage } : null,
      switched: step?.switched ?? null,
      baselines: next.baselines,
      // Against reports only: a majority-judged game scores agreement with the answers themselves.
      answererAccuracy: mean(qaGames.flatMap((g) => (g.answererAccuracy === null || g.pseudoAnswer ? [] : [g.answererAccuracy]))),
      questionerReward: mean(qaGames.map((g) => g.questionerReward)),
      samples: roles,
      policySteps: steps.length,
      loss: weightedMean((m) => m.loss),
      kl: weightedMean((m) => m.kl),
      generatedTokens: counting.tokens(),
      tokensPerSecond: gameSeconds > 0 ? counting.tokens() / gameSeconds : 0,
      seconds: { games: gameSeconds, update: updateSeconds }
    }
  }
}
