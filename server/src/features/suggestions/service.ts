import { ErrorCode } from '#shared/errors';
import type { Identity } from '#shared/protocol';
import { RecordsKey, type Author } from '#shared/records';
import { readSuggestions, suggestionsOf } from '#shared/suggestionStore';
import { readEntry, toStoredEntry } from '#shared/threadStore';
import { contentRoom, recordsRoom } from '#shared/rooms';
import {
  MAX_SUGGESTIONS,
  MAX_SUGGESTION_PASSAGE,
  SUGGEST_ONLY_KEY,
  type BulkDecisionRequest,
  type BulkDecisionResult,
  type CreateSuggestionRequest,
  type SuggestOnlyState,
  type Suggestion,
  type SuggestionListing,
  describeSuggestion,
} from '#shared/suggestions';
import { MAX_COMMENTS_PER_THREAD, type ThreadComment } from '#shared/threads';
import { contentFragment, resolveAnchor } from '#shared/anchors';
import { passageFingerprint } from '#shared/passageFingerprint';
import type { ProseMirrorJSON } from '#shared/snapshots';
import { badRequest, conflict, forbidden, notFound } from '../../errors';
import { newId } from '../../ids';
import { authorOf, logActivity, writeRecords } from '../../records/write';
import { SERVER_ORIGIN, transactAs } from '../../rooms/origin';
import type { Room } from '../../rooms/Room';
import type { RoomManager } from '../../rooms/RoomManager';
import { EntryBudget, admitReplyCount, fieldsDelta, jsonBytes } from '../threads/budget';
import { writeEntry } from '../threads/storedThread';
import { applyChange, applyChanged } from './applyChange';
import { DEFAULT_UPDATE_LIMITS } from '../../rooms/guards/limits';
import type { BlockLimits } from './blockCheck';
import { fitsBetween, formatted, locate, passageAnchor, passageText, replacement, shapeProblem } from './passage';
import { ShapeError } from './shapeError';
import { bringsOnlyWritable, mayChangeObjectives } from './objectiveOwnership';
import { followText, proseMirrorOf } from './textShadow';
import { OWN_ACCEPTANCE_REFUSED, acceptsOwnWhileSuggestOnly } from './ownAcceptance';

/**
 * Largest one suggestion may grow with its replies, as JSON. A reply writes only itself (see
 * `#shared/suggestionStore`), so this no longer bounds a write; it bounds what is sent whole:
 * the suggestion is in every reply's and decision's answer and in every `GET /suggestions`
 * (1 MB is about 200 replies of 5,000 characters, under the 500-reply count cap).
 */
export const MAX_SUGGESTION_BYTES = 1024 * 1024;
/** Largest all suggestions of an agreement may grow, as JSON: every client syncs them whole when it opens the records room. */
export const MAX_ROOM_SUGGESTION_BYTES = 8 * 1024 * 1024;

const suggestionBudget = new EntryBudget<Suggestion>({
  entryBytes: MAX_SUGGESTION_BYTES,
  roomBytes: MAX_ROOM_SUGGESTION_BYTES,
  maxEntries: MAX_SUGGESTIONS,
  noun: 'suggestions',
  ownerOf: (suggestion) => suggestion.author,
  entryFull: `this suggestion's replies are at their size limit (${MAX_SUGGESTION_BYTES / 1048576} MB): go on in a comment thread`,
  roomFull: `this agreement's suggestions are at their size limit (${MAX_ROOM_SUGGESTION_BYTES / 1048576} MB)`,
});
type Decision = 'accept' | 'reject';

/**
 * Suggestions are records: a person asks, the server checks who asks and whether the
 * change fits, and writes the suggestion into the records room. Accepting applies it to
 * the text in the same synchronous step that marks it accepted, so two people accepting
 * at once cannot apply it twice; the change is made as the server acting for the
 * suggester, so the authorship log (and every diff and export) credits them.
 */
export class SuggestionService {
  /** `limits`: the text's (the update gate's), which suggested blocks keep to as well. */
  constructor(
    private readonly rooms: RoomManager,
    private readonly limits: BlockLimits = DEFAULT_UPDATE_LIMITS,
  ) {}

