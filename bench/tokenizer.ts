import { specialTokens } from '../src/main/model/special-tokens'
import { Tokenizer } from '../src/main/model/tokenizer'

/** A tokenizer of a model config's size for the benchmarks; timing does not depend on which merges it holds. */
export function benchTokenizer(vocab: number): Tokenizer {
  const merges = Array.from({ length: vocab - 256 - specialTokens.length }, (_, i): [number, number] => [97 + (i % 26), 97 + (Math.floor(i / 26) % 26)])
  return Tokenizer.fromJson({ version: 1, kind: 'byte-bpe', merges, specials: [...specialTokens] })
}
