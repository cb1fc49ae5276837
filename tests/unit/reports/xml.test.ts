import { describe, expect, it } from 'vitest'
import { xmlElements, xmlRootName } from '../../../src/main/reports/xml'
import { seededRandom } from '../../helpers/dicom-corpus'

const export1 =
  '<?xml version="1.0"?><!DOCTYPE Reports [<!ENTITY x "boom">]><Reports xmlns="urn:a" xmlns:report="urn:b"><Report id="1"><Accession>A1</Accession><Text><![CDATA[No <b>nodule</b>.]]></Text></Report>' +
  '<Report><Accession>A2</Accession><Text>8 mm nodule&#x3002; &x;</Text><Note/></Report></Reports>'

describe('xmlElements', () => {
  it('gives each element its attributes and leaf values in order; CDATA as written, character references decoded, no DTD entity expanded', () => {
    expect(xmlRootName(export1)).toBe('Reports')
    const elements = xmlElements(export1)
    expect(elements.map((e) => [e.name, e.values])).toEqual([
      ['Report', [['id', '1'], ['Accession', 'A1'], ['Text', 'No <b>nodule</b>.']]],
      ['Report', [['Accession', 'A2'], ['Text', '8 mm nodule。 &x;'], ['Note', '']]],
      ['Reports', []]
    ])
  })

  it('refuses, in words, a document that is not well formed, in one pass however it is built', () => {
    expect(() => xmlElements('<a><b></a></b>')).toThrow('it is not well-formed XML: </a> closes <b>')
    expect(() => xmlElements('<a/><b/>')).toThrow('it is not well-formed XML: it has more than one root element')
    expect(() => xmlElements('plain text')).toThrow('it is not well-formed XML: it holds text outside its root element')
    expect(() => xmlElements('<a>' + '<b>'.repeat(100))).toThrow(/nest more than 64 deep/)
    // tags that never end, each of which a backtracking reader would follow to the end of the file
    expect(() => xmlElements('<r>' + '<a "'.repeat(50_000) + '</r>')).toThrow('it is not well-formed XML: a "<" begins no tag')
    expect(() => xmlElements('<r>' + '<![CDATA['.repeat(50_000))).toThrow('it is not well-formed XML: a "<" begins no tag')
  })

  it('answers every damaged copy of an export with elements or a reason in words', () => {
    const rand = seededRandom(3)
    for (let i = 0; i < 500; i++) {
      const chars = [...export1]
      for (let k = 0; k < 1 + Math.floor(rand() * 6); k++) chars[Math.floor(rand() * chars.length)] = '<>/"&!['[Math.floor(rand() * 7)]
      try {
        expect(Array.isArray(xmlElements(chars.join('')))).toBe(true)
      } catch (err) {
        expect((err as Error).constructor).toBe(Error)
        expect((err as Error).message).toMatch(/^it is not (well-formed )?XML/)
      }
    }
  })
})
