import { z } from 'zod'
import { EvidenceSpan, NoduleFinding, RadiographEdit, Side, Zone } from './finding'
import { EvaluationMetrics, ExperimentListItem, RunEvaluation } from './evaluation'

/**
 * The API contract: the only door between the renderer and the main side. Electron IPC, the
 * loopback web host, the CLI and the tests all call the same handler map through these schemas.
 * Adding a feature = an entry here + a handler in src/main/api + a service + UI.
 */

export const ExecutionProvider = z.enum(['webgpu', 'dml', 'coreml', 'cpu'])
export type ExecutionProvider = z.infer<typeof ExecutionProvider>

export const Language = z.enum(['en', 'zh-CN'])
export type Language = z.infer<typeof Language>

export const Settings = z.object({
  language: Language,
  theme: z.enum(['system', 'light', 'dark']),
  /** 'auto' tries webgpu, then dml/coreml, then cpu. */
  executionProvider: z.union([z.literal('auto'), ExecutionProvider]),
  /** onnxruntime intra-op threads; 0 lets onnxruntime decide. */
  intraOpThreads: z.number().int().min(0).max(256),
  deidentifyOnImport: z.boolean(),
  reviewerName: z.string().trim().max(100),
  /**
   * Against anchoring: the Review page hides each undecided AI finding (its text, structure and
   * outline) until the reader, having read the film, asks to see it.
   */
  readBeforeReveal: z.boolean(),
  /**
   * Absolute folders this site allows imports from. In browser mode the Library's folder picker
   * lists only folders under these; the main side checks every path against them.
   */
  dataRoots: z.array(z.string().min(1).max(4096)).max(32)
})
export type Settings = z.infer<typeof Settings>

export const defaultSettings: Settings = {
  language: 'en',
  theme: 'dark',
  executionProvider: 'auto',
  intraOpThreads: 0,
  deidentifyOnImport: false,
  reviewerName: '',
  readBeforeReveal: false,
  dataRoots: []
}

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** Shown to the user; no method accepts a path back. */
  dataDir: z.string(),
  schemaVersion: z.number().int(),
  database: z.object({
    state: z.enum(['ok', 'error']),
    journalMode: z.string(),
    sizeBytes: z.number().int().nonnegative(),
    studies: z.number().int().nonnegative()
  }),
  executionProviders: z.object({
    /** Providers compiled into this onnxruntime build for this platform. */
    available: z.array(ExecutionProvider),
    preferred: z.union([z.literal('auto'), ExecutionProvider]),
    /** The provider training and inference actually run on: the first of the preference that works. */
    chosen: ExecutionProvider
  }),
  runtime: z.object({ node: z.string(), platform: z.string(), arch: z.string(), shell: z.enum(['electron', 'web', 'cli']) })
})
export type AppInfo = z.infer<typeof AppInfo>

export const TaskKind = z.enum(['demo.countPrimes', 'import.folders', 'engine.selfTest', 'model.warmup', 'selfplay.run', 'evaluation.experiment', 'findings.write'])
export type TaskKind = z.infer<typeof TaskKind>

export const TaskStatus = z.enum(['running', 'done', 'cancelled', 'failed', 'interrupted'])
export type TaskStatus = z.infer<typeof TaskStatus>

export const TaskProgress = z.object({
  done: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(),
  unit: z.string(),
  message: z.string().nullable(),
  ratePerSecond: z.number().nonnegative().nullable(),
  etaSeconds: z.number().nonnegative().nullable()
})
export type TaskProgress = z.infer<typeof TaskProgress>

