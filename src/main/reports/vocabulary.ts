/**
 * Vocabulary of the nodule-report parser, English and Chinese, as regular-expression sources that
 * run over the folded text (lower case, half-width; see text.ts). English phrases are matched as
 * whole words; Chinese ones anywhere. Sources: NegEx trigger lists (Chapman 2001), CheXpert's
 * Lung Lesion mention/unmention phrases and negation/uncertainty patterns, and the Chinese report
 * conventions collected in REFERENCE §E. Extend the lists, not the parser, for new wording.
 */
import type { Density, Lobe, Side, Zone } from '../../shared/finding'

/**
 * Builds a global regex of English whole-word phrases (sources) or Chinese phrases. A space in an
 * English phrase is any run of white space (" ?" any or none): reports wrapped at ~80 columns break
 * a phrase over two lines ("is not well\n seen").
 */
function en(...sources: string[]): RegExp {
  const phrases = sources.map((s) => s.replace(/ \?/g, '\\s*').replace(/ /g, '\\s+'))
  return new RegExp(`(?<![a-z0-9])(?:${phrases.join('|')})(?![a-z])`, 'g')
}
function zh(...sources: string[]): RegExp {
  return new RegExp(`(?:${sources.join('|')})`, 'g')
}

/** What a lesion is said not to be, or no longer to be ("not seen", "no longer apparent"). */
export const notSeenWords = 'seen|visible|visualized|visualised|identified|present|evident|demonstrated|appreciated|detected|noted|apparent|discernible|demonstrable|identifiable'

/** Words that say a lesion is not ruled out (不除外, 待排): it is in doubt. */
export const notExcludedZh = '不除外|不能除外|不排除|不能排除|待排除?|待除外'
/** What stands between 与 and 鉴别 in 需与…鉴别 ("to be told apart from …"): the thing named, within the clause. */
export const toldApartFrom = '[^，。；,;]{1,12}?(?:相)?'

/* ---------------------------------------------------------------- mentions */

/** A size a nodule can have (30 mm or less) in its first number — the long axis, or a list's first: "8 mm", "0.8×0.6cm", "5 and 7 mm", 约8毫米. */
const smallSize =
  '(?<![\\d.])(?:(?:[1-9]|[12]\\d|30)(?:\\.\\d+)?(?:\\s*-?\\s*(?:mm|㎜|毫米))?(?:\\s*(?:[x×*]|by|,|、|and|及|和)\\s*\\d+(?:\\.\\d+)?)*\\s*-?\\s*(?:mm|㎜|毫米|millimet(?:er|re)s?)' +
  '|(?:[0-2](?:\\.\\d+)?|3(?:\\.0+)?)(?:\\s*-?\\s*(?:cm|㎝|厘米|公分))?(?:\\s*(?:[x×*]|by|,|、|and|及|和)\\s*\\d+(?:\\.\\d+)?)*\\s*-?\\s*(?:cm|㎝|厘米|公分|centimet(?:er|re)s?))(?![a-z])'
/** The rest of the clause up to a size, naming no other lesion on the way ("ground-glass opacity, about 8 mm"). */
const sameClauseAhead = '(?:(?!nodul|mass|结节|肿块)[^.;。；]){0,60}?'
/** A size that another lesion named right after it takes ("… and a 6 mm nodule"). */
const sizeOfLesionAfter = '(?![\\s-]*(?:[a-z]+[\\s-]+){0,2}(?:nodul|mass|lesion)|[^，,。；]{0,6}(?:结节|肿块))'
/** An opacity of ground glass ("ground-glass opacity", "GGO", "focus of ground-glass attenuation"). */
const groundGlassOpacity =
  '(?:ground[\\s-]?glass[\\s-]+(?:opacit(?:y|(ies))|densit(?:y|(ies))|attenuation|lesion(s)?|focus|(foci)|shadow(s)?)|ggo(s)?)'
/** Words that make an opacity a patch or a haze rather than a focus (patchy, diffuse, 斑片状, 弥漫). */
const notPatchy = '(?<!(?:patchy|diffuse|scattered|extensive|widespread|multifocal|confluent|斑片状?|片状|大片|弥漫性?|散在|多发)[\\s-]*(?:(?:pure|faint|mild)[\\s-]+)?)'

export type MentionKind =
  /** A nodule-like lesion: nodule, mass, nodular opacity, 结节, 肿块 … */
  | 'lesion'
  /** A word that characterises a lesion (granuloma, 钙化灶): merged into a lesion named before it in the sentence. */
  | 'characterisation'
  /**
   * Something that looks like a nodule on a radiograph and is not one (nipple shadow, end-on vessel,
   * rib end), or another reading of the opacity (atelectasis, scarring, 炎症): read as the
   * interpretation of a lesion before it, it makes that lesion uncertain ("may represent a nipple
   * shadow") or absent ("represents a nipple shadow").
   */
  | 'mimic'

export interface MentionPattern {
  kind: MentionKind
  pattern: RegExp
  /** Group index that, when it matched, makes the mention plural (English only). */
  pluralGroup?: number
}

