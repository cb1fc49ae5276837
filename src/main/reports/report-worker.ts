/**
 * Worker-thread entry of the report-file reader (report-file-reader.ts): reads each report file it is
 * named, as readReportFile does, and answers with what the file holds or the problem in words.
 */
import { answerRequests } from '../tasks/reader-thread'
import { readReportFile } from './report-records'

answerRequests((file: string) => readReportFile(file))