  /** Every suggestion, with where it is now and whether it still applies, in the order of the text. */
  async list(agreementId: string): Promise<SuggestionListing[]> {
    return this.withBoth(agreementId, (records, content) => {
      const pm = proseMirrorOf(content.doc);
      const listed = readSuggestions(records.doc).map((s): SuggestionListing => {
        const at = s.status === 'open' ? locate(content.doc, pm, s) : null;
        return { ...s, outdated: s.status === 'open' && (!at || at.outdated), ...(at ? { from: at.from, to: at.to } : {}) };
      });
      return listed.sort((a, b) => (a.from ?? Infinity) - (b.from ?? Infinity) || a.createdAt.localeCompare(b.createdAt));
    });
  }

  /** Records a suggestion after checking its passage and its change (blocks stored as the schema read them); the anchor is rebuilt by the server. */
  async create(me: Identity, request: CreateSuggestionRequest, partyIds: readonly string[]): Promise<Suggestion> {
    const given = [request.text, request.blocks, request.format].filter((c) => c !== undefined).length;
    if (given !== 1) throw badRequest(ErrorCode.SuggestionShape, 'give one of "text" (a change inside a block), "blocks" or "format"');
    const kind = request.blocks !== undefined ? 'blocks' : request.format !== undefined ? 'format' : 'text';
    const checked = await this.rooms.with(contentRoom(me.agreementId), async (content) => {
      await followText(this.rooms, content);
      const resolved = resolveAnchor(content.doc, contentFragment(content.doc), request.anchor);
      if (!resolved) throw badRequest(ErrorCode.AnchorUnresolved, 'the anchor does not resolve in the agreement text (not sent yet, or not a position)');
      const { from, to } = resolved;
      const pm = proseMirrorOf(content.doc);
      const problem = shapeProblem(pm, kind, from, to);
      if (problem) throw badRequest(ErrorCode.SuggestionShape, problem);
      const deleted = passageText(pm, from, to);
      if (deleted.length > MAX_SUGGESTION_PASSAGE) throw badRequest(ErrorCode.SuggestionShape, 'the passage is too long for one suggestion');
      if (kind === 'format') {
        if (!formatted(pm, from, to, request.format!)) throw badRequest(ErrorCode.SuggestionEmpty, 'the passage is already formatted so');
        return { anchor: passageAnchor(content.doc, from, to), deleted };
      }
      let fragment;
      try {
        fragment = replacement(pm, kind, from, to, request, { partyIds, limits: this.limits });
      } catch (err) {
        if (err instanceof ShapeError) throw badRequest(ErrorCode.SuggestionShape, err.message);
        throw err;
      }
      if (kind === 'blocks' && !fitsBetween(pm.resolve(from), pm.resolve(to), fragment))
        throw badRequest(ErrorCode.SuggestionShape, 'these blocks cannot go there');
      if (from === to && fragment.size === 0) throw badRequest(ErrorCode.SuggestionEmpty, 'the suggestion changes nothing');
      if (kind === 'text' && deleted === (request.text ?? '')) throw badRequest(ErrorCode.SuggestionEmpty, 'the suggestion changes nothing');
      const blocks = kind === 'blocks' ? ((fragment.toJSON() as ProseMirrorJSON[] | null) ?? []) : undefined;
      // Whole blocks are replaced by the suggester's copy: any change to them since makes it outdated, not only one of words.
      const fingerprint = kind === 'blocks' && from < to ? passageFingerprint(pm, from, to) : undefined;
      return { anchor: passageAnchor(content.doc, from, to), deleted, blocks, fingerprint };
    });
    const suggestion: Suggestion = {
      id: newId(),
      kind,
      anchor: checked.anchor,
      deleted: checked.deleted,
      ...('fingerprint' in checked && checked.fingerprint !== undefined ? { fingerprint: checked.fingerprint } : {}),
      ...(kind === 'text' ? { text: request.text ?? '' } : kind === 'blocks' ? { blocks: checked.blocks ?? [] } : { format: request.format }),
      author: authorOf(me),
      createdAt: new Date().toISOString(),
      status: 'open',
      comments: [],
    };
    return writeRecords(this.rooms, me.agreementId, (doc) => {
      const map = suggestionsOf(doc);
      if (map.size >= MAX_SUGGESTIONS) throw conflict(ErrorCode.TooManySuggestions, 'this agreement holds too many suggestions');
      suggestionBudget.admitNew(map, suggestion.id, suggestion, ErrorCode.TooManySuggestions);
      map.set(suggestion.id, toStoredEntry(suggestion));
      logActivity(doc, suggestion.author, 'suggestion.created', `${suggestion.author.name} suggested ${describeSuggestion(suggestion)}`);
      return suggestion;
    });
  }