export const mentionPatterns: MentionPattern[] = [
  { kind: 'lesion', pattern: en('(?:micro)?nodule(s)?'), pluralGroup: 1 },
  {
    kind: 'lesion',
    pattern: en('nodular[\\s-]+(?:opacit(?:y|(ies))|densit(?:y|(ies))|lesion(s)?|shadow(s)?|focus|(foci))'),
    pluralGroup: 1
  },
  { kind: 'lesion', pattern: en('mass(?:like)?(es)?'), pluralGroup: 1 },
  { kind: 'lesion', pattern: en('(?:coin|cavitary|cavitating)[\\s-]+lesion(s)?'), pluralGroup: 1 },
  // with a size between ("a rounded 1.2 cm opacity")
  {
    kind: 'lesion',
    pattern: en('(?:round|rounded|spherical)[\\s-]+(?:\\d+(?:\\.\\d+)?[\\s-]*(?:mm|cm)[\\s-]+)?(?:opacit(?:y|(ies))|densit(?:y|(ies))|lesion(s)?|shadow(s)?)'),
    pluralGroup: 1
  },
  // GGN, SSN; SPN is a solitary pulmonary nodule; a lesion said to be of the lung is a lung lesion
  { kind: 'lesion', pattern: en('[pm]?ggn(s)?', 'ssn(s)?', 'spn(s)?', '(?:pulmonary|lung|parenchymal)[\\s-]+lesion(s)?'), pluralGroup: 1 },
  // a cancer named in a lung, lobe or hilum is the lesion the film shows ("right upper lobe carcinoma", "hilar
  // tumor"); after a lesion it says what that one is ("mass, concerning for bronchogenic carcinoma")
  {
    kind: 'characterisation',
    pattern: en('(?<=(?:lung|pulmonary|bronchogenic|lobe|hilar|perihilar|apical|zone)[\\s-]+)(?:carcinoma|cancer|tumou?r|neoplasm)(s)?'),
    pluralGroup: 1
  },
  // an opacity a radiologist suspects of being a cancer ("left apical opacity concerning for a neoplasm")
  {
    kind: 'lesion',
    pattern: en(
      `(?:opacit(?:y|(ies))|densit(?:y|(ies))|lesion(s)?)(?=[^.;]{0,80}?(?:concerning|suspicious|worrisome|worrying) (?:for|of) (?:an? )?(?:primary )?(?:lung |pulmonary |bronchogenic )?(?:malignancy|neoplasm|carcinoma|cancer|tumou?r)(?![a-z]))`
    ),
    pluralGroup: 1
  },
  // a ground-glass opacity given a size of 3 cm or less is a ground-glass nodule (Fleischner: a nodule is
  // 3 cm or less, a larger opacity a mass; a patch or a diffuse haze is neither)
  {
    kind: 'lesion',
    pattern: en(
      `${notPatchy}(?:(?<=${smallSize}[\\s-]+(?:(?:pure|focal|small|round(?:ed)?|focus of|faint)[\\s-]+)*)${groundGlassOpacity}|${groundGlassOpacity}(?=${sameClauseAhead}${smallSize}${sizeOfLesionAfter}))`
    ),
    pluralGroup: 1
  },
  {
    kind: 'lesion',
    pattern: zh(`${notPatchy}(?:磨|毛)玻璃(?:样|密度|样密度)?(?:阴?影|灶|病灶)(?=${sameClauseAhead}${smallSize}${sizeOfLesionAfter})`)
  },
  { kind: 'characterisation', pattern: en('granuloma(s)?', 'hamartoma(s)?'), pluralGroup: 1 },
  // "… and another in the left lower zone": the pronoun is a nodule of its own.
  { kind: 'lesion', pattern: en('another(?=\\s+(?:(?:is|was)\\s+)?(?:in|at|within|on|over|projecting|measuring|seen|noted|\\d))') },
  {
    kind: 'lesion',
    pattern: zh(
      '(?:微小|小)?结节(?:状(?:致密|高密度|稍高密度|软组织密度|实变)?影|样(?:致密|高密度)?影|影|灶)?',
      '肿块(?:影)?',
      '团块(?:状)?(?:致密|高密度)?影?',
      '类圆形(?:致密|高密度|稍高密度|软组织密度)?(?:阴)?影',
      // a round opacity ("rounded opacity"): 圆形致密影, 小圆形高密度影, 圆形阴影
      '(?:小)?圆形(?:(?:致密|高密度|稍高密度|软组织密度)影|阴影)',
      // a cavitary lesion
      '空洞性(?:病变|病灶|肿块)',
      '占位(?:性病变|病变)?'
    )
  },
  // as the English cancer words: 右肺中央型肺癌; 肿块，考虑周围型肺癌; MT (malignant tumour) and Ca right after a
  // place in the lung or a type (右肺上叶MT可能, 中央型Ca) — not "MT标志物" after a comma
  { kind: 'characterisation', pattern: zh('肉芽肿', '错构瘤', '钙化灶', '(?:周围型|中央型)?肺癌', '(?<=[肺叶野门段区型])(?:mt|ca)(?![a-z])') },
  {
    kind: 'mimic',
    pattern: en(
      'nipple(?: shadows?| markers?)?',
      'vessels? (?:seen )?end[\\s-]on',
      'end[\\s-]on vessels?',
      'costochondral (?:junction|calcification|cartilage)s?',
      'rib (?:end|island|lesion)s?',
      'bone islands?',
      // a pericardial fat pad at a cardiophrenic angle
      '(?:(?:pericardial|epicardial|cardiophrenic)\\s+)?fat\\s+pads?',
      'skin (?:lesion|tag|fold)s?',
      'artifacts?',
      'artefacts?',
      'overlapping (?:vessels|shadows|structures)',
      'summation(?: of shadows)?',
      // "is due to overlap of the first rib and clavicle", "represents superimposition of vessels"
      '(?:overlap|superimposition|superposition) of'
    )
  },
  { kind: 'mimic', pattern: zh('乳头影', '乳头', '血管断面', '血管影', '肋软骨钙化', '肋骨', '骨岛', '伪影', '重叠影', '脂肪垫') },
  // Another reading of the opacity than a nodule: "nodular opacities … likely represent atelectasis",
  // "… likely infectious" (not "an inflammatory nodule"), 结节状影，考虑炎症 / 倾向炎性病变. Only right after
  // the reading's verb — these words are findings of their own elsewhere in a sentence. Not an old or
  // fibrotic focus (陈旧性病变, 纤维灶): a healed granuloma is a nodule-like lesion.
  {
    kind: 'mimic',
    pattern: en(
      `(?<=(?:represents?|representing|reflects?|reflecting|likely|probably|possibly|consistent with|compatible with|in keeping with|due to|may be|could be)\\s+(?:an?\\s+|(?:focal|small|subsegmental|overlapping|prominent|early|mild|minimal|patchy|developing|superimposed|chronic)\\s+)*)(?:atelectasis|scarring|scar|infection|pneumonia|consolidation|infiltrates?|inflammation|aspiration|vessels?|vascular(?![\\s-]+(?:[a-z]+[\\s-]+)?(?:nodul|mass|lesion|malformation))|(?:infectious|infective|inflammatory)(?![\\s-]+(?:[a-z]+[\\s-]+)?(?:nodul|mass|lesion|granulom)))`
    )
  },
  { kind: 'mimic', pattern: zh('(?<=(?:考虑|倾向于?|为|系|符合)(?:为)?)(?:炎症|炎性病变|感染|肺炎|肺不张|瘢痕)') }
]

/**
 * Words that tie a later phrase in a sentence to the lesion before it as its interpretation:
 * "opacity which may represent a nipple shadow", "结节状致密影，考虑结节".
 */
export const interpretationPatterns: RegExp[] = [
  en('represents?', 'representing', 'due to', 'consistent with', 'compatible with', 'in keeping with', 'reflects?', 'reflecting', 'is', 'are', 'likely', 'probably', 'possibly'),
  zh('为', '系', '考虑', '符合', '可能', '倾向')
]

/**
 * An uncertainty cue that only introduces the reader's reading of a lesion: 结节状致密影，考虑结节 reads
 * the opacity as a nodule (考虑, "considered"), where 结节可能 doubts it.
 */
export const firmReadingCue = /^考虑$/

/**
 * A word of a lesion's nature right before a lesion word that restates it (炎性结节可能, "likely a
 * benign nodule"): the doubt is about what the nodule is, not whether it is there.
 */
export const natureBeforeLesion = /(?:炎性|炎症性|良性|恶性|转移性|陈旧性|钙化性?|增殖性?|结核性?|inflammatory|benign|malignant|metastatic|granulomatous|calcified)\s*$/

/** Clauses about the lungs as a whole (markings, clarity) whose place is not a lesion's place. */
export const diffuseStatementPattern = /纹理|透亮|清晰|正常|未见|markings|clear|normal|unremarkable|(?<![a-z])no(?![a-z])/

/** Organs other than the lung whose nodules and masses a chest film or report may name. */
const otherOrgan = 'thyroid|breast|liver|kidney|adrenal|spleen|pancreas|neck|chest wall|skin|lymph nodes?'

