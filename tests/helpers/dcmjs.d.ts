/** The slice of dcmjs the test corpus uses (the package ships no type declarations). */
declare module 'dcmjs' {
  type Dataset = Record<string, unknown>
  const dcmjs: {
    data: {
      DicomMetaDictionary: {
        uid(): string
        denaturalizeDataset(dataset: Dataset): Dataset
        naturalizeDataset(dataset: Dataset): Dataset
        nameMap: Record<string, { tag: string; vr: string; name: string } | undefined>
      }
      DicomMessage: { readFile(buffer: ArrayBuffer): { meta: Dataset; dict: Dataset } }
      DicomDict: new (meta: Dataset) => { dict: Dataset; write(options?: { fragmentMultiframe?: boolean }): ArrayBuffer }
    }
  }
  export default dcmjs
}
