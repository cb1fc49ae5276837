import { z } from 'zod'
import type { DecoderConfig } from '../tensor/decoder'

/**
 * The VLM's sizes (DESIGN §8). Everything that depends on a size reads it from here, so weights
 * of another size (a user's own, bigger checkpoint) load with their own config.
 */
/** A ViT: patches, learned positions, pre-LN blocks, pool×pool neighbouring tokens averaged. */
export const VitVisionConfig = z.object({
  kind: z.literal('vit'),
  /** Side of the square grayscale input image in pixels. */
  imageSize: z.number().int().positive(),
  patch: z.number().int().positive(),
  width: z.number().int().positive(),
  layers: z.number().int().nonnegative(),
  heads: z.number().int().positive(),
  /** Side of the square of patch tokens averaged into one image token. */
  pool: z.number().int().positive(),
  mlpRatio: z.number().int().positive()
})

/**
 * A small CNN: the image folded 2×2 into 4 channels, then one 3×3 convolution stage per entry of
 * `channels` (InstanceNorm, ReLU, 2×2 max-pooling between stages), max-pooled to a
 * `tokensPerSide`² grid of image tokens with learned positions. Max-pooling keeps a small, faint
 * finding (a nodule) in the token that covers it, where averaging patches dilutes it.
 */
export const ConvVisionConfig = z.object({
  kind: z.literal('conv'),
  imageSize: z.number().int().positive(),
  channels: z.array(z.number().int().positive()).min(1),
  tokensPerSide: z.number().int().positive()
})

/** Configs written before the conv encoder have no `kind`: they are ViTs. */
export const VisionConfig = z.preprocess(
  (v) => (v && typeof v === 'object' && !('kind' in v) ? { ...v, kind: 'vit' } : v),
  z.discriminatedUnion('kind', [VitVisionConfig, ConvVisionConfig])
)
export type VisionConfig = z.infer<typeof VisionConfig>
export type VitVisionConfig = z.infer<typeof VitVisionConfig>
export type ConvVisionConfig = z.infer<typeof ConvVisionConfig>

export const TextDecoderConfig = z.object({
  width: z.number().int().positive(),
  layers: z.number().int().positive(),
  heads: z.number().int().positive(),
  /** Longest text after the image prefix, in tokens (prompt + generated). */
  maxText: z.number().int().positive(),
  mlpRatio: z.number().int().positive()
})

export const VlmConfig = z
  .object({
    name: z.string(),
    /** Tokens in the embedding table: the tokenizer's size (a tokenizer trained on little text may stop short of the size asked for). */
    vocab: z.number().int().positive(),
    vision: VisionConfig,
    decoder: TextDecoderConfig,
    /**
     * The presence and place heads' logits, projected, are added to the decoder's start vector
     * (`imagePrefix`), so the text reads where the encoder found a nodule from one vector; the
     * heads are then part of the model that generates. Absent: off (the heads train the encoder only).
     */
    noduleSummary: z.boolean().optional()
  })
  .superRefine((c, ctx) => {
    const v = c.vision
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message })
    if (v.kind === 'vit') {
      if (v.imageSize % v.patch !== 0) problem(`image size ${v.imageSize} is not a multiple of the patch ${v.patch}`)
      else if ((v.imageSize / v.patch) % v.pool !== 0) problem(`${v.imageSize / v.patch} patches per side do not pool by ${v.pool}`)
      if (v.width % v.heads !== 0) problem(`vision width ${v.width} does not split into ${v.heads} heads`)
    } else {
      const side = convFeatureSide(v)
      if (!Number.isInteger(side) || side % v.tokensPerSide !== 0) problem(`image size ${v.imageSize}, folded 2×2 and halved between ${v.channels.length} stages, gives a ${side}-pixel map that does not pool into ${v.tokensPerSide} tokens per side`)
    }
    if (c.decoder.width % c.decoder.heads !== 0) problem(`decoder width ${c.decoder.width} does not split into ${c.decoder.heads} heads`)
  })
export type VlmConfig = z.infer<typeof VlmConfig>

/** The CPU-friendly default of DESIGN §8: about 6 million parameters. */
export const defaultVlmConfig: VlmConfig = {
  name: 'default',
  vocab: 2048,
  vision: { kind: 'vit', imageSize: 256, patch: 16, width: 192, layers: 4, heads: 3, pool: 2, mlpRatio: 4 },
  decoder: { width: 256, layers: 4, heads: 4, maxText: 96, mlpRatio: 4 }
}

/** A model small enough for tests: 64×64 images, one block each, width 32. */
export const tinyVlmConfig: VlmConfig = {
  name: 'tiny',
  vocab: 384,
  vision: { kind: 'vit', imageSize: 64, patch: 16, width: 32, layers: 1, heads: 2, pool: 2, mlpRatio: 2 },
  decoder: { width: 32, layers: 1, heads: 2, maxText: 48, mlpRatio: 2 }
}

/** The default with a small CNN for the vision encoder (see ConvVisionConfig); warm it up with a vision phase. */
export const convVlmConfig: VlmConfig = { ...defaultVlmConfig, name: 'conv', vision: { kind: 'conv', imageSize: 256, channels: [16, 32, 32], tokensPerSide: 8 }, noduleSummary: true }

/** The conv encoder small enough for tests: 64×64 images, two stages of 4 and 8 channels, 4×4 tokens. */
export const tinyConvVlmConfig: VlmConfig = { ...tinyVlmConfig, name: 'tiny-conv', vision: { kind: 'conv', imageSize: 64, channels: [4, 8], tokensPerSide: 4 }, noduleSummary: true }

export const namedConfigs: Readonly<Record<string, VlmConfig>> = { default: defaultVlmConfig, tiny: tinyVlmConfig, conv: convVlmConfig, 'tiny-conv': tinyConvVlmConfig }

/** A config by name, or parsed from JSON, with a message that says what is wrong. */
export function parseVlmConfig(value: unknown, source: string): VlmConfig {
  const parsed = VlmConfig.safeParse(value)
  if (!parsed.success) throw new Error(`${source}: not a valid model config: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ')}`)
  return parsed.data
}

/** Side of a conv encoder's last feature map: the image folded once, then halved between stages. */
export function convFeatureSide(v: ConvVisionConfig): number {
  return v.imageSize / 2 / 2 ** (v.channels.length - 1)
}

/** Image tokens the decoder sees after pooling. */
export function imageTokenCount(c: VlmConfig): number {
  const v = c.vision
  return v.kind === 'vit' ? (v.imageSize / v.patch / v.pool) ** 2 : v.tokensPerSide ** 2
}

/** Positions before the text: the start vector and the image tokens. */
export function prefixLength(c: VlmConfig): number {
  return 1 + imageTokenCount(c)
}

/** The text decoder as the tensor engine's decoder sees it (positions cover prefix + text). */
export function decoderConfig(c: VlmConfig): DecoderConfig {
  const d = c.decoder
  return { vocab: c.vocab, width: d.width, layers: d.layers, heads: d.heads, maxLength: prefixLength(c) + d.maxText, mlpRatio: d.mlpRatio }
}