/** Phrases that contain a mention word but are not a lung lesion (CheXpert's unmention list and kin). */
export const unmentionPatterns: RegExp[] = [
  en('mass effect', '(?:body|muscle|bone|lean) mass', 'massive'),
  /**
   * A lesion of another organ: the organ is named shortly before the mention in the same clause. Not a
   * soft-tissue density or attenuation: that is the lung nodule's own (软组织密度结节).
   */
  en(
    `(?:${otherOrgan}|mediastinal|paratracheal|aortopulmonary|subcarinal|paraspinal|paravertebral|thymic|retrosternal|hepatic|renal|splenic|pancreatic|cutaneous|subcutaneous|axillary|nodal|soft[\\s-]tissue(?![\\s-]+(?:density|attenuation)))(?:[\\s-]+[a-z]+){0,3}[\\s-]+(?:nodules?|mass(?:es)?)`
  ),
  /** …or named right after it: "mass in the anterior mediastinum", "nodule in the left breast". */
  en(
    `(?:nodules?|mass(?:es)?)\\s+(?:in|within|of|at|involving|arising from)\\s+(?:the\\s+)?(?:(?:left|right|anterior|middle|posterior|superior)\\s+)*(?:${otherOrgan}|mediastinum|(?:aortopulmonary|ap) window|axilla|soft tissues?|(?:paratracheal|subcarinal|paraspinal) region)`
  ),
  zh('(?:甲状腺|乳腺|乳房|肝|脾|肾上腺|肾|胰腺|纵隔|气管旁|主肺动脉窗|隆突下|脊柱旁|椎旁|胸腺|淋巴结|胸壁|皮肤|皮下|腋窝|颈部)[^，。；,;肺]{0,6}?(?:结节|肿块|团块|占位)'),
  /** A cancer as the patient's history or a screening's aim, not as what the film shows. */
  en('(?:history|hx) of (?:[a-z-]+ ){0,3}(?:carcinoma|cancer|tumou?r|neoplasm)s?', '(?:lung |pulmonary )?cancer screening'),
  zh('肺癌(?:病史|史|筛查|普查|高危)')
]

/* ---------------------------------------------------------------- negation and uncertainty cues */

export type CueKind =
  /** negates mentions after it in its clause */
  | 'neg-pre'
  /** negates mentions before it in its clause */
  | 'neg-post'
  | 'neg-both'
  | 'unc-pre'
  | 'unc-post'
  | 'unc-both'
  /** a hypothetical mention (indication, recommendation): neither positive nor negative */
  | 'hypo-pre'
  /** a hypothetical mention named before its cue: the caveat "small nodules may be obscured" */
  | 'hypo-post'
  /** looks like a negation but is not one ("no change", 未见明显增大): masks the shorter cues it overlaps */
  | 'pseudo'

export interface CuePattern {
  kind: CueKind
  pattern: RegExp
}

const changeWords = '(?:change|changes|increase|growth|enlargement|progression|decrease|difference|interval change)'
const changeWordsZh = '(?:变化|改变|增大|缩小|进展)'

/** Findings a radiologist offers as another reading of an opacity. */
const otherReadings = '(?:pneumonia|atelectasis|consolidation|infection|infiltrates?|scar(?:ring)?|effusion)'
/**
 * At the end of a phrase: no negation before it in its clause, up to 200 characters back (a lookbehind, only
 * tried where the phrase matched: at the start of a pattern it is tried at every character, and a clause of
 * a hundred thousand took seconds).
 */
const unnegated = '(?<!(?:^|[^a-z])(?:no|not|without|nor|negative for|free of|absence of)(?![a-z])[^.;:]{0,200})'

export const cuePatterns: CuePattern[] = [
  {
    kind: 'pseudo',
    pattern: en(
      `(?:no|without)(?:\\s+(?:significant|interval|definite|appreciable|further|substantial|measurable|obvious|other|size))*\\s+${changeWords}`,
      'not (?:significantly |substantially )?(?:changed|increased|enlarged|grown|progressed)',
      'not only',
      'gram[\\s-]negative',
      // seen on one view or study and not another: still there
      '(?:not|cannot)(?: be)? (?:well |clearly |definitely |definitively |convincingly )?(?:seen|visualized|visualised|visible|identified|appreciated|apparent|discernible) on (?:the )?(?:lateral|frontal|pa|ap|oblique|prior|previous|earlier|old|comparison)(?: (?:view|projection|radiograph|film|image|study|exam|examination)s?)?',
      // a hedge on where a lesion lies, not on whether it is there: "…, probably in the lingula"
      '(?:most )?(?:probably|possibly|likely|presumably) (?:in|within|at|involving|located in|projecting over|arising from)',
      // smaller, not gone: "has partially resolved", "incompletely resolved"
      '(?:partially|partly|incompletely|not (?:completely|fully|entirely)) (?:resolved|regressed|resorbed)',
      'partial (?:resolution|regression)'
    )
  },
  {
    kind: 'pseudo',
    // 部分吸收: partly absorbed, so still there
    pattern: zh(`(?:未见|无)(?:明显|显著)?${changeWordsZh}`, '大致同前', '较前相仿', '有无', '(?:可能|考虑|多)位于', '部分吸收', '未完全吸收')
  },
  {
    kind: 'neg-pre',
    pattern: en(
      'no',
      'not',
      'without',
      'absence of',
      '(?:interval )?resolution of',
      // "Resolved right lower lobe nodule" (a partial one is masked above)
      '(?:interval(?:ly)? )?resolved',
      // taken out: "status post right upper lobectomy for a nodule", "wedge resection of the LUL nodule" (as 已切除, 术后)
      '(?:lobectomy|pneumonectomy|segmentectomy|(?:wedge )?resection|excision|removal)\\s+(?:of|for)',
      'no evidence of',
      'no signs? of',
      'no findings? of',
      'negative for',
      'free of',
      'clear of',
      'denies',
      'nor',
      'neither'
    )
  },
  {
    kind: 'neg-post',
    pattern: en(
      `(?:(?:is|are|was|were) )?not (?:definitely |definitively )?(?:${notSeenWords})`,
      // "has since resolved": longer than the pre-negation "resolved", so it is read looking back
      '(?:(?:has|have) (?:since |now )?)?(?:been )?resolved',
      `no longer (?:${notSeenWords})`,
      // with a modal verb: "could not be identified", "cannot be visualized", "can no longer be seen"
      '(?:(?:could|can|may)\\s+(?:not|no longer)|cannot|can\'t)\\s+be\\s+(?:definitely\\s+|definitively\\s+)?(?:seen|identified|visualized|visualised|demonstrated|appreciated|detected)',
      '(?:(?:has|have) )?(?:been )?(?:ruled out|excluded)',
      '(?:(?:has|have) (?:since |now )?)?disappeared',
      '(?:(?:has|have) )?(?:been )?(?:removed|resected)'
    )
  },
  { kind: 'neg-both', pattern: en('unlikely', 'absent') },
  { kind: 'neg-post', pattern: en('none') },
  { kind: 'neg-pre', pattern: zh('未见明显', '未见确切', '未见', '未发现', '未显示', '未探及', '无明显', '无', '没有', '否认') },
  // a structured report's field: 结节：无, 结节：阴性, 结节：（-）
  { kind: 'neg-post', pattern: zh('[：:]\\s*(?:无|未见|阴性|[（(]\\s*[-－]\\s*[)）])(?=\\s*(?:[。；;，,]|$))') },
  { kind: 'neg-post', pattern: zh('已吸收', '基本吸收', '吸收', '消失', '未见(?:明确|明显|确切)?显示', '未再显示', '未再见', '(?:现|现已|已|基本)不明显', '已(?:经)?(?:手术)?切除', '术后(?:改变)?') },
  // "this time not seen" at a clause's end is about what came before it (原右肺结节此次未见); before a lesion it is 未见's
  { kind: 'neg-post', pattern: zh('(?:此次|本次|现|复查)(?:已)?未(?:再)?见(?=\\s*(?:[。；;，,]|$))') },
  {
    kind: 'unc-pre',
    pattern: en(
      'possible',
      'possibly',
      'probable',
      'probably',
      'likely',
      'may',
      'might',
      'could',
      'may represent',
      'questionable',
      'question of',
      'suspicious for',
      'suggestive of',
      'concerning for',
      'worrisome for',
      'suspect',
      'can ?not exclude',
      'can ?not rule out',
      'cannot be ruled out',
      'equivocal',
      'vague',
      'differential (?:diagnosis )?(?:includes|of)',
      'consider'
    )
  },
  {
    kind: 'unc-post',
    pattern: en(
      '(?:can ?not|could not|may not)(?: be)? (?:excluded|ruled out)',
      '(?:(?:is|are) )?not (?:excluded|ruled out)',
      // "a 5 mm nodule is suggested in the left upper lobe": a radiologist's hedge
      '(?:is|are) (?:questionably |possibly )?suggested',
      // hard to see, not gone: "the nodule is not well visualized on this exam"
      '(?:(?:is|are|was|were) )?not (?:as |so )?(?:well|clearly|convincingly) (?:seen|visualized|visualised|visible|identified|appreciated|demonstrated)',
      // only at the end of the clause: "a nodule is likely" doubts the nodule, "is likely a granuloma" its nature
      '(?:is|are) (?:suspected|questioned|possible|likely|probable|not certain)(?=\\s*(?:[.;,:]|$))'
    )
  },
  { kind: 'unc-both', pattern: en('suspected', 'questioned', 'versus', 'vs\\.?') },
  // another reading offered beside the lesion: "pneumonia or mass", "mass or atelectasis" — not under a
  // negation of the clause, where "or" lists what is not there ("no pneumonia or mass")
  { kind: 'unc-pre', pattern: en(`${otherReadings}\\s+or${unnegated}`) },
  { kind: 'unc-post', pattern: en(`or\\s+(?:an?\\s+)?${otherReadings}${unnegated}`, '(?:is|are) (?:also )?(?:within|in) the differential(?: diagnosis)?') },
  // A query mark before a word queries that word ("nodule, ? neoplasm", "?consolidation"); one with no word
  // after it queries what came before ("right upper zone nodule?").
  { kind: 'unc-pre', pattern: /\?(?=\s*[\p{L}\p{N}])/gu },
  { kind: 'unc-post', pattern: /\?(?!\s*[\p{L}\p{N}])/gu },
  { kind: 'unc-pre', pattern: zh('考虑', '疑似', '疑为', '可疑', '怀疑', '倾向', '似见', '似有', '疑') },
  { kind: 'unc-both', pattern: zh(notExcludedZh, '可能性大', '可能') },
  // 需与…鉴别 ("to be told apart from …"): what it names, and the lesion before it, are in doubt
  { kind: 'unc-pre', pattern: zh(`(?:需|须|应|请)?与(?=${toldApartFrom}鉴别)`) },
  { kind: 'unc-post', pattern: zh(`(?<=与${toldApartFrom})鉴别`) },
  {
    kind: 'hypo-pre',
    pattern: en('rule out', 'r/o', 'to exclude', 'to evaluate', 'evaluate for', 'assess for', 'recommend(?:ed|ation)?', 'follow[\\s-]up of', 'screening for')
  },
  { kind: 'hypo-pre', pattern: zh('建议', '以排除', '排除', '除外') },
  // a caveat on what a radiograph can show, not a finding: "small nodules may be obscured by the ribs"
  { kind: 'hypo-post', pattern: en('(?:may|might|could|can) be (?:obscured|hidden|missed|masked)', 'would be (?:obscured|hidden|missed|masked)') }
]