export const TaskSummary = z.object({
  id: z.number().int(),
  kind: TaskKind,
  status: TaskStatus,
  progress: TaskProgress.nullable(),
  result: z.unknown(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable()
})
export type TaskSummary = z.infer<typeof TaskSummary>

export const ImportJob = z.object({
  id: z.number().int(),
  roots: z.array(z.string()),
  status: TaskStatus,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  filesTotal: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  already: z.number().int().nonnegative(),
  reportsMatched: z.number().int().nonnegative(),
  reportsUnmatched: z.number().int().nonnegative(),
  /** Problems with report files (a file, or a row of one, not read), each listed by `import.errors`. */
  reportsFailed: z.number().int().nonnegative(),
  /** PNG/JPEG pictures passed over for lying in a folder of DICOM films (copies of them, a viewer's images). */
  picturesAmongDicom: z.number().int().nonnegative(),
  /** Films a dataset's table of films named (their view, patient, date, pixel spacing or case taken from it). */
  filmsIndexed: z.number().int().nonnegative()
})
export type ImportJob = z.infer<typeof ImportJob>

/**
 * Which way the beam went through the chest, as the importer read it from the header (null when
 * the header does not say, or contradicts itself). The model reads frontal films only.
 */
export const Projection = z.enum(['frontal', 'lateral', 'other'])
export type Projection = z.infer<typeof Projection>

/** A study as the Library shows it: pseudonym only, no names, IDs or birth dates. */
export const StudyListRow = z.object({
  id: z.number().int(),
  pseudonym: z.string(),
  studyDate: z.string().nullable(),
  modalities: z.array(z.string()),
  viewPositions: z.array(z.string()),
  /** The projections read of its films (from a header, or a picture's file name): what the Library shows where no ViewPosition is written. */
  projections: z.array(Projection),
  images: z.number().int().nonnegative(),
  forProcessingImages: z.number().int().nonnegative(),
  reports: z.number().int().nonnegative(),
  findings: z.number().int().nonnegative(),
  reviewedFindings: z.number().int().nonnegative(),
  /** Only when the caller asked for names (PHI shown on screen, never exported). */
  patientName: z.string().nullable().optional()
})
export type StudyListRow = z.infer<typeof StudyListRow>

export const ReviewDecision = z.enum(['accept', 'edit', 'reject', 'uncertain'])
export type ReviewDecision = z.infer<typeof ReviewDecision>

/** Why a finding was rejected: the false positives readers name most, then a free-text 'other'. */
export const RejectReason = z.enum(['nipple-shadow', 'rib-vessel-crossing', 'artifact', 'external-object', 'wrong-side', 'duplicate', 'other'])
export type RejectReason = z.infer<typeof RejectReason>

/** A generated finding as the reviewer sees it, with its latest decision. */
export const ReviewItem = z.object({
  findingId: z.number().int(),
  studyId: z.number().int(),
  pseudonym: z.string(),
  imageId: z.number().int().nullable(),
  text: z.string(),
  /** Null when the stored structure does not parse as a NoduleFinding (shown as text only). */
  structured: NoduleFinding.nullable(),
  /** The model's certainty of its finding (0–1, model/finding-certainty.ts); null for findings stored without it. */
  certainty: z.number().min(0).max(1).nullable(),
  createdAt: z.string(),
  review: z
    .object({
      id: z.number().int(),
      decision: ReviewDecision,
      reason: z.string().nullable(),
      comment: z.string().nullable(),
      edited: z.object({ text: z.string(), structured: NoduleFinding }).nullable(),
      reviewer: z.string(),
      at: z.string()
    })
    .nullable()
})
export type ReviewItem = z.infer<typeof ReviewItem>

const Count = z.number().int().nonnegative()

/**
 * What the clinicians' decisions say of one model (checkpoint) whose findings they reviewed, each
 * finding's latest decision counting. `agreement` scores the model's finding against the one the
 * clinician signed (accepted as written, or as edited) with the held-out scores of DESIGN §10;
 * rejected and uncertain findings have no signed finding and count only in `decisions`.
 */
export const ModelReview = z.object({
  /** Null for findings stored without a model record. */
  checkpointId: z.number().int().nullable(),
  /** The run that wrote the checkpoint and its round (self-play; −1 the game-format phase) or step (warm-up). */
  run: z.object({ id: z.number().int(), name: z.string(), step: z.number().int() }).nullable(),
  findings: Count,
  reviewed: Count,
  decisions: z.object({ accept: Count, edit: Count, reject: Count, uncertain: Count }),
  /** Most named first. */
  rejectReasons: z.array(z.object({ reason: RejectReason, count: Count })),
  agreement: EvaluationMetrics,
  medianSecondsOnTask: z.number().nonnegative().nullable(),
  /**
   * Whether the model's certainty tells the findings the clinicians accepted as written from those they
   * rejected: the chance an accepted one was the more certain (0.5: no better than chance). Edits and
   * doubts do not count; null until both kinds have a certainty.
   */
  certaintyAuc: z.number().min(0).max(1).nullable()
})
export type ModelReview = z.infer<typeof ModelReview>

export const ReviewAgreement = z.object({
  /** Newest model first. */
  models: z.array(ModelReview),
  /**
   * Findings decided by two or more reviewers (each one's latest decision; the first two reviewers to
   * decide): how often they made the same decision, and Cohen's kappa (null where it is undefined).
   */
  doubleRead: z.object({ findings: Count, agreement: z.number().nullable(), kappa: z.number().nullable() })
})
export type ReviewAgreement = z.infer<typeof ReviewAgreement>

/** The display image of one radiograph: 16-bit modality values and what windowing them needs. */
export const DisplayImage = z.object({
  imageId: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Little-endian Uint16 pixels, base64; modality value = valueOffset + valueScale × pixel. */
  pixels: z.string(),
  valueOffset: z.number(),
  valueScale: z.number(),
  sourceWidth: z.number().int().positive(),
  sourceHeight: z.number().int().positive(),
  windows: z.array(z.object({ center: z.number(), width: z.number(), explanation: z.string().nullable() })),
  voiLutFunction: z.enum(['LINEAR', 'LINEAR_EXACT', 'SIGMOID']),
  voiLuts: z.array(z.object({ firstMapped: z.number(), bitsPerEntry: z.number(), explanation: z.string().nullable(), data: z.array(z.number()) })),
  invert: z.boolean(),
  /** Spacing of the source pixels; 'imager' = at the detector (ImagerPixelSpacing only). */
  spacing: z.object({ rowMm: z.number().nullable(), colMm: z.number().nullable(), kind: z.enum(['pixel', 'imager', 'none']) }),
  /** Modality values that are padding outside the exposed area (Pixel Padding Value/Range Limit): no window sees them. */
  padding: z.object({ low: z.number(), high: z.number() }).nullable(),
  /** PatientOrientation (0020,0020) as stored ("L\F"), null when the file does not say: the viewer's edge labels. */
  patientOrientation: z.string().nullable(),
  /** The non-PHI tags stored at import, for the tag browser. */
  tags: z.record(z.string(), z.unknown())
})
export type DisplayImage = z.infer<typeof DisplayImage>

export const LibraryCounts = z.object({
  studies: z.number().int().nonnegative(),
  images: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  /** Studies with no image the model reads (a lateral view alone, no chest radiograph, For Processing only). */
  withoutModelImage: z.number().int().nonnegative()
})
export type LibraryCounts = z.infer<typeof LibraryCounts>

export const StudyDetail = z.object({
  id: z.number().int(),
  pseudonym: z.string(),
  patientName: z.string().nullable().optional(),
  studyDate: z.string().nullable(),
  images: z.array(
    z.object({
      id: z.number().int(),
      modality: z.string().nullable(),
      viewPosition: z.string().nullable(),
      projection: Projection.nullable(),
      /** The image the model trains on and describes for this study. */
      isModelImage: z.boolean(),
      rows: z.number().int().nullable(),
      columns: z.number().int().nullable(),
      forProcessing: z.boolean()
    })
  ),
  reports: z.array(
    z.object({
      id: z.number().int(),
      language: z.string().nullable(),
      text: z.string(),
      nodules: NoduleFinding.nullable(),
      negativeEvidence: z.array(EvidenceSpan)
    })
  )
})
export type StudyDetail = z.infer<typeof StudyDetail>

/** Another study of the same patient, with the film a reader compares against (its model image). */
export const OtherStudyOfPatient = z.object({
  studyId: z.number().int(),
  pseudonym: z.string(),
  studyDate: z.string().nullable(),
  imageId: z.number().int()
})
export type OtherStudyOfPatient = z.infer<typeof OtherStudyOfPatient>

export const FolderListing = z.object({
  /** The folder listed; null lists the data roots themselves. */
  path: z.string().nullable(),
  /** The folder above, when it is still inside a data root. */
  parent: z.string().nullable(),
  folders: z.array(z.object({ name: z.string(), path: z.string() }))
})
export type FolderListing = z.infer<typeof FolderListing>

const DicomDate = z.string().regex(/^\d{8}$/, 'a date as YYYYMMDD')

const NoInput = z.object({}).strict()

/** A file written under the data folder's exports/, its bytes returned for a browser download. */
const ExportedFile = z.object({ fileName: z.string(), mediaType: z.string(), base64: z.string(), rows: z.number().int().nonnegative() })

export const RunSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  /** As stored: a self-play run whose task is still running while its status is 'paused' is pausing after its round. */
  status: z.string(),
  createdAt: z.string(),
  rounds: z.number().int().nonnegative(),
  /** Rounds the run was configured to play (null for runs that store no such option, e.g. the warm-up). */
  plannedRounds: z.number().int().nonnegative().nullable(),
  /** The model config it trains ('tiny', 'default'). */
  modelConfig: z.string().nullable(),
  /** The task this app is running the run in right now, if any. */
  taskId: z.number().int().nullable(),
  /** Why the run failed, when it did. */
  error: z.string().nullable()
})
export type RunSummary = z.infer<typeof RunSummary>

