/**
 * The client–server contract of the JSON API and the sync endpoint, defined once: the server builds
 * these shapes, the client reads them. Domain rules stay where they are (shared/editor, shared/report,
 * shared/sections); this module holds only what crosses the wire.
 */
import type { CommentMessage } from './comments/threads'
import { documentPath } from './pages'
import type { Role } from './roles'
import type { SectionStatus } from './sections/workflow'

export { CloseCode, type CloseCodeValue } from './closeCodes'

// ── Documents ────────────────────────────────────────────────────────────────

export type DocumentStatus = 'draft' | 'submitted'

export interface Submission {
  /** The version saved when it was submitted (kind 'submission'). */
  versionId: string
  versionName: string
  submittedAt: string
  /** Display name of who submitted it. */
  submittedBy: string
  /** Why it was submitted although the check found problems; null when the check passed. */
  overrideReason: string | null
}

/** A document's entry in the catalog. */
export interface DocumentMeta {
  id: string
  title: string
  createdAt: string
  updatedAt: string
  ownerId: string
  /** Everyone else's role, by user id. */
  members: Record<string, Exclude<Role, 'owner'>>
  /**
   * 'submitted' (报送) makes the document read-only for everyone until its owner reopens it. Missing
   * (entries from before submissions) means 'draft'; the catalog fills it in when it loads or adds one.
   */
  status?: DocumentStatus
  /** The submission, while the document is submitted; null otherwise. */
  submission?: Submission | null
  /** The owner's choice: unverified figures (未核实) block submission instead of only warning. */
  requireVerifiedFigures?: boolean
}

/** A document as the list and the editor get it: its entry and the caller's role in it. */
export type DocumentEntry = DocumentMeta & { role: Role }

// ── The submission check and the review view ─────────────────────────────────

/** The submission check (报送前检查) as the API returns it: checkReport without editor positions. */
export interface CheckView {
  ok: boolean
  unfilledPlaceholders: { id: string; kind: string; text: string; context: string; sectionPath: string[] }[]
  pendingSuggestions: {
    id: string
    type: SuggestionType
    /** A structure suggestion in words (「上移章节」). */
    change?: string
    authorName: string | null
    createdAt: string | null
    inserted: string
    deleted: string
    sectionPath: string[]
  }[]
  openThreads: { id: string; authorName: string; quote: string; sectionPath: string[]; messages: number }[]
  emptySections: { label: string; path: string[]; reason: 'no-title' | 'no-body' }[]
  /** Filled but not 已核实 (issue 14): a warning unless `unverifiedBlocking`. */
  unverifiedFigures: { id: string; kind: string; text: string; context: string; sectionPath: string[]; source: string | null; filledBy: string | null }[]
  unverifiedBlocking: boolean
  /** Assigned sections not yet 定稿; they count against `ok` only when `unfinishedBlocks`. */
  unfinishedSections: { label: string; path: string[]; status: SectionStatus; assignees: string[] }[]
  unfinishedBlocks: boolean
}

export type SuggestionType = 'insertion' | 'deletion' | 'replacement' | 'structure'

/** GET /api/documents/:id/review: pending suggestions and open comment threads. */
export interface ReviewView {
  pendingSuggestions: {
    id: string
    type: SuggestionType
    authorId: string | null
    authorName: string | null
    createdAt: string | null
    change?: string
    /** What the suggestion does, in one line (the structural change in words, or the text). */
    text: string
    inserted: string
    deleted: string
    sectionPath: string[]
  }[]
  openThreads: {
    id: string
    authorId: string
    authorName: string
    createdAt: string
    quote: string
    /** Whether its words are still in the document. */
    anchored: boolean
    sectionPath: string[]
    messages: CommentMessage[]
  }[]
}

// ── Versions ─────────────────────────────────────────────────────────────────

export type VersionKind = 'named' | 'auto' | 'submission' | 'backup'

/** A version as the list gives it (without its content). */
export interface VersionSummary {
  id: string
  name: string
  kind: VersionKind
  createdAt: string
  /** Display name of who saved it, or the automatic versions' author. */
  createdBy: string
}

// ── Export ───────────────────────────────────────────────────────────────────

/** GET /api/documents/:id/export.<format>?mode=<mode> */
export type ExportFormat = 'docx' | 'pdf'
/** 'as-is' keeps suggestions as tracked changes and comments; 'clean' is the text as if all were accepted. */
export type ExportMode = 'as-is' | 'clean'
export const EXPORT_MODES: readonly ExportMode[] = ['as-is', 'clean']
export const exportPath = (documentId: string, format: ExportFormat, mode: ExportMode) =>
  `${documentPath(documentId)}/export.${format}?mode=${mode}`