/** Words that end the scope of a negation or uncertainty cue (NegEx termination terms). */
export const terminatorPatterns: RegExp[] = [
  en(
    'but',
    'however',
    'although',
    'though',
    'except(?: for)?',
    'apart from',
    'aside from',
    'other than',
    'besides',
    'whereas',
    'while',
    'yet',
    'which',
    'with the exception of'
  ),
  zh('但是', '但', '然而', '另见', '另', '此外', '其余')
]

/** Normal statements that are negative evidence about nodules (REFERENCE §E boilerplate). */
export const normalStatementPatterns: RegExp[] = [
  en(
    '(?:the )?lungs? (?:are |is )?(?:well[\\s-]expanded and )?(?:clear|unremarkable)',
    'clear lungs',
    'no (?:acute )?cardiopulmonary (?:disease|abnormality|process)',
    'no focal (?:lung |pulmonary )?(?:lesion|opacity|abnormality)',
    'normal chest (?:radiograph|x-ray|film)',
    'no acute (?:disease|abnormality|findings?)'
  ),
  zh(
    '(?:双|两)肺纹理(?:清晰|走行自然|分布正常)',
    '肺野(?:内)?未见(?:明显)?(?:实质性|异常)(?:病变|密度影|病灶)',
    '(?:双|两)肺(?:野)?(?:清晰|透亮度正常)',
    '(?:双|两)肺未见(?:明显)?异常(?:密度影)?',
    '心肺(?:膈)?未见(?:明显)?异常',
    '胸部未见(?:明显)?异常'
  )
]

/* ---------------------------------------------------------------- attributes */

export interface LocationValue {
  side: Side | null
  zone: Zone | null
  lobe: Lobe | null
  /**
   * The level of a lobe named on both sides ("each upper lobe", 双肺上叶) or on none ("Right lung: nodule
   * in the upper lobe"): the lobe once a side is taken.
   */
  lobeLevel?: Zone
  /** The zone is the one an anterior rib lies in, not a zone the report names (which wins over it). */
  zoneByRib?: true
  /** The side of a place when no side is said: behind the heart is the left lower lobe's (retrocardiac, 心影后). */
  sideUnsaid?: Side
}

const sideWords: Record<string, Side> = {
  right: 'right',
  left: 'left',
  rt: 'right',
  lt: 'left',
  r: 'right',
  l: 'left',
  bilateral: 'bilateral',
  both: 'bilateral',
  // "a nodule in each upper zone": both sides, one nodule at each (the parser counts them)
  each: 'bilateral',
  右: 'right',
  左: 'left',
  双: 'bilateral',
  两: 'bilateral'
}
const levelWords: Record<string, Zone> = {
  upper: 'upper',
  mid: 'middle',
  middle: 'middle',
  lower: 'lower',
  上: 'upper',
  中: 'middle',
  下: 'lower'
}
const lobeBySideAndLevel: Record<string, Lobe> = {
  'right upper': 'RUL',
  'right middle': 'RML',
  'right lower': 'RLL',
  'left upper': 'LUL',
  'left lower': 'LLL'
}

export function sideOf(word: string | undefined): Side | null {
  return word ? (sideWords[word] ?? null) : null
}
export function levelOf(word: string | undefined): Zone | null {
  return word ? (levelWords[word] ?? null) : null
}
export function lobeOf(side: Side | null, level: Zone | null): Lobe | null {
  return side && level ? (lobeBySideAndLevel[`${side} ${level}`] ?? null) : null
}
export function sideOfLobe(lobe: Lobe): Side {
  return lobe.startsWith('R') ? 'right' : 'left'
}

const zhRibNumber = '\\d{1,2}|[一二三四五六七八九十]{1,2}'
// 第2、3前肋间: the first number places it, as the first level of a span does.
const zhRibListed = `\\s*[、,，\\-~～至到]\\s*(?:${zhRibNumber})`
const enRibOrdinal = '\\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth'
const ordinalWords = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth']

function readRibNumber(text: string | undefined): number {
  const word = text ?? ''
  const ordinal = ordinalWords.indexOf(word)
  if (ordinal >= 0) return ordinal + 1
  if (/^\d/.test(word)) return parseInt(word, 10)
  // 十 alone is 10, 十二 is 12, 二 is 2
  const digit = (c: string | undefined): number => '一二三四五六七八九'.indexOf(c ?? '') + 1
  return word.startsWith('十') ? 10 + digit(word[1]) : digit(word[0])
}

