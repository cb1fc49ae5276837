/**
 * Special tokens of the games and tasks. They are added after the byte-level BPE vocabulary, in
 * this fixed order, so their ids depend only on the vocabulary size.
 */
export const MAX_PLAYERS = 8

export const specialTokens: readonly string[] = [
  '<pad>',
  '<bos>',
  '<eos>',
  '<image>',
  '<sep>',
  '<task:report>',
  '<task:clue>',
  '<task:vote>',
  '<task:question>',
  '<task:answer>',
  '<role:civilian>',
  '<role:spy>',
  '<role:questioner>',
  '<role:answerer>',
  ...Array.from({ length: MAX_PLAYERS }, (_, i) => `<player:${i + 1}>`),
  ...Array.from({ length: MAX_PLAYERS }, (_, i) => `<vote:${i + 1}>`),
  '<vote:na>'
]

export const voteToken = (player: number): string => `<vote:${player}>`
export const playerToken = (player: number): string => `<player:${player}>`
