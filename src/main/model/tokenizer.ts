import { specialTokens } from './special-tokens'

/**
 * Byte-level BPE (GPT-2 style) trained on the imported report text. Every string is encodable
 * (the base vocabulary is the 256 bytes), so English and Chinese round-trip exactly.
 *
 * Why our own: the `tokenizers` npm binding (0.23) trains only with its default trainer — no
 * vocabulary size, no special tokens — and encodes only asynchronously; the algorithm is small.
 */

/** Splits text into pre-tokens: words with their leading space, single digits, punctuation runs,
 *  whitespace. Digits stay single so sizes like "12 mm" are learned digit by digit. */
const PRE_TOKEN = /'(?:s|t|re|ve|m|ll|d)| ?\p{L}+| ?\p{N}| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu

export interface TokenizerJson {
  version: 1
  kind: 'byte-bpe'
  merges: [number, number][]
  specials: string[]
}

export class Tokenizer {
  private readonly ranks = new Map<string, number>()
  private readonly pieces: Uint8Array[]
  private readonly specialIds = new Map<string, number>()
  private readonly specialPattern: RegExp
  private readonly cache = new Map<string, number[]>()

  private constructor(
    readonly merges: readonly [number, number][],
    readonly specials: readonly string[]
  ) {
    this.pieces = Array.from({ length: 256 }, (_, b) => Uint8Array.of(b))
    merges.forEach(([a, b], i) => {
      this.ranks.set(`${a},${b}`, i)
      this.pieces.push(concat(this.pieces[a], this.pieces[b]))
    })
    specials.forEach((s, i) => this.specialIds.set(s, 256 + merges.length + i))
    const escaped = [...specials].sort((x, y) => y.length - x.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    this.specialPattern = new RegExp(`(${escaped.join('|')})`)
  }

  /** Learns `vocabSize − 256 − specials` merges from the texts (deterministic for the same input). */
  static train(texts: Iterable<string>, vocabSize: number, specials: readonly string[] = specialTokens): Tokenizer {
    const mergeCount = vocabSize - 256 - specials.length
    if (mergeCount < 0) throw new Error(`Vocabulary size ${vocabSize} is smaller than 256 bytes + ${specials.length} special tokens`)
    return new Tokenizer(learnMerges(wordCounts(texts), mergeCount), specials)
  }

  static fromJson(json: TokenizerJson): Tokenizer {
    if (json.version !== 1 || json.kind !== 'byte-bpe') throw new Error('Not a byte-level BPE tokenizer (version 1)')
    json.merges.forEach(([a, b], i) => {
      if (!(a < 256 + i && b < 256 + i && a >= 0 && b >= 0)) throw new Error(`Tokenizer merge ${i} refers to a token not yet defined`)
    })
    return new Tokenizer(json.merges, json.specials)
  }

  toJson(): TokenizerJson {
    return { version: 1, kind: 'byte-bpe', merges: this.merges.map(([a, b]) => [a, b]), specials: [...this.specials] }
  }

  get vocabSize(): number {
    return 256 + this.merges.length + this.specials.length
  }

  /** Id of a special token; throws for an unknown one so a typo cannot become text. */
  special(token: string): number {
    const id = this.specialIds.get(token)
    if (id === undefined) throw new Error(`Unknown special token ${token}`)
    return id
  }

  isSpecial(id: number): boolean {
    return id >= 256 + this.merges.length
  }

  /** How many bytes of UTF-8 text a token stands for: 0 for a special token, which `decode` may skip. */
  byteLength(id: number): number {
    return this.isSpecial(id) ? 0 : this.pieces[id].length
  }

  /** Encodes text; special-token strings in it become their ids only when `allowSpecial`. */
  encode(text: string, options: { allowSpecial?: boolean } = {}): number[] {
    const ids: number[] = []
    const parts = options.allowSpecial ? text.split(this.specialPattern) : [text]
    for (const part of parts) {
      if (!part) continue
      const special = options.allowSpecial ? this.specialIds.get(part) : undefined
      if (special !== undefined) ids.push(special)
      else for (const m of part.matchAll(PRE_TOKEN)) ids.push(...this.encodeWord(m[0]))
    }
    return ids
  }

  /** Decodes ids to text; special tokens are written out unless `skipSpecial`. */
  decode(ids: readonly number[], options: { skipSpecial?: boolean } = {}): string {
    const out: string[] = []
    let bytes: number[] = []
    const flush = () => {
      if (bytes.length) out.push(utf8.decode(Uint8Array.from(bytes)))
      bytes = []
    }
    for (const id of ids) {
      if (id < 0 || id >= this.vocabSize) throw new Error(`Token id ${id} is outside the vocabulary (${this.vocabSize})`)
      if (this.isSpecial(id)) {
        flush()
        if (!options.skipSpecial) out.push(this.specials[id - 256 - this.merges.length])
      } else for (const b of this.pieces[id]) bytes.push(b)
    }
    flush()
    return out.join('')
  }

  private encodeWord(word: string): number[] {
    const cached = this.cache.get(word)
    if (cached) return cached
    let symbols = Array.from(utf8.encode(word))
    for (;;) {
      let best = -1
      let bestRank = Infinity
      for (let i = 0; i + 1 < symbols.length; i++) {
        const rank = this.ranks.get(`${symbols[i]},${symbols[i + 1]}`)
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank
          best = i
        }
      }
      if (best < 0) break
      symbols = mergeAt(symbols, this.merges[bestRank], 256 + bestRank)
    }
    if (this.cache.size < 50_000) this.cache.set(word, symbols)
    return symbols
  }
}

const utf8 = { encode: (s: string) => new TextEncoder().encode(s), decode: (b: Uint8Array) => new TextDecoder().decode(b) }

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

/** Replaces every occurrence of the pair (left to right, non-overlapping) by `id`. */
function mergeAt(symbols: number[], [a, b]: readonly [number, number], id: number): number[] {
  const out: number[] = []
  for (let i = 0; i < symbols.length; i++) {
    if (i + 1 < symbols.length && symbols[i] === a && symbols[i + 1] === b) {
      out.push(id)
      i++
    } else out.push(symbols[i])
  }
  return out
}

function wordCounts(texts: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>()
  for (const text of texts) for (const m of text.normalize('NFC').matchAll(PRE_TOKEN)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1)
  return counts
}

/** Greedy BPE: repeatedly merge the most frequent adjacent pair; ties go to the smaller pair ids. */
function learnMerges(counts: Map<string, number>, mergeCount: number): [number, number][] {
  const words = [...counts.entries()].map(([w, n]) => ({ symbols: Array.from(utf8.encode(w)), n }))
  const merges: [number, number][] = []
  while (merges.length < mergeCount) {
    const pairCounts = new Map<number, number>()
    for (const { symbols, n } of words)
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = symbols[i] * 65536 + symbols[i + 1]
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + n)
      }
    let bestKey = -1
    let bestCount = 1 // a pair seen once teaches nothing
    for (const [key, c] of pairCounts) if (c > bestCount || (c === bestCount && bestKey >= 0 && key < bestKey)) [bestKey, bestCount] = [key, c]
    if (bestKey < 0) break
    const pair: [number, number] = [Math.floor(bestKey / 65536), bestKey % 65536]
    const id = 256 + merges.length
    merges.push(pair)
    for (const w of words) if (w.symbols.length > 1) w.symbols = mergeAt(w.symbols, pair, id)
  }
  return merges
}