/**
 * The radiographic zones are cut by horizontal lines at the lower borders of the 2nd and 4th
 * anterior ribs (上野 / 中野 / 下野): a rib up to the 2nd is upper, the 3rd and 4th middle; the space
 * below a rib (肋间, "intercostal space") lies a level lower at the 2nd and 4th.
 */
export function zoneOfAnteriorRib(rib: number, spaceBelow: boolean): Zone | null {
  if (!(rib >= 1)) return null
  const level = spaceBelow ? rib + 0.5 : rib
  return level <= 2 ? 'upper' : level <= 4 ? 'middle' : 'lower'
}

// A lobe's segment, named after it in a list of places (右肺下叶背段及上叶尖段).
const zhSegment = '(?:尖后|尖|后|前|外侧|内侧|背|上舌|下舌|[前后外内]?基底)段'
/**
 * What may stand between two places of a list, once their parenthesised sizes are left out: "and", "，", 及, "and in
 * the", the first place's segment (右肺下叶背段及上叶) — at least one join: places side by side with none are one
 * place named twice (左下肺野心影后, behind the heart).
 */
export const placeListGap = new RegExp(
  `^(?=.*(?:[,，、&]|(?<![a-z])(?:and|or|as well as)(?![a-z])|及|和|与))(?:\\s|[,，、&]|(?<![a-z])(?:and|or|as well as|in|at|within|the|lungs?)(?![a-z])|以及|及|和|与|${zhSegment})*$`
)

/** A location pattern and how to read its groups into a side, zone and lobe. */
export interface LocationPattern {
  pattern: RegExp
  read(groups: Record<string, string | undefined>): LocationValue
}

/**
 * A side, a level and what kind of place it is ("lobe…" or a zone word, its own or the one its list
 * says at its end): a lobe, or a zone of that side.
 */
function readSideLevelPlace(g: Record<string, string | undefined>): LocationValue {
  const side = sideOf(g.side)
  const level = levelOf(g.level)
  if ((g.kind ?? g.listKind)?.startsWith('lobe')) {
    const lobe = level === 'middle' ? 'RML' : lobeOf(side, level)
    if (!lobe && (side === 'bilateral' || side === null) && level) return { side, zone: null, lobe: null, lobeLevel: level }
    return { side: lobe ? sideOfLobe(lobe) : side, zone: null, lobe }
  }
  return { side, zone: level, lobe: null }
}