/** One stored self-play round as the Training page charts it. */
export const RoundPoint = z.object({
  roundIndex: z.number().int(),
  stage: z.enum(['decision', 'clue']),
  /** The scheduler's (bias-corrected) EMAs after the round. */
  accuracyEma: z.number().nullable(),
  naRateEma: z.number().nullable(),
  voteAccuracy: z.number().nullable(),
  /** Share of the round's votes that were `<vote:na>`. */
  voteNaRate: z.number().nullable(),
  answererAccuracy: z.number().nullable(),
  loss: z.number().nullable(),
  kl: z.number().nullable(),
  tokensPerSecond: z.number(),
  switched: z.boolean(),
  baselines: z.record(z.string(), z.number()),
  /** Mean reward per role over the round's games (spy and civilian clues, votes, questions, answers). */
  meanRewards: z.record(z.string(), z.number())
})
export type RoundPoint = z.infer<typeof RoundPoint>

export const RunRounds = z.object({
  thresholds: z.object({ accuracyToClue: z.number(), naToClue: z.number(), errorToDecision: z.number(), naToDecision: z.number() }),
  /** Self-play settings the run changed from DESIGN's defaults, as `PATH=VALUE`. */
  changedSettings: z.array(z.string()),
  rounds: z.array(RoundPoint)
})
export type RunRounds = z.infer<typeof RunRounds>

