/**
 * Worker-thread entry of the report-file reader (report-file-reader.ts): reads each report file it is
 * named, as readReportFile does, and answers with what the file holds or the problem in words.
 */
import { answerRequests } from '../tasks/reader-thread'
import { readReportFile } from './report-records'

answerRequests(async (file: string) => {
  try {
    return await readReportFile(file)
  } catch (err) {
    // V8's own limits (a call stack a hostile nesting or repetition overflows) say nothing of the file
    if (err instanceof RangeError) throw new Error(`it could not be read (${err.message}): it is no report file a system wrote`)
    throw err
  }
})
