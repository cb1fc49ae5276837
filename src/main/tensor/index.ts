/**
 * The tensor engine (DESIGN §7): build a typed graph, differentiate it, write it as ONNX
 * (opset 17, standard ops only) and run it on onnxruntime with the best execution provider.
 *
 *   const g = new Graph('lm')
 *   const ids = g.input('ids', 'int64', [8, 64])
 *   const { logits } = decoderForward(g, cfg, ids)
 *   const { loss } = decoderLoss(g, logits, targets, null)
 *   const trainer = await Trainer.create(runtime, buildTrainStep(g, loss), initParams(g.params, seed))
 *   await trainer.step({ ids: …, targets: … }, lr)
 *
 * Training blocks its thread inside session.run, so it belongs in a task child process.
 */
export { Graph, Value, isFloat, type DType, type ParamSpec, type ParamInit } from './graph'
export type { Dim, Shape } from './shape'
export { grad, gradientRules, unbroadcast } from './autodiff'
export { encodeModel, OPSET, type OnnxModel } from './onnx-writer'
export { Runtime, CompiledModel, chooseExecutionProvider, autoPreference, ort, type Feeds, type ProviderChoice, type RuntimeOptions } from './runtime'
export { buildTrainStep, defaultAdamW, paramSlots, type AdamWConfig, type TrainStepModel } from './train-step'
export { Trainer, type OptimizerState, type StepResult } from './trainer'
export { initParams } from './init'
export * from './layers'
export { decoderForward, decoderLoss, decoderStep, stepMask, type DecoderConfig } from './decoder'
export { checkGradients, randomFeed, relativeError } from './gradient-check'
export { evaluateFloat64, type F64Tensor } from './float64-interpreter'
export { compiledExecutionProviders } from './execution-providers'