/** The model sizes a run can train (the presets of src/main/training/selfplay-run.ts). */
export const SelfPlayPreset = z.enum(['tiny', 'default', 'conv'])
export type SelfPlayPreset = z.infer<typeof SelfPlayPreset>

const SpyVote = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('player'), player: z.number().int() }),
  z.object({ kind: z.literal('abstain') }),
  z.object({ kind: z.literal('invalid') })
])

/** A QA question as the parser read it. */
export const QaQuestion = z.object({
  kind: z.enum(['presence', 'presenceAt', 'side', 'zone', 'size', 'count']),
  side: z.enum(['right', 'left']).optional(),
  zone: Zone.optional()
})
export const QaAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('yesno'), value: z.boolean() }),
  z.object({ kind: z.literal('side'), value: Side }),
  z.object({ kind: z.literal('zone'), value: Zone }),
  z.object({ kind: z.literal('number'), value: z.number() })
])
export type QaAnswer = z.infer<typeof QaAnswer>

/** One "who is the spy" game as played: seats, clues in speaking order, every civilian's sampled votes. */
export const SpyGameView = z.object({
  kind: z.literal('spy'),
  id: z.number().int(),
  /** The study its images were made from (null for games stored before schema 2). */
  studyId: z.number().int().nullable(),
  pseudonym: z.string().nullable(),
  spySeat: z.number().int(),
  edit: RadiographEdit,
  players: z.array(z.object({ seat: z.number().int(), role: z.enum(['civilian', 'spy']), clueReward: z.number(), votesReceived: z.number().int() })),
  clues: z.array(z.object({ round: z.number().int(), player: z.number().int(), role: z.enum(['civilian', 'spy']), text: z.string(), advantage: z.number().nullable() })),
  /** Per civilian, G sampled votes; the first is the vote cast. */
  votes: z.array(z.object({ voter: z.number().int(), samples: z.array(z.object({ text: z.string(), vote: SpyVote, reward: z.number(), advantage: z.number() })) })),
  accuracy: z.number(),
  naRate: z.number(),
  /** Whether the civilians' and the spy's images can be drawn again (runs.gameImages). */
  imagesAvailable: z.boolean()
})
export type SpyGameView = z.infer<typeof SpyGameView>