// R and L alone only name a side before a level and a lobe or zone ("R mid zone", "L upper lobe").
const enSide = '(?<side>right|left|bilateral|both|each|rt|lt|r|l)\\.?'
const enLevel = '(?:upper|mid|middle|lower)'
const enListJoin = '(?:\\s*,\\s*(?:and\\s+|or\\s+)?|\\s+(?:and|or|&)\\s+)'
const enListKind = '(?:lobes|(?:lung[\\s-]+)?(?:zones|fields))'
const enKind = '(?:lobes?|(?:lung[\\s-]+)?(?:zones?|fields?))'
// The rest of a list of places after one of its levels, up to the kind said at its end.
const enListRest = `(?:${enListJoin}(?:(?:right|left)[\\s-]+)?${enLevel})+[\\s-]+(?<listKind>${enListKind})`
const zhListJoin = '\\s*[、及和与]\\s*'
// What follows a Chinese side and level: its own kind (叶 lobe, 肺野/野/肺 zone), else the kind a list
// of levels says at its end (右上、下肺野).
const zhPlaceEnd = `(?<lung2>肺)?\\s*(?<kind>叶|肺野|野)?(?:(?=(?:${zhListJoin}[上中下])+肺?(?<listKind>叶|野))|)`
/** 右上肺野, 右肺上叶 …; a side and a level alone (右上) name no place. */
function readZhSideLevelPlace(g: Record<string, string | undefined>): LocationValue {
  const kind = g.kind ?? g.listKind
  if (!g.lung1 && !g.lung2 && !kind) return { side: null, zone: null, lobe: null }
  return readSideLevelPlace({ side: g.side, level: g.level, kind: kind === '叶' ? 'lobe' : kind })
}
export const locationPatterns: LocationPattern[] = [
  {
    // A level later in a list of places, with no side of its own, takes the list's first side ("the
    // right upper and lower zones", "the left upper lobe and lower lobe" are all on that side).
    // Before the pattern below, which reads "lower zones" alone as a place of no side.
    pattern: en(
      `(?<=(?<![a-z])${enSide}[\\s-]+(?:lung[\\s-]+)?(?:${enLevel}(?:[\\s-]+${enKind})?${enListJoin})+)(?<level>${enLevel})(?:[\\s-]+(?<kind>${enKind})|(?=${enListRest}))`
    ),
    read: readSideLevelPlace
  },
  {
    // "right upper lobe", "left lower lung zone", "right mid zone", "both upper zones", "left upper lung";
    // a span of two levels ("right mid to lower lung", "left mid-lower zone") is read as its first
    pattern: en(
      `(?:${enSide}[\\s-]+(?:lung[\\s-]+)?)?(?<level>${enLevel})(?:(?:\\s+to\\s+|-to-|-)${enLevel})?[\\s-]*(?<kind>lobes?|(?:lung[\\s-]+)?(?:zones?|fields?)|lungs?)`
    ),
    read: readSideLevelPlace
  },
  {
    // the level before the side: "lower left lung field", "mid left lung", "upper right zone", "lower left
    // lobe", "the upper part of the right lung", "the lower portion of the left lung"
    pattern: en(
      `(?<level>${enLevel})[\\s-]+(?:(?:part|portion|aspect|third)[\\s-]+of[\\s-]+(?:the[\\s-]+)?)?${enSide}[\\s-]+(?<kind>lobes?|(?:lung[\\s-]+)?(?:zones?|fields?)|lungs?)`
    ),
    read: readSideLevelPlace
  },
  {
    // A list of places that says the kind once, at its end: the places before borrow it ("the right
    // upper and left lower zones", "the left upper, mid and lower zones").
    pattern: en(`${enSide}[\\s-]+(?<level>${enLevel})(?=${enListRest})`),
    read: readSideLevelPlace
  },
  {
    // The same list with no side ("in the upper and lower lobes" of a lung named before): each place
    // takes the side said elsewhere.
    pattern: en(`(?<!(?:right|left|bilateral|both|each|rt|lt|r|l)\\.?[\\s-]+(?:lung[\\s-]+)?)(?<level>${enLevel})(?=${enListRest})`),
    read: readSideLevelPlace
  },
  {
    pattern: en('(?<abbr>[rl])(?<level>[uml])z'),
    read: (g) => ({ side: sideOf(g.abbr), zone: levelOf({ u: 'upper', m: 'mid', l: 'lower' }[g.level ?? '']), lobe: null })
  },
  {
    pattern: en('(?<abbr>rul|rml|rll|lul|lll)'),
    read: (g) => {
      const lobe = (g.abbr ?? '').toUpperCase() as Lobe
      return { side: sideOfLobe(lobe), zone: null, lobe }
    }
  },
  { pattern: en('lingula(?:r)?(?: segment| lobe)?'), read: () => ({ side: 'left', zone: null, lobe: 'lingula' }) },
  {
    // "right apex", "left lung base", "bases", "apical"; the landmarks of the base lie in the lower zone
    // with it: the costophrenic and cardiophrenic angles and the space behind the heart. (Perihilar is a
    // place of its own, not a zone.) Bases or apices with no side, and bibasilar/biapical, are both lungs'.
    // An apical or basal segment is a segment of a lobe (as 尖段, 基底段), which gives no zone.
    pattern: en(
      `(?:(?<side>right|left|bilateral|both|each|rt|lt|r|l)\\.?[\\s-]+)?(?:lung[\\s-]+)?(?<part>apex|(?<both>apices|bases|bibas(?:ilar|al)|biapical)|apical(?![\\s-]+segment)|base|basal(?![\\s-]+segment)|basilar|costophrenic|cardiophrenic|retrocardiac|hemidiaphragms?)`
    ),
    read: (g) => ({
      side: sideOf(g.side) ?? (g.both ? 'bilateral' : null),
      zone: /^(?:bi)?ap/.test(g.part ?? '') ? 'upper' : 'lower',
      lobe: null,
      ...(g.part === 'retrocardiac' ? { sideUnsaid: 'left' as const } : {})
    })
  },
  {
    // R and L alone name a side only before "lung" or "hemithorax" ("nodule in R lung")
    pattern: en('(?<side>right|left|rt|lt)(?:[\\s-]sided)?', '(?<side2>r|l)\\.?\\s+(?:lung|hemithorax)', '(?<both>bilateral(?:ly)?|both (?:lungs|sides|lung fields|hemithoraces)|each (?:lung|side|hemithorax))'),
    read: (g) => ({ side: g.both ? 'bilateral' : sideOf(g.side ?? g.side2), zone: null, lobe: null })
  },
  {
    // A level later in a list of places (右上、下肺野, 右肺上叶及下叶, 左上、中、下肺野) takes the
    // list's side, and the kind said at its end. Before the patterns below, which read 中野, 中叶 alone.
    pattern: zh(`(?<=(?<side>[右左双两])侧?(?<lung1>肺)?(?:[上中下]肺?[叶野]?(?:${zhSegment})?${zhListJoin})+)(?<level>[上中下])${zhPlaceEnd}`),
    read: readZhSideLevelPlace
  },
  {
    // 右肺上叶, 右上叶 (lobes); 右上肺野, 右上肺, 右肺上野, 两上肺野 (zones); a span of two levels
    // (左上中肺野, 右肺中下野) is read as its first; the first of a list (右上、下肺野) takes the list's kind.
    // 中央/中心 is central (右肺中央型肺癌: the hilum), no level.
    pattern: zh(`(?<side>[右左双两])侧?(?<lung1>肺)?\\s*(?<level>[上中下])(?![央心])[上中下]?${zhPlaceEnd}`),
    read: readZhSideLevelPlace
  },
  { pattern: zh('舌段'), read: () => ({ side: 'left', zone: null, lobe: 'lingula' }) },
  // 中叶 alone (右肺上叶及中叶): only the right lung has a middle lobe.
  { pattern: zh('(?<![右左双两侧肺上中下])中叶'), read: () => ({ side: 'right', zone: null, lobe: 'RML' }) },
  // 上叶, 下叶 with no side of their own (左肺：上叶见一结节) take the side the sentence names.
  { pattern: zh('(?<![右左双两侧肺上中下])(?<level>[上下])叶'), read: (g) => ({ side: null, zone: null, lobe: null, lobeLevel: levelOf(g.level) ?? undefined }) },
  {
    // 肺尖 (upper); 肺底 and its landmarks 肋膈角, 心膈角, 心影后, 膈上 (lower)
    pattern: zh('(?<side>[右左双两])?(?:侧)?(?:肺(?<apex>尖)|肺底|肋膈角|心膈角|(?<behindHeart>心影后)|膈(?:肌)?(?:上|顶|面上))'),
    read: (g) => ({ side: sideOf(g.side), zone: g.apex ? 'upper' : 'lower', lobe: null, ...(g.behindHeart ? { sideUnsaid: 'left' as const } : {}) })
  },
  {
    // A zone named after the side was ("右肺见两枚结节，分别位于上野及下野"): the side comes from the clause.
    // Not the second level of a span (右肺中下野, 左上中肺野: one place, read by the pattern above).
    pattern: zh('(?<![右左双两侧肺上中下])(?<level>[上中下])肺?野'),
    read: (g) => ({ side: null, zone: levelOf(g.level), lobe: null })
  },
  {
    // 右侧第2前肋间, "the right 4th anterior rib": a zone by the anterior rib the nodule projects over
    // (see zoneOfAnteriorRib); a posterior rib names none (its level runs obliquely to the zones).
    pattern: zh(`(?<side>[右左])?(?:侧)?(?:肺)?第(?<n>${zhRibNumber})(?:${zhRibListed})*前肋(?:骨)?(?<space>间隙?)?`),
    read: (g) => ({ side: sideOf(g.side), zone: zoneOfAnteriorRib(readRibNumber(g.n), g.space !== undefined), lobe: null, zoneByRib: true })
  },
  {
    pattern: en(
      `(?:(?<side>right|left)\\s+)?(?:(?<ant1>anterior)\\s+)?(?:(?<side2>right|left)\\s+)?(?<n>${enRibOrdinal})\\s+(?:(?<ant2>anterior)\\s+)?(?:rib|(?<space>intercostal space|interspace))`
    ),
    read: (g) => ({
      side: sideOf(g.side ?? g.side2),
      zone: g.ant1 || g.ant2 ? zoneOfAnteriorRib(readRibNumber(g.n), g.space !== undefined) : null,
      lobe: null,
      zoneByRib: true
    })
  },
  {
    // 右心缘 (the right heart border): a side; 右 alone names none.
    pattern: zh('(?<side>[右左])心缘'),
    read: (g) => ({ side: sideOf(g.side), zone: null, lobe: null })
  },
  {
    // 右侧 alone, as "right" alone: a nodule placed by a posterior rib (右侧第4后肋处见结节影) names no zone.
    pattern: zh('(?<side>[右左])(?:侧|(?:侧)?(?:肺|胸))', '(?<both>[双两](?:侧)?肺|双侧)'),
    read: (g) => ({ side: g.both ? 'bilateral' : sideOf(g.side), zone: null, lobe: null })
  }
]

export interface DensityPattern {
  /** null for words that settle nothing but must mask a shorter word (non-calcified, 亚实性). */
  density: Density | null
  pattern: RegExp
}

export const densityPatterns: DensityPattern[] = [
  {
    density: 'part-solid',
    pattern: en('part[\\s-]?solid', 'partly[\\s-]solid', 'partially[\\s-]solid', 'semi[\\s-]?solid', 'mixed[\\s-](?:ground[\\s-]?glass|density|attenuation)', 'mggns?')
  },
  { density: 'part-solid', pattern: zh('部分实性', '混杂磨玻璃', '混合磨玻璃', '混杂密度', '混合密度', '半实性') },
  { density: 'ground-glass', pattern: en('(?:pure[\\s-])?ground[\\s-]?glass', 'non[\\s-]?solid', 'pggns?', 'ggns?', 'ggos?') },
  { density: 'ground-glass', pattern: zh('纯磨玻璃', '磨玻璃', '毛玻璃', '非实性') },
  // soft-tissue attenuation is what makes a nodule solid (Fleischner glossary)
  { density: 'solid', pattern: en('solid', 'soft[\\s-]?tissue[\\s-]+(?:density|attenuation)') },
  { density: 'solid', pattern: zh('实性', '软组织密度', '软组织(?=肿块|结节|团块)') },
  { density: 'calcified', pattern: en('calcified', 'calcific', 'calcifications?', 'calcium') },
  { density: 'calcified', pattern: zh('钙化') },
  // partly calcified is not the calcified (benign) nodule: its density is left unset
  { density: null, pattern: en('sub[\\s-]?solid', 'non[\\s-]?calcified', 'uncalcified', '(?:partially|partly|focally) calcified') },
  { density: null, pattern: zh('亚实性', '非钙化', '部分钙化') }
]