  /** Accepts or rejects one open suggestion. */
  async decide(me: Identity, suggestionId: string, decision: Decision, partyIds: readonly string[]): Promise<Suggestion> {
    return this.withBoth(me.agreementId, (records, content) => {
      const entry = suggestionsOf(records.doc).get(suggestionId);
      if (!entry) throw notFound(ErrorCode.SuggestionNotFound, 'no such suggestion');
      const current = readEntry(entry);
      if (current.status !== 'open') throw conflict(ErrorCode.SuggestionDecided, `this suggestion was already ${current.status}`);
      if (decision === 'accept' && acceptsOwnWhileSuggestOnly(records.doc, current, me)) throw forbidden(ErrorCode.Forbidden, OWN_ACCEPTANCE_REFUSED);
      const applied = decision === 'accept' ? this.apply(content, current, partyIds, me) : this.mayReject(content, current, me);
      if (applied === 'outdated') {
        throw conflict(
          ErrorCode.SuggestionOutdated,
          'the text under this suggestion changed since it was made, so it cannot be accepted; reject it or ask for a new one',
        );
      }
      if (applied === 'notYours') {
        throw forbidden(
          ErrorCode.Forbidden,
          "this suggestion changes another party's own objective: only that party's negotiators or the broker may accept or reject it",
        );
      }
      return this.record(records, current, decision, authorOf(me));
    });
  }

  /** Accepts or rejects every open suggestion of one person or one party; outdated ones are left open when accepting. */
  async decideAll(me: Identity, filter: BulkDecisionRequest, decision: Decision, partyIds: readonly string[]): Promise<BulkDecisionResult> {
    if ((filter.person === undefined) === (filter.party === undefined)) throw badRequest(ErrorCode.InvalidRequest, 'give either "person" or "party"');
    return this.withBoth(me.agreementId, (records, content) => {
      const by = authorOf(me);
      const result: BulkDecisionResult = { decided: [], outdated: [], refused: [] };
      const chosen = readSuggestions(records.doc).filter(
        (s) => s.status === 'open' && (filter.person !== undefined ? s.author.personId === filter.person : s.author.party === filter.party),
      );
      for (const s of chosen.sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
        if (decision === 'accept' && acceptsOwnWhileSuggestOnly(records.doc, s, me)) {
          result.refused.push(s.id);
          continue;
        }
        const applied = decision === 'accept' ? this.apply(content, s, partyIds, me) : this.mayReject(content, s, me);
        if (applied === 'outdated') result.outdated.push(s.id);
        else if (applied === 'notYours') result.refused.push(s.id);
        else result.decided.push(this.record(records, s, decision, by));
      }
      return result;
    });
  }

  /** Adds a reply to a suggestion's thread. */
  async reply(me: Identity, suggestionId: string, body: string): Promise<{ suggestion: Suggestion; comment: ThreadComment }> {
    const author = authorOf(me);
    const comment: ThreadComment = { id: newId(), body: body.trim(), author, createdAt: new Date().toISOString() };
    return writeRecords(this.rooms, me.agreementId, (doc) => {
      const map = suggestionsOf(doc);
      const entry = map.get(suggestionId);
      if (!entry) throw notFound(ErrorCode.SuggestionNotFound, 'no such suggestion');
      const current = readEntry(entry);
      if (current.comments.length >= MAX_COMMENTS_PER_THREAD) throw conflict(ErrorCode.TooManyComments, 'this suggestion holds too many comments');
      admitReplyCount(current.comments, author.personId, ErrorCode.TooManyComments);
      // The reply is written alone: its size (and a comma) is what the suggestion grows by.
      suggestionBudget.admit(map, suggestionId, jsonBytes(comment) + 1, author.personId);
      writeEntry(map, suggestionId, { append: comment });
      logActivity(doc, author, 'suggestion.replied', `${author.name} replied on a suggestion by ${current.author.name}`);
      return { suggestion: { ...current, comments: [...current.comments, comment] }, comment };
    });
  }

