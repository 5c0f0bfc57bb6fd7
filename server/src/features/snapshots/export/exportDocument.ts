import { LIVE, type ExportFormat, type SnapshotContext } from '#shared/snapshots';
import type { AgreementRecord } from '../../../storage/port';
import type { DocumentWorker } from '../diff/DocumentWorker';
import type { SnapshotService } from '../service';
import type { ExportMeta } from './meta';
import { wellFormed } from '#shared/text';
import { exportStances } from './stances';
import { exportLifeCycle } from './lifeCycle';
import { snapshotAltered } from '../altered';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export interface ExportFile {
  name: string;
  contentType: string;
  body: string | Buffer;
}

/**
 * A snapshot (or the live text, `LIVE`) as a file, named by agreement and version. The text is
 * read, fingerprinted (the live text as the chain's next link would be) and rendered in the
 * document worker; the main thread only loads the state and names the file.
 */
export async function exportDocument(
  snapshots: SnapshotService,
  worker: DocumentWorker,
  agreement: AgreementRecord,
  snapshotId: string,
  format: ExportFormat,
  forPerson: string,
): Promise<ExportFile> {
  const parties = agreement.parties.map(({ id, name }) => ({ id, name }));
  const phaseLog = () => snapshots.phaseLog(agreement.id);
  if (snapshotId === LIVE) {
    const [prevHash, state, context] = await Promise.all([
      snapshots.lastHash(agreement.id),
      snapshots.liveState(agreement.id, forPerson),
      snapshots.liveContext(agreement.id),
    ]);
    const createdAt = new Date().toISOString();
    const meta = {
      agreementTitle: agreement.title,
      label: 'Live text',
      createdAt,
      live: true,
      parties,
      stances: exportStances(context.stances),
      ...pending(context),
      ...(await exportLifeCycle(context, { at: createdAt, agreementCreatedAt: agreement.createdAt, phaseLog })),
    };
    // Copied to the worker, never moved: the live state may be the very buffer the room keeps for
    // newcomers (rooms/newcomerState.ts), and moving it left the room's copy empty, so no newcomer
    // could sync any more. A copy of a megabyte costs well under a millisecond.
    const body = await worker.run({ kind: 'export', state, prevHash, hash: null, meta, format }, [], forPerson);
    if (body === null) throw new Error('the live text was checked against a fingerprint');
    return exportFile(meta, format, body);
  }
  const { record, state } = await snapshots.load(agreement.id, snapshotId);
  // A snapshot kept before its records were (no context) states no stances rather than none taken.
  const stances = record.context ? { stances: exportStances(record.context.stances) } : {};
  const meta = {
    agreementTitle: agreement.title,
    label: record.label,
    createdAt: record.createdAt,
    live: false,
    parties,
    ...stances,
    ...pending(record.context),
    // What was true when it was taken, as far as its records say: never today's state under its date.
    ...(await exportLifeCycle(record.context, { at: record.createdAt, agreementCreatedAt: agreement.createdAt, phaseLog })),
  };
  const body = await worker.run({ kind: 'export', state, prevHash: record.prevHash, hash: record.hash, meta, format }, [], forPerson);
  if (body === null) throw snapshotAltered();
  return exportFile(meta, format, body);
}

/** The open suggestions a version's records name, for its export; none open, nothing (its header then reads as before). */
function pending(context: SnapshotContext | undefined): Pick<ExportMeta, 'openSuggestions'> {
  const open = context?.openSuggestions;
  return open && open.count > 0 ? { openSuggestions: open } : {};
}

/** A rendered body as the file to download, named by agreement and label. */
export function exportFile(meta: Pick<ExportMeta, 'agreementTitle' | 'label'>, format: ExportFormat, body: string | Uint8Array): ExportFile {
  // Titles stored before text was checked may hold a lone surrogate, which no header can carry.
  const name = wellFormed(`${meta.agreementTitle} - ${meta.label}.${format}`).replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_');
  const bytes = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return { name, contentType: CONTENT_TYPES[format], body: bytes };
}