/** A solid component inside a ground-glass nodule makes it part-solid (内见实性成分). */
export const solidComponentPatterns: RegExp[] = [en('solid components?', 'solid portions?', 'solid parts?'), zh('实性成分', '实性部分')]

/* ---------------------------------------------------------------- counts */

/** How many nodules a count word states; null for "multiple", 多发, 数枚 … */
export interface CountPattern {
  pattern: RegExp
  read(match: string): number | null
}

const englishNumbers: Record<string, number> = {
  a: 1, an: 1, one: 1, single: 1, solitary: 1, two: 2, three: 3, four: 4, five: 5,
  six: 6, seven: 7, eight: 8, nine: 9, ten: 10, another: 1, second: 1, additional: 1
}

const chineseDigits: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }

/** 一…九十九 and Arabic digits as a number (十二 = 12, 二十 = 20). */
export function chineseNumber(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text)
  const ten = text.indexOf('十')
  if (ten < 0) return text.length === 1 ? (chineseDigits[text] ?? null) : null
  const tens = ten === 0 ? 1 : chineseDigits[text.slice(0, ten)]
  const units = ten === text.length - 1 ? 0 : chineseDigits[text.slice(ten + 1)]
  return tens === undefined || units === undefined ? null : tens * 10 + units
}

/**
 * A lesion word as a structured report's field name ("Lung nodule: 6 mm solid nodule, RLL", "Number of
 * nodules: 2", "Nodule count: 3", "Nodules (2):", 结节数目：2个): what may stand before it in its clause, and
 * after it up to the colon.
 */
export const fieldLabelLead = /^\s*(?:(?:number|count) of\s+)?(?:(?:lung|pulmonary)\s+)?$|^\s*[双两]?肺?$/
const fieldLabelTail = '\\s*(?:\\(\\s*\\d{1,2}\\s*\\)\\s*)?(?:count|number|数目|数量|个数)?\\s*[:：]'
export const fieldLabelAfter = new RegExp(`^${fieldLabelTail}`)
/** What stands between a field name and the count it is given ("Nodules: 2", 结节数目：2个). */
export const fieldCountGap = new RegExp(`^${fieldLabelTail}\\s*$`)

/**
 * What a chest radiograph's report speaks of, whatever it finds: the lungs, the heart, the mediastinum,
 * the pleura … (not "chest" or 胸部, which a CD's index page names as the examination too), or its
 * verdict alone, as a terse normal report gives it ("NAD.", "Normal study.", "Unremarkable.", 未见异常).
 */
export const chestReportWords =
  /\b(?:lungs?|pulmonary|heart|cardiac|cardiomediastinal|mediastin\w*|hil(?:um|ar|a)|pleura\w*|(?:hemi)?diaphragm\w*|costophrenic|trachea\w*|airspace|consolidation|effusions?|pneumothorax|atelectasis|opacit(?:y|ies)|cardiomegaly|pneumonia|o?edema|emphysema|fibrosis|infiltrat\w*|granulomas?|calcifi\w*|aort(?:a|ic)|carina|fractures?|ribs?|scoliosis|tubes?|catheters?|pacemaker|normal|abnormal\w*|unremarkable|nad|wnl|no (?:active|acute) (?:disease|process))\b|肺|心影|心脏|纵隔|胸膜|膈|肋|气管|主动脉|积液|气胸|骨折|钙化|导管|起搏器|异常|病变|正常/i

/**
 * A line that gives one attribute of a template's lesion as a field of its own, after the lesion's field
 * ("Nodule: present" then "Location: right upper lobe", "Size: 5 mm"; 肺结节：有 then 部位：右肺上叶, 大小：约5mm).
 */
export const attributeFieldLine =
  /^(?:(?:location|site|position|size|diameter|dimensions?|measurements?|density|type|composition|attenuation)(?:\s*\((?:mm|cm)\))?|部位|位置|大小|直径|尺寸|密度|性质|类型)\s*[:：]/

/** What numbers or bullets a list's line ("1. ", "2) ", "(3)", "1、", "①", "- "): where the line's own words begin. */
export const listItemMarker = /^(?:\d{1,2}\s*[.)、]|[(（]\d{1,2}[)）]|[\u2460-\u2473]|[-•*·])\s*/

export const countPatterns: CountPattern[] = [
  {
    pattern: en(Object.keys(englishNumbers).join('|')),
    read: (m) => englishNumbers[m.trim()] ?? null
  },
  {
    // "3 nodules", "2 small masses": a bare number before a mention (sizes are removed first)
    pattern: en('\\d+(?=(?:[\\s-]+[a-z-]+){0,3}?[\\s-]+(?:nodul|mass|granulom|[pm]?ggn|lesion|opacit|densit))'),
    read: (m) => Number(m)
  },
  {
    // "nodules (3)", "nodules x3", "granulomas ×2": a tally right after a plural lesion noun (not en(): the
    // x of "x3" is a letter before the number)
    pattern: /(?<=(?:nodules|masses|granulomas|ggns|lesions|opacities|densities)\s*(?:\(\s*|[x×]\s*))\d+(?=\s*\)|(?![\da-z]|\.\d|\s*(?:mm|cm)))/g,
    read: (m) => Number(m)
  },
  {
    // a field's count: "Nodules: 2", "Number of nodules: 2", "Nodule count: 3", 结节：2 (not a size: "Nodules: 2 mm")
    pattern: new RegExp(
      `(?<=(?:nodules?|masses|granulomas|ggns|lesions|结节)${fieldLabelTail}\\s*)\\d+(?!\\d|[.,]\\d|\\s*(?:mm|cm|millimet|centimet|毫米|厘米|[x×*]\\s*\\d|%))`,
      'g'
    ),
    read: (m) => Number(m)
  },
  // a quantity's article is no "a" of one (the longest match wins): "a couple of nodules" are two
  { pattern: en('a couple of', 'a pair of', 'couple of', 'pair of', 'both(?=\\s+(?:[a-z]+\\s+)?(?:nodul|mass|granulom|lesion))'), read: () => 2 },
  {
    pattern: en('several', 'multiple', 'numerous', 'innumerable', 'countless', 'many', 'few', 'scattered', 'various', 'some', 'a few', 'a number of', 'a handful of', 'a cluster of', 'a group of'),
    read: () => null
  },
  { pattern: zh('[一二两三四五六七八九十\\d]+(?=枚|个|颗|处|粒)'), read: (m) => chineseNumber(m) },
  { pattern: zh('(?<=[见及有])一(?![步致般些侧定])', '单发', '孤立(?:性)?'), read: () => 1 },
  { pattern: zh('多发', '散在', '弥漫', '多枚', '多个', '多处', '数枚', '数个', '几枚', '几个', '若干'), read: () => null }
]

/**
 * Words that say a mention is another nodule than any named before in the report ("another", 另见).
 * "New" is not one: it compares with a prior study, and the impression repeats it.
 */
