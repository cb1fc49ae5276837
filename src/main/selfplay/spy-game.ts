import { playerToken, voteToken } from '../model/special-tokens'
import type { RadiographEdit } from '../../shared/finding'
import type { Tokenizer } from '../model/tokenizer'
import type { SelfPlayConfig } from './config'
import type { PlayerPolicy, PlayerOutput } from './policy'
import { clueRewards, decisionReward, groupAdvantages, parseVote, votesReceived, type Vote } from './rewards'

/**
 * "Who is the spy" (DESIGN §9): civilians see the radiograph, the spy sees an edited copy (or a
 * blank). Players speak in turn for a number of clue rounds, each seeing only the public clue
 * history; then every civilian votes G times. Games are played side by side so each turn is one
 * batched generation over all games.
 */
export interface SpyGameSetup {
  /** Model input the civilians see. */
  image: Float32Array
  /** Model input the spy sees, and what was changed to make it. */
  spyImage: Float32Array
  edit: RadiographEdit
  /** 1-based seat of the spy. */
  spySeat: number
}

export type Role = 'civilian' | 'spy'

export interface ClueTurn {
  round: number
  player: number
  role: Role
  prompt: number[]
  output: PlayerOutput
  text: string
}

export interface VoteSample {
  voter: number
  prompt: number[]
  output: PlayerOutput
  text: string
  vote: Vote
  reward: number
  /** GRPO advantage within the voter's group of G samples. */
  advantage: number
}

export interface SpyGameRecord {
  spySeat: number
  edit: RadiographEdit
  clues: ClueTurn[]
  /** G sampled votes per civilian, in seat order. */
  votes: VoteSample[][]
  /** Votes received per seat, counting each civilian's first sample as its vote. */
  received: number[]
  /** Zero-sum clue rewards per seat. */
  clueRewards: number[]
  accuracy: number
  naRate: number
}

export function roleOf(seat: number, spySeat: number): Role {
  return seat === spySeat ? 'spy' : 'civilian'
}

/** A clue as the others hear it: who spoke, and the words. */
export type PublicClue = { player: number; output: Pick<PlayerOutput, 'tokens'> }

/** `<bos><image><role:…><player:k><task:clue|vote>` then the public history `<player:j> clue <sep>`. */
export function spyGamePrompt(tok: Tokenizer, role: Role, seat: number, task: 'clue' | 'vote', history: readonly PublicClue[]): number[] {
  const ids = [tok.special('<bos>'), tok.special('<image>'), tok.special(`<role:${role}>`), tok.special(playerToken(seat)), tok.special(`<task:${task}>`)]
  for (const turn of history) ids.push(tok.special(playerToken(turn.player)), ...turn.output.tokens.filter((t) => !tok.isSpecial(t)), tok.special('<sep>'))
  if (task === 'clue') ids.push(tok.special(playerToken(seat)))
  return ids
}

export async function playSpyGames(policy: PlayerPolicy, setups: readonly SpyGameSetup[], config: SelfPlayConfig, seed: number): Promise<SpyGameRecord[]> {
  const players = config.spy.civilians + config.spy.spies
  if (config.spy.spies !== 1) throw new Error('The spy game is played with exactly one spy')
  for (const s of setups) if (s.spySeat < 1 || s.spySeat > players) throw new Error(`Spy seat ${s.spySeat} is outside 1–${players}`)
  const tok = policy.tokenizer
  const histories: ClueTurn[][] = setups.map(() => [])
  let turnSeed = seed
  for (let round = 1; round <= config.spy.clueRounds; round++) {
    for (let seat = 1; seat <= players; seat++) {
      const prompts = setups.map((s, g) => spyGamePrompt(policy.tokenizer, roleOf(seat, s.spySeat), seat, 'clue', histories[g]))
      const images = setups.map((s) => (seat === s.spySeat ? s.spyImage : s.image))
      const outputs = await policy.generate(images, prompts, {
        maxNewTokens: config.spy.maxClueTokens,
        temperature: config.spy.clueTemperature,
        topP: 1,
        seed: turnSeed++,
        stopTokens: [tok.special('<sep>'), tok.special('<eos>')]
      })
      outputs.forEach((output, g) =>
        histories[g].push({ round, player: seat, role: roleOf(seat, setups[g].spySeat), prompt: prompts[g], output, text: tok.decode(output.tokens, { skipSpecial: true }) })
      )
    }
  }
  const votes = await sampleVotes(policy, setups, histories, config, turnSeed)
  return setups.map((s, g) => scoreGame(policy, s, histories[g], votes[g], players, config))
}

