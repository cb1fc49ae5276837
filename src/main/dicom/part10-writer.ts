import dcmjs from 'dcmjs'

const { DicomMetaDictionary, DicomDict } = dcmjs.data

/** Who wrote a file, as its meta header says: a fixed 2.25 UID per writer of this app. */
export interface Implementation {
  classUid: string
  versionName?: string
}

/**
 * A DICOM Part 10 file of a data set given by attribute keywords (dcmjs's naturalised form): the
 * meta header names its SOP class and instance from the data set. Encapsulated pixel data (a
 * transfer syntax that compresses) is written as one fragment per frame.
 */
export function writePart10(dataset: Record<string, unknown>, transferSyntaxUid: string, implementation: Implementation): Uint8Array {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: transferSyntaxUid,
    ImplementationClassUID: implementation.classUid,
    ...(implementation.versionName ? { ImplementationVersionName: implementation.versionName } : {})
  }
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta))
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset)
  return new Uint8Array(dict.write({ fragmentMultiframe: false }))
}
