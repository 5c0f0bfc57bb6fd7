import { LIVE } from '#shared/snapshots';
import { contentRoom, recordsRoom } from '#shared/rooms';
import { readSuggestions } from '#shared/suggestionStore';
import type { RoomManager } from '../../rooms/RoomManager';
import type { AgreementRecord } from '../../storage/port';
import type { SnapshotService } from '../snapshots/service';
import type { DocumentWorker } from '../snapshots/diff/DocumentWorker';
import { diffRedlineLabel } from '../snapshots/export/diffRedline';
import { exportLifeCycle } from '../snapshots/export/lifeCycle';
import { exportFile, type ExportFile } from '../snapshots/export/exportDocument';
import { locate } from './passage';
import { followText, proseMirrorOf } from './textShadow';
import { overlaySuggestions, type PlacedSuggestion } from './overlay';

/** A redline as a download: named like an export, "<agreement> - <versions> (redline).docx". */
function file(agreement: AgreementRecord, label: string, body: Uint8Array): ExportFile {
  return exportFile({ agreementTitle: agreement.title, label: `${label} (redline)` }, 'docx', body);
}

/**
 * Redlines for legal: .docx files whose changes are Word tracked changes by author.
 * Either the difference between two versions (snapshots, or a snapshot and the live
 * text), or the open suggestions laid over the live text.
 */
export class RedlineService {
  constructor(
    private readonly rooms: RoomManager,
    private readonly snapshots: SnapshotService,
    /** Builds the .docx files off the main thread. */
    private readonly worker: DocumentWorker,
  ) {}

  /** The changes from one version to another; each is credited to whoever made it (dated with the newer version: the log knows who, not when). */
  async between(agreement: AgreementRecord, fromId: string, toId: string, forPerson: string): Promise<ExportFile> {
    const { job, contexts } = await this.snapshots.diffVersions(agreement.id, fromId, toId, forPerson);
    // Each side's phase and deliveries as its own records say, read as its single export reads them.
    const phaseLog = () => this.snapshots.phaseLog(agreement.id);
    const [from, to] = await Promise.all(
      (['from', 'to'] as const).map((side) =>
        exportLifeCycle(contexts[side], { at: job.versions[side].createdAt, agreementCreatedAt: agreement.createdAt, phaseLog }),
      ),
    );
    // The diff and the .docx are built in the document worker: for a long agreement each takes
    // hundreds of milliseconds, which every room's sync would otherwise wait behind.
    const body = await this.worker.run(
      { kind: 'redlineDiff', ...job, agreementTitle: agreement.title, parties: agreement.parties, lifeCycle: { from, to } },
      [],
      forPerson,
    );
    return file(agreement, diffRedlineLabel(job.versions), body);
  }

  /** The live text with every open suggestion that still applies as a tracked change by its suggester. */
  async openSuggestions(agreement: AgreementRecord, forPerson: string): Promise<ExportFile> {
    const { live, placed, outdated } = await this.rooms.with(recordsRoom(agreement.id), (records) =>
      this.rooms.with(contentRoom(agreement.id), async (content) => {
        await followText(this.rooms, content);
        const pm = proseMirrorOf(content.doc);
        const found: PlacedSuggestion[] = [];
        let stale = 0;
        for (const s of readSuggestions(records.doc)) {
          // Formatting suggestions have no tracked change the export can write (see overlay.ts).
          if (s.status !== 'open' || s.kind === 'format') continue;
          const at = locate(content.doc, pm, s);
          if (at && !at.outdated) found.push({ suggestion: s, from: at.from, to: at.to });
          else stale++;
        }
        return { live: pm, placed: found, outdated: stale };
      }),
    );
    const now = new Date().toISOString();
    const input = {
      agreementTitle: agreement.title,
      label: 'Open suggestions',
      lines: [
        `Redline: the live text (${now}) with ${placed.length} open suggestion(s) as tracked changes by their authors.`,
        ...(outdated > 0 ? [`${outdated} outdated suggestion(s) are left out: the text under them changed since they were made.`] : []),
      ],
      changeDate: now,
      content: overlaySuggestions(live, placed),
      parties: agreement.parties,
    };
    return file(agreement, 'Open suggestions', await this.worker.run({ kind: 'redline', input }, [], forPerson));
  }

  /** `from` and `to` given: the difference between them (`to` defaults to the live text); neither: the open suggestions. */
  redline(agreement: AgreementRecord, from: string | undefined, to: string | undefined, forPerson: string): Promise<ExportFile> {
    return from === undefined && to === undefined ? this.openSuggestions(agreement, forPerson) : this.between(agreement, from ?? LIVE, to ?? LIVE, forPerson);
  }
}