/**
 * The votes a civilian may cast: another player's seat or n/a. Votes are drawn among these only
 * (and scored under the same restricted distribution): a civilian knows it is not the spy, and
 * after the game-format phase almost a quarter of unrestricted votes named the voter itself — a
 * sure −1 that made n/a (−0.5) look better than reading the clues.
 */
export function legalVotes(tok: Tokenizer, voter: number, players: number): number[] {
  const seats = Array.from({ length: players }, (_, i) => i + 1).filter((seat) => seat !== voter)
  return [...seats.map((seat) => tok.special(voteToken(seat))), tok.special('<vote:na>')]
}

/** Every civilian of every game votes G times — one vote token each — in one batched generation. */
async function sampleVotes(policy: PlayerPolicy, setups: readonly SpyGameSetup[], histories: ClueTurn[][], config: SelfPlayConfig, seed: number): Promise<{ voter: number; prompt: number[]; output: PlayerOutput }[][][]> {
  const players = config.spy.civilians + config.spy.spies
  const requests: { game: number; voter: number; prompt: number[]; image: Float32Array }[] = []
  setups.forEach((s, game) => {
    for (let voter = 1; voter <= players; voter++) {
      if (voter === s.spySeat) continue
      const prompt = spyGamePrompt(policy.tokenizer, 'civilian', voter, 'vote', histories[game])
      for (let k = 0; k < config.groupSize; k++) requests.push({ game, voter, prompt, image: s.image })
    }
  })
  const outputs = await policy.generate(
    requests.map((r) => r.image),
    requests.map((r) => r.prompt),
    { maxNewTokens: 1, temperature: 1, topP: 1, seed, allowedTokens: requests.map((r) => legalVotes(policy.tokenizer, r.voter, players)) }
  )
  const byGame: { voter: number; prompt: number[]; output: PlayerOutput }[][][] = setups.map(() => [])
  requests.forEach((r, i) => {
    const groups = byGame[r.game]
    let group = groups.find((gr) => gr[0].voter === r.voter)
    if (!group) groups.push((group = []))
    group.push({ voter: r.voter, prompt: r.prompt, output: outputs[i] })
  })
  return byGame
}

function scoreGame(
  policy: PlayerPolicy,
  setup: SpyGameSetup,
  clues: ClueTurn[],
  groups: { voter: number; prompt: number[]; output: PlayerOutput }[][],
  players: number,
  config: SelfPlayConfig
): SpyGameRecord {
  const votes = groups.map((group) => {
    const parsed = group.map((v) => {
      // Vote tokens are specials: decode with them to read `<vote:k>` / `<vote:na>`.
      const text = policy.tokenizer.decode(v.output.tokens)
      const vote = parseVote(text, players)
      return { ...v, text, vote, reward: decisionReward(vote, setup.spySeat, config.decisionReward) }
    })
    const advantages = groupAdvantages(parsed.map((p) => p.reward), config.spy.voteAdvantageByStd)
    return parsed.map((p, k) => ({ ...p, advantage: advantages[k] }))
  })
  const castVotes = votes.map((group) => group[0].vote)
  const received = votesReceived(castVotes, players)
  const all = votes.flat()
  return {
    spySeat: setup.spySeat,
    edit: setup.edit,
    clues,
    votes,
    received,
    clueRewards: clueRewards(received, setup.spySeat, config.spy),
    accuracy: all.filter((v) => v.vote.kind === 'player' && v.vote.player === setup.spySeat).length / all.length,
    naRate: all.filter((v) => v.vote.kind === 'abstain').length / all.length
  }
}