export const QaGameView = z.object({
  kind: z.literal('qa'),
  id: z.number().int(),
  studyId: z.number().int(),
  pseudonym: z.string().nullable(),
  question: z.object({ text: z.string(), parsed: QaQuestion.nullable() }),
  /** What the report says (null when the question cannot be read or the report does not settle it). */
  expected: QaAnswer.nullable(),
  pseudoAnswer: z.boolean(),
  answers: z.array(z.object({ text: z.string(), answer: QaAnswer.nullable(), correct: z.boolean(), reward: z.number(), advantage: z.number() })),
  answererAccuracy: z.number().nullable(),
  questionerReward: z.number(),
  questionerAdvantage: z.number()
})
export type QaGameView = z.infer<typeof QaGameView>

export const RunGame = z.discriminatedUnion('kind', [SpyGameView, QaGameView])
export type RunGame = z.infer<typeof RunGame>

const ImageCircle = z.object({ x: z.number(), y: z.number(), radius: z.number().positive() })

/** The two images of a spy game as 8-bit grayscale PNGs (base64), as the players saw them. */
export const SpyGameImages = z.object({
  gameId: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  civilianPng: z.string(),
  spyPng: z.string(),
  edit: RadiographEdit,
  /** Where the edited nodule is, in image pixels: in the civilians' image and in the spy's (null where that image has none). */
  nodules: z.object({ civilian: ImageCircle.nullable(), spy: ImageCircle.nullable() })
})
export type SpyGameImages = z.infer<typeof SpyGameImages>

const RunRef = z.object({ runId: z.number().int().positive() }).strict()
const TaskRef = z.object({ taskId: z.number().int().positive() }).strict()

