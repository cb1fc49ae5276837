import { describe, expect, it } from 'vitest'
import { characterSetTerms, decodeDicomText, unknownCharacterSetTerms } from '../../../src/main/dicom/charset'

const ESC = 0x1b
const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? Array.from(Buffer.from(p, 'latin1')) : p)))

describe('decodeDicomText by Specific Character Set', () => {
  it('reads GB18030 and GBK names', () => {
    const zhangSan = [0xd5, 0xc5, 0xc8, 0xfd]
    expect(decodeDicomText(bytes(zhangSan), ['GB18030'])).toBe('张三')
    expect(decodeDicomText(bytes(zhangSan), ['GBK'])).toBe('张三')
    // A four-byte GB18030 sequence (GBK has only one- and two-byte ones): 0x81308130 is U+0080.
    expect(decodeDicomText(bytes([0x81, 0x30, 0x81, 0x30]), ['GB18030'])).toBe('\u0080')
  })

  it('reads UTF-8 (ISO_IR 192) and ISO 8859-1 exactly (ISO_IR 100, not windows-1252)', () => {
    expect(decodeDicomText(Buffer.from('Müller^José', 'utf8'), ['ISO_IR 192'])).toBe('Müller^José')
    expect(decodeDicomText(bytes('M', [0xfc], 'ller'), ['ISO_IR 100'])).toBe('Müller')
    expect(decodeDicomText(bytes([0x80]), ['ISO_IR 100'])).toBe('\u0080')
    expect(decodeDicomText(bytes('Doe^John'), characterSetTerms(undefined))).toBe('Doe^John')
  })

  it('switches sets at ISO 2022 escape sequences (IR 58 Chinese, PS3.5 Annex K)', () => {
    const value = bytes('Zhang^XiaoDong=', [ESC, 0x24, 0x29, 0x41, 0xd5, 0xc5, 0x5e, 0xd0, 0xa1, 0xb6, 0xab], '=')
    expect(decodeDicomText(value, characterSetTerms('ISO 2022 IR 6\\ISO 2022 IR 58'))).toBe('Zhang^XiaoDong=张^小东=')
  })

  it('switches sets at ISO 2022 escape sequences (IR 87 Japanese, PS3.5 Annex H)', () => {
    const value = bytes('Yamada^Tarou=', [ESC, 0x24, 0x42, 0x3b, 0x33, 0x45, 0x44, ESC, 0x28, 0x42], '^', [ESC, 0x24, 0x42, 0x42, 0x40, 0x4f, 0x3a, ESC, 0x28, 0x42])
    expect(decodeDicomText(value, characterSetTerms('\\ISO 2022 IR 87'))).toBe('Yamada^Tarou=山田^太郎')
  })

  it('reads bytes outside the declared ASCII (no Specific Character Set) as UTF-8 or GB 2312 when they are that, else as ISO 8859-1', () => {
    const undeclared = characterSetTerms(undefined)
    // 胸部正位 (chest PA) from a device that writes GB 2312 and declares nothing
    expect(decodeDicomText(bytes([0xd0, 0xd8, 0xb2, 0xbf, 0xd5, 0xfd, 0xce, 0xbb]), undeclared)).toBe('胸部正位')
    expect(decodeDicomText(bytes('CHEST ', [0xd5, 0xfd, 0xce, 0xbb]), characterSetTerms('ISO_IR 6'))).toBe('CHEST 正位')
    expect(decodeDicomText(Buffer.from('胸部 后前位', 'utf8'), undeclared)).toBe('胸部 后前位')
    // A Latin-1 name: a high byte beside a letter is no GB 2312 pair (Ü L), nor an odd run
    expect(decodeDicomText(bytes('M', [0xdc], 'LLER'), undeclared)).toBe('MÜLLER')
    expect(decodeDicomText(bytes('Ana^Jos', [0xe9]), undeclared)).toBe('Ana^José')
    // two accented letters inside a word are Latin-1, though they would pair as GB 2312
    expect(decodeDicomText(bytes('L', [0xf6, 0xf6], 'f^Anna'), undeclared)).toBe('Lööf^Anna')
    expect(decodeDicomText(bytes('M', [0xfc, 0xdf], 'ig'), undeclared)).toBe('Müßig')
  })

  it('reads a value declared ISO 8859-1 as the UTF-8 or GB 2312 its bytes are, two GB 2312 characters at least', () => {
    // 正位 (PA) and 胸部 from devices that write GB 2312 or UTF-8 and declare ISO_IR 100
    expect(decodeDicomText(bytes([0xd5, 0xfd, 0xce, 0xbb]), ['ISO_IR 100'])).toBe('正位')
    expect(decodeDicomText(bytes('DR', [0xd0, 0xd8, 0xb2, 0xbf]), ['ISO_IR 100'])).toBe('DR胸部')
    expect(decodeDicomText(Buffer.from('Müller^José', 'utf8'), ['ISO_IR 100'])).toBe('Müller^José')
    // Latin-1 stays Latin-1: single accented letters, one pair that could be two accented letters, pairs inside words
    expect(decodeDicomText(bytes('M', [0xfc], 'ller^Ren', [0xe9]), ['ISO_IR 100'])).toBe('Müller^René')
    expect(decodeDicomText(bytes([0xc6, 0xd8]), ['ISO_IR 100'])).toBe('ÆØ')
    expect(decodeDicomText(bytes('L', [0xf6, 0xf6], 'f^M', [0xfc, 0xdf], 'ig'), ['ISO_IR 100'])).toBe('Lööf^Müßig')
    // Another declared set is what the value gets
    expect(decodeDicomText(bytes([0xd5, 0xfd, 0xce, 0xbb]), ['ISO_IR 101'])).toBe('ŐýÎť')
  })

  it('reads the names devices give their sets outside the standard: GB2312, UTF-8, ISO-IR 144, ISO_IR100, ISO 2022 IR58', () => {
    const zhangSan = [0xd5, 0xc5, 0xc8, 0xfd]
    expect(decodeDicomText(bytes(zhangSan), ['GB2312'])).toBe('张三')
    expect(decodeDicomText(bytes(zhangSan), ['gb2312'])).toBe('张三')
    expect(decodeDicomText(Buffer.from('Müller^José', 'utf8'), ['UTF-8'])).toBe('Müller^José')
    // Москва in ISO 8859-5, however the term is spelt
    const moskva = [0xbc, 0xde, 0xe1, 0xda, 0xd2, 0xd0]
    for (const term of ['ISO-IR 144', 'ISO_IR144', 'ISO IR 144', 'iso_ir 144']) expect(decodeDicomText(bytes(moskva), [term]), term).toBe('Москва')
    expect(decodeDicomText(bytes('M', [0xfc], 'ller'), ['ISO-IR 100'])).toBe('Müller')
    const value = bytes('Zhang^XiaoDong=', [ESC, 0x24, 0x29, 0x41, 0xd5, 0xc5, 0x5e, 0xd0, 0xa1, 0xb6, 0xab], '=')
    expect(decodeDicomText(value, characterSetTerms('ISO 2022 IR6\\ISO2022 IR 58'))).toBe('Zhang^XiaoDong=张^小东=')
    // a term no one knows: the bytes are read as what they are, as where none is declared
    expect(decodeDicomText(bytes(zhangSan), ['CHINESE'])).toBe('张三')
    expect(decodeDicomText(Buffer.from('胸部', 'utf8'), ['UNICODE'])).toBe('胸部')
  })

  it('names terms it does not know', () => {
    expect(unknownCharacterSetTerms(characterSetTerms('ISO_IR 999\\GB18030\\GB2312\\ISO-IR 100'))).toEqual(['ISO_IR 999'])
  })
})
