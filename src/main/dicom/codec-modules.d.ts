/** The cornerstone codec packages ship Emscripten factories without type declarations. */
declare module '@cornerstonejs/codec-openjpeg/wasmjs' {
  const factory: import('./codecs').EmscriptenFactory
  export default factory
}
declare module '@cornerstonejs/codec-openjph/wasmjs' {
  const factory: import('./codecs').EmscriptenFactory
  export default factory
}
declare module '@cornerstonejs/codec-charls/wasmjs' {
  const factory: import('./codecs').EmscriptenFactory
  export default factory
}
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs' {
  const factory: import('./codecs').EmscriptenFactory
  export default factory
}