export const methods = {
  'app.info': { input: NoInput, output: AppInfo },
  'settings.get': { input: NoInput, output: Settings },
  'settings.set': { input: Settings.partial().strict(), output: Settings },
  /** A CPU-heavy demonstration task (counts primes) that streams progress and can be cancelled. */
  'tasks.startDemo': {
    input: z.object({ upTo: z.number().int().min(10).max(2_000_000_000) }).strict(),
    output: z.object({ taskId: z.number().int() })
  },
  'tasks.cancel': { input: TaskRef, output: z.object({ cancelled: z.boolean() }) },
  'tasks.get': { input: TaskRef, output: TaskSummary.nullable() },
  'tasks.list': { input: NoInput, output: z.array(TaskSummary) },
  /**
   * Imports folders of DICOM (any depth, DICOMDIR or not) and reports as a long task. From a page
   * (web or Electron) every folder must lie inside a Settings data root or have come from the
   * Electron folder dialog; the CLI imports what its user names.
   */
  'import.start': {
    input: z.object({ roots: z.array(z.string().min(1).max(4096)).min(1).max(64) }).strict(),
    output: z.object({ taskId: z.number().int() })
  },
  'import.jobs': { input: NoInput, output: z.array(ImportJob) },
  /** The native folder dialog (Electron only; browser mode answers available: false). */
  'import.chooseFolders': { input: NoInput, output: z.object({ available: z.boolean(), folders: z.array(z.string()) }) },
  /** Subfolders of a folder inside a data root (or the roots themselves); nothing outside them. */
  'library.folders': { input: z.object({ path: z.string().min(1).max(4096).optional() }).strict(), output: FolderListing },
  /** The files that failed to import, each with the reason: of one import job, or of every job (newest first). */
  'import.errors': {
    input: z
      .object({ jobId: z.number().int().positive().optional(), limit: z.number().int().min(1).max(1000).default(200), offset: z.number().int().min(0).default(0) })
      .strict(),
    output: z.object({
      total: z.number().int().nonnegative(),
      rows: z.array(z.object({ file: z.string(), reason: z.string(), jobId: z.number().int().nullable() }))
    })
  },
  'studies.list': {
    input: z
      .object({
        pseudonym: z.string().max(64).optional(),
        modality: z.string().max(16).optional(),
        dateFrom: DicomDate.optional(),
        dateTo: DicomDate.optional(),
        hasReport: z.boolean().optional(),
        hasFindings: z.boolean().optional(),
        /** Whether the study has an image the model reads (a frontal chest film). */
        hasModelImage: z.boolean().optional(),
        /** 'pending': some generated finding has no decision yet; 'reviewed': every one has. */
        reviewStatus: z.enum(['pending', 'reviewed']).optional(),
        withPatientNames: z.boolean().optional(),
        limit: z.number().int().min(1).max(1000).default(100),
        offset: z.number().int().min(0).default(0)
      })
      .strict(),
    output: z.object({
      total: z.number().int().nonnegative(),
      rows: z.array(StudyListRow),
      counts: LibraryCounts
    })
  },
  'studies.get': {
    input: z.object({ studyId: z.number().int().positive(), withPatientNames: z.boolean().optional() }).strict(),
    output: StudyDetail
  },
  /**
   * The patient's other studies with a frontal film, newest first (at most 20): the same Patient ID,
   * and the same birth date and sex where both studies state them (an anonymised export may give
   * every patient one ID).
   */
  'studies.otherStudiesOfPatient': { input: z.object({ studyId: z.number().int().positive() }).strict(), output: z.array(OtherStudyOfPatient) },
  'images.display': { input: z.object({ imageId: z.number().int().positive() }).strict(), output: DisplayImage },
  /**
   * A reader's word on a film's view where its header, its name or its pixels got it wrong (a lateral
   * read as the frontal film, a frontal one no header named): signed by the reviewer and audited; the
   * study's model image follows. Returns the study as the viewer shows it.
   */
  'images.setProjection': { input: z.object({ imageId: z.number().int().positive(), projection: Projection }).strict(), output: StudyDetail },
  'review.queue': {
    input: z.object({ studyId: z.number().int().positive().optional() }).strict(),
    output: z.object({ total: z.number().int().nonnegative(), remaining: z.number().int().nonnegative(), rows: z.array(ReviewItem) })
  },
  /**
   * The studies the model the Review page shows has not described — imported since its run wrote
   * its findings —: how many, and that model's checkpoint (null before any model wrote findings).
   */
  'findings.pending': { input: NoInput, output: z.object({ checkpoint: z.string().nullable(), studies: z.number().int().nonnegative() }) },
  /** Writes findings for those studies with that model, as a long task ('findings.write'). */
  'findings.start': { input: NoInput, output: z.object({ taskId: z.number().int() }) },
  /** Records a decision (the latest one counts) and its audit row in one transaction. */
  'review.decide': {
    input: z
      .object({
        findingId: z.number().int().positive(),
        decision: ReviewDecision,
        reason: RejectReason.optional(),
        reasonText: z.string().trim().max(500).optional(),
        /** The reader's optional free-text comment; an empty one is none. */
        comment: z.string().trim().max(1000).optional(),
        edited: z.object({ text: z.string().trim().min(1).max(4000), structured: NoduleFinding }).strict().optional(),
        secondsOnTask: z.number().nonnegative().max(86_400)
      })
      .strict(),
    output: z.object({ reviewId: z.number().int() })
  },
  /** Takes back this reviewer's last decision (audited); null when there is none. */
  'review.undo': { input: NoInput, output: z.object({ findingId: z.number().int(), decision: ReviewDecision }).nullable() },
  /**
   * De-identified export of reviewed findings (pseudonyms only), written under the data folder's
   * exports/ and returned for a browser download. CSV and JSON cover every study (or one);
   * 'sr' is a DICOM Comprehensive SR document of one study.
   */
  'review.export': {
    input: z.object({ format: z.enum(['csv', 'json', 'sr']), studyId: z.number().int().positive().optional() }).strict(),
    output: ExportedFile
  },
  /**
   * The audit log verbatim (reviewer names included: for the site's own audit, not de-identified),
   * with the chain's verdict and hash rule, written under the data folder's exports/.
   */
  'audit.export': { input: NoInput, output: ExportedFile },
  /** What the clinicians' decisions say of each model whose findings they reviewed. */
  'review.agreement': { input: NoInput, output: ReviewAgreement },
  /** Training runs (warm-up and self-play), newest first, with how many rounds each stored. */
  'runs.list': { input: NoInput, output: z.array(RunSummary) },
  /** A run's stored self-play rounds, for the Training page's charts. */
  'runs.rounds': { input: RunRef, output: RunRounds },
  /**
   * Starts a new self-play run (the warm-up first when none of this model size finished) as a
   * long task. One self-play run trains at a time.
   */
  'runs.start': {
    input: z
      .object({
        preset: SelfPlayPreset,
        rounds: z.number().int().min(1).max(100_000),
        seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
        spyGamesPerRound: z.number().int().min(0).max(256).optional(),
        qaGamesPerRound: z.number().int().min(0).max(256).optional()
      })
      .strict(),
    output: z.object({ taskId: z.number().int(), runId: z.number().int() })
  },
  /** The run stops after the round it is playing has committed; status 'paused'. */
  'runs.pause': { input: RunRef, output: z.object({ runId: z.number().int(), status: z.string() }) },
  /** Plays a paused, stopped or interrupted run on from its last committed round. */
  'runs.resume': { input: RunRef, output: z.object({ taskId: z.number().int(), runId: z.number().int() }) },
  /** Stops the run now; the round in flight is discarded, committed rounds stay and it can be resumed. */
  'runs.stop': { input: RunRef, output: z.object({ runId: z.number().int(), stopped: z.boolean() }) },
  /** A round's games with their transcripts, rewards and advantages. */
  'runs.games': {
    input: z.object({ runId: z.number().int().positive(), roundIndex: z.number().int().min(0) }).strict(),
    output: z.object({ roundIndex: z.number().int(), stage: z.string(), games: z.array(RunGame) })
  },
  /** The civilians' image and the spy's edited image of one spy game. */
  'runs.gameImages': { input: z.object({ gameId: z.number().int().positive() }).strict(), output: SpyGameImages },

  // Evaluation (DESIGN §10): experiments of the three arms, and the periodic evaluations of a run.
  /** Stored experiments, newest first, with every arm's result per seed and mean ± spread. */
  'evaluation.experiments': { input: NoInput, output: z.array(ExperimentListItem) },
  /** A self-play run's periodic held-out evaluations, by round. */
  'runs.evaluations': { input: RunRef, output: z.array(RunEvaluation) }
} as const

export const events = {
  'task.progress': z.object({ taskId: z.number().int(), kind: TaskKind, progress: TaskProgress }),
  'task.finished': TaskSummary
} as const

export type MethodName = keyof typeof methods
export type EventName = keyof typeof events
/** What a caller may send (defaults not yet applied). */
export type Input<M extends MethodName> = z.input<(typeof methods)[M]['input']>
/** What a handler receives after validation. */
export type ValidInput<M extends MethodName> = z.output<(typeof methods)[M]['input']>
export type Output<M extends MethodName> = z.output<(typeof methods)[M]['output']>
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

export const methodNames = Object.keys(methods) as MethodName[]
export const eventNames = Object.keys(events) as EventName[]

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name)
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name)
}

/** Errors cross every transport as data, never as thrown objects (IPC drops their fields). */
export const ApiErrorCode = z.enum(['unknown_method', 'invalid_input', 'not_found', 'conflict', 'failed'])
export type ApiErrorCode = z.infer<typeof ApiErrorCode>

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: ApiErrorCode; message: string } }

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'ApiError'
  }
}
