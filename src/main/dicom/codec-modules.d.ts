/** The cornerstone codec packages (`…/codec-<name>/wasmjs`) ship Emscripten factories without type declarations. */
declare module '@cornerstonejs/codec-*' {
  const factory: import('./codecs').EmscriptenFactory
  export default factory
}
