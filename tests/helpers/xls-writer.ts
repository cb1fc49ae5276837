/**
 * Excel 97–2003 workbooks (.xls) for tests, written by xlwt (Debian's python3-xlwt), a writer of its
 * own: a reader tested only against a writer of ours would share its misreadings of the format.
 */
import { spawnSync } from 'node:child_process'

export type XlsCell = string | number | boolean | { date: string } | null

const script = `
import sys, json, datetime, xlwt
spec = json.loads(sys.stdin.read())
book = xlwt.Workbook(encoding='utf-8')
date = xlwt.easyxf(num_format_str='yyyy/m/d')
for sheet in spec:
    ws = book.add_sheet(sheet['name'])
    for r, row in enumerate(sheet['rows']):
        for c, v in enumerate(row):
            if v is None: continue
            if isinstance(v, dict): ws.write(r, c, datetime.datetime.strptime(v['date'], '%Y-%m-%d'), date)
            else: ws.write(r, c, v)
book.save(sys.stdout.buffer)
`

// Debian's python3 has the package; a python of its own on the PATH may not.
const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import xlwt']).status === 0)

/** An .xls of the sheets, each a name and its rows (null leaves a cell empty; a date is written date-formatted). */
export function writeXls(sheets: { name: string; rows: XlsCell[][] }[]): Buffer {
  if (!python) throw new Error('writing .xls test files needs xlwt: apt install python3-xlwt')
  const result = spawnSync(python, ['-c', script], { input: JSON.stringify(sheets), maxBuffer: 256 << 20 })
  if (result.status !== 0) throw new Error(`xlwt failed: ${result.stderr.toString()}`)
  return result.stdout
}