  /** Makes the agreement suggest-only, or lifts it; the content room's guard follows the records room. */
  async setSuggestOnly(me: Identity, on: boolean): Promise<{ suggestOnly: SuggestOnlyState | null }> {
    const by = authorOf(me);
    return writeRecords(this.rooms, me.agreementId, (doc) => {
      const meta = doc.getMap<unknown>(RecordsKey.meta);
      const current = (meta.get(SUGGEST_ONLY_KEY) as SuggestOnlyState | undefined) ?? null;
      if (on === (current !== null)) return { suggestOnly: current };
      if (!on) {
        meta.delete(SUGGEST_ONLY_KEY);
        logActivity(doc, by, 'suggestOnly.lifted', `${by.name} lifted suggest-only: the text can be edited directly again`);
        return { suggestOnly: null };
      }
      const state: SuggestOnlyState = { by, at: new Date().toISOString() };
      meta.set(SUGGEST_ONLY_KEY, state);
      logActivity(doc, by, 'suggestOnly.set', `${by.name} made the agreement suggest-only: changes to the text are suggestions until it is lifted`);
      return { suggestOnly: state };
    });
  }

  /**
   * Applies an open suggestion to the live text as its author, for `me` who accepts it; nothing changes when it is outdated
   * or changes an objective `me` may not write. Its change is checked again: an objective id may be taken meanwhile, and
   * suggestions stored before blocks were checked are kept.
   */
  private apply(content: Room, s: Suggestion, partyIds: readonly string[], me: Identity): 'applied' | 'outdated' | 'notYours' {
    const pm = proseMirrorOf(content.doc);
    const at = locate(content.doc, pm, s);
    if (!at || at.outdated) return 'outdated';
    if (s.kind === 'format') {
      if (!mayChangeObjectives(me, pm, at.from, at.to)) return 'notYours';
      const changed = s.format ? formatted(pm, at.from, at.to, s.format) : null;
      // Already formatted so (someone did it by hand): accepting has nothing left to do.
      if (changed) transactAs(content.doc, s.author, () => applyChanged(content.doc, pm, changed, at.from, pm.resolve(at.from).sharedDepth(at.to)));
      return 'applied';
    }
    let fragment;
    try {
      fragment = replacement(pm, s.kind, at.from, at.to, s, { partyIds, limits: this.limits });
    } catch (err) {
      if (err instanceof ShapeError) return 'outdated';
      throw err;
    }
    if (s.kind === 'blocks' && !fitsBetween(pm.resolve(at.from), pm.resolve(at.to), fragment)) return 'outdated';
    if (!mayChangeObjectives(me, pm, at.from, at.to, fragment)) return 'notYours';
    transactAs(content.doc, s.author, () => applyChange(content.doc, pm, at.from, at.to, fragment));
    return 'applied';
  }

  /**
   * Whether `me` may turn `s` down: rejecting decides for an objective's party as accepting does, so every
   * objective it lies in or brings must be one `me` may write; its author may always withdraw it.
   */
  private mayReject(content: Room, s: Suggestion, me: Identity): 'applied' | 'notYours' {
    if (s.author.personId === me.personId) return 'applied';
    const pm = proseMirrorOf(content.doc);
    const at = locate(content.doc, pm, s);
    const mine = (!at || mayChangeObjectives(me, pm, at.from, at.to)) && bringsOnlyWritable(me, s.blocks ?? []);
    return mine ? 'applied' : 'notYours';
  }

  /** Marks a suggestion decided, writing only its decision's fields (never refused for size: once per suggestion, a few hundred bytes). */
  private record(records: Room, s: Suggestion, decision: Decision, by: Author): Suggestion {
    const fields: Partial<Suggestion> = { status: decision === 'accept' ? 'accepted' : 'rejected', decidedBy: by, decidedAt: new Date().toISOString() };
    const next: Suggestion = { ...s, ...fields };
    records.doc.transact(() => {
      const map = suggestionsOf(records.doc);
      suggestionBudget.count(map, s.id, fieldsDelta(s, fields));
      writeEntry(map, s.id, { fields });
      logActivity(records.doc, by, `suggestion.${next.status}`, `${by.name} ${next.status} ${s.author.name}’s suggestion ${describeSuggestion(s)}`);
    }, SERVER_ORIGIN);
    return next;
  }

  /** Holds the records and content rooms and runs `work` on both synchronously: nothing else can change either in between. */
  private async withBoth<T>(agreementId: string, work: (records: Room, content: Room) => T): Promise<T> {
    // The text's copy is made first, in slices; `work` then reads it in one synchronous step with the text.
    return this.rooms.with(recordsRoom(agreementId), (records) =>
      this.rooms.with(contentRoom(agreementId), async (content) => {
        await followText(this.rooms, content);
        return work(records, content);
      }),
    );
  }
}