export const distinctPatterns: RegExp[] = [en('another', 'second', 'third', 'additional', 'separate'), zh('另见', '另')]

/**
 * Words that point back to nodules described before ("as described above", 如上所述): the mention is
 * those nodules, with the certainty they were described with.
 */
export const referencePatterns: RegExp[] = [
  en('as (?:described|detailed|discussed|mentioned|noted|seen|reported) (?:above|previously|in the findings)', 'as above', 'see above', 'described above'),
  zh('如上所述', '如上述', '如前所述', '详见上述', '见上述', '同上所述')
]

/** Words that say the size stated is the largest of a group ("the largest", 大者). */
export const largestPatterns: RegExp[] = [en('largest', 'biggest', 'larger', 'bigger', 'dominant', 'up to'), zh('大者', '最大', '较大者', '大的')]

/* ---------------------------------------------------------------- sizes */

/**
 * What ends the text right before a size stated for a prior study ("previously 8 mm", "increased
 * from 1.0 cm", 原约8mm, 由8mm增大至12mm, 前片约8mm): the nodule's size is the current one stated beside it.
 */
export const priorSizeLead =
  /(?:(?:previously|prior(?:ly)?|formerly|from)\s*(?:measur(?:ing|ed)\s*)?|(?:原|前次|上次|前片|由|从)(?:检查|片)?(?:大小)?(?:为)?)(?:about\s*|approx(?:imately|\.)?\s*|约)?$/

/**
 * What ends the text right before the size a nodule changed to ("has decreased in size to 5 mm",
 * "shrunk to approximately 6 mm", 缩小至5mm): its current size, and a size stated before it in the same
 * clause ("the 8 mm nodule has decreased to 5 mm", 8mm结节较前缩小至5mm) the prior study's.
 */
export const changedSizeLead =
  /(?:(?:increas|decreas|reduc|enlarg|progress|regress)(?:ed|ing)|grown|grew|shrunk|shrank|shrunken)\s+(?:in\s+size\s+)?to\s*(?:about\s*|approx(?:imately|\.)?\s*)?$|(?:(?:缩小|减小|增大|长大)(?:至|到|为)|增至|缩至)约?$/

/**
 * What ends the text right before, or begins it right after, by how much a nodule changed ("increased
 * by 3 mm", "grown 3 mm", "2 mm larger", 较前增大约2mm): no size of the nodule at all.
 */
export const changeAmountLead =
  /(?:(?:(?:increas|decreas|reduc|enlarg)(?:ed|ing)|grown|grew|shrunk|shrank)\s+(?:in\s+size\s+)?(?:by\s+)?|(?:larger|smaller|bigger)\s+by\s+)(?:about\s*|approx(?:imately|\.)?\s*)?$|(?:增大|缩小|增加|减小|长大|减少)了?约?$/
export const changeAmountTrail = /^\s*(?:larger|smaller|bigger|more|less)\b/

/** What ends the text right before a short-axis size (短径约5mm, "short axis 5 mm", "short-axis diameter of 5 mm"). */
export const shortAxisLead =
  /(?:短径|短轴|short[\s-]+axis(?:\s+diameter)?|short(?:est)?\s+(?:diameter|dimension))\s*(?:(?:of|measuring|measures|is)\s*)?(?:约|about\s*|approx(?:imately|\.)?\s*)?$/
/** What begins the text right after a short-axis size ("5 mm in short axis"). */
export const shortAxisTrail = /^\s*(?:in\s+)?(?:the\s+)?short[\s-]+axis/

const number = '\\d+(?:\\.\\d+)?'
// A letter may follow a unit only as the "x" of a next dimension ("1.2cmx0.9cm"); 公分 is the
// everyday Chinese word for centimetre; ㎜ and ㎝ are the one-character unit signs CJK input writes.
const unit = '(?:mm|cm|㎜|㎝|毫米|厘米|公分|millimet(?:er|re)s?|centimet(?:er|re)s?)(?!(?!x\\s*\\d)[a-z])'
const times = '\\s*(?:[x×*]|by)\\s*'
/**
 * A number's unit, named `group`: after a space, nothing, or the hyphen of a compound adjective
 * ("a 6-mm nodule", "1.5-cm mass"): without it the 6 of "6-mm nodule" read as a count of six.
 */
const unitOf = (group: string) => `(?:\\s*-?\\s*(?<${group}>${unit}))`

/** "8 mm", "0.8×0.6cm", "8mm×6mm", "10 x 8 x 7 mm", "5.5 by 4.0 cm", "6-mm". */
export const dimensionsPattern = new RegExp(
  `(?<![\\d.])(?<a>${number})${unitOf('ua')}?(?:${times}(?<b>${number})${unitOf('ub')}?)?(?:${times}(?<c>${number})${unitOf('uc')}?)?`,
  'g'
)
/** "5-7 mm", "8～10mm", "5 to 7 mm", "5mm至7mm", "5- to 7-mm". */
export const rangePattern = new RegExp(
  `(?<![\\d.])(?<a>${number})${unitOf('ua')}?\\s*-?\\s*(?:-|–|—|~|至|到|to)\\s*(?<b>${number})${unitOf('ub')}`,
  'g'
)

/** Sizes listed with one unit at the end: "5 and 7 mm", "4, 6 and 8 mm", 5、7mm — a size each. */
export const sharedUnitSizesPattern = new RegExp(
  `(?<![\\d.])${number}(?:\\s*(?:,|、|，|and|及|和)\\s*${number})+\\s*-?\\s*(?<unit>${unit})`,
  'g'
)

/** Spelt sizes' numbers: dictation writes the small ones out ("a one-centimeter nodule"). */
const spelledNumbers: Record<string, number> = {
  zero: 0, oh: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30
}
const spelledWord = Object.keys(spelledNumbers).join('|')

/**
 * A size with its number in words: "one-centimeter", "one point five centimeters", "one and a half
 * centimetres", "half a centimeter", 一厘米, 一点五厘米, 两公分, 半厘米. The words go in `en` or `zh`, the
 * unit in `unit` or `zhUnit`.
 */
export const spelledSizePattern = new RegExp(
  `(?<![a-z])(?<en>(?:${spelledWord})(?:\\s+point\\s+(?:${spelledWord}))?(?:\\s+and\\s+a\\s+half)?|half(?:\\s+an?)?)` +
    `[\\s-]*(?<unit>${unit})|(?<![.\\d])(?<zh>[一二两三四五六七八九十]+(?:点[〇零一二三四五六七八九])?|半)(?<zhUnit>厘米|公分|毫米)`,
  'g'
)

/** The number a spelt size states ("one point five" 1.5, 一点五 1.5, 半 0.5), or null where the words make none (十十). */
export function spelledSizeNumber(words: string): number | null {
  if (/^(?:半|half)/.test(words)) return 0.5
  const andAHalf = /\s+and\s+a\s+half$/
  const [whole, tenth] = words.replace(andAHalf, '').split(/\s+point\s+|点/)
  const wholeValue = spokenNumber(whole)
  const tenthValue = tenth === undefined ? 0 : spokenNumber(tenth)
  if (wholeValue === null || tenthValue === null) return null
  return wholeValue + tenthValue / 10 + (andAHalf.test(words) ? 0.5 : 0)
}

function spokenNumber(word: string): number | null {
  return spelledNumbers[word] ?? chineseNumber(word.replace(/^[〇零]$/, '0'))
}

export function millimetres(value: number, unitWord: string): number {
  return /^(?:cm|㎝|厘米|公分|centimet)/.test(unitWord) ? value * 10 : value
}
