import { LIVE, type ExportFormat, type ProseMirrorJSON } from '#shared/snapshots';
import type { AgreementRecord } from '../../../storage/port';
import type { DocumentWorker } from '../diff/DocumentWorker';
import type { SnapshotService } from '../service';
import { toDocx } from './docx';
import { toHtml } from './html';
import { toMarkdown } from './markdown';
import type { ExportInput, ExportMeta } from './meta';
import { wellFormed } from '#shared/text';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export interface ExportFile {
  name: string;
  /** The name with anything outside plain ASCII replaced, for the old filename parameter. */
  asciiName: string;
  contentType: string;
  body: string | Buffer;
}

/** The headers that hand a file to the browser as a download under its name (ASCII fallback first). */
export function attachmentHeaders(file: ExportFile): Record<string, string> {
  return {
    'content-type': file.contentType,
    'content-disposition': `attachment; filename="${file.asciiName}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
  };
}

/** A snapshot (or the live text, `LIVE`) as a file, named by agreement and version. */
export async function exportDocument(
  snapshots: SnapshotService,
  worker: DocumentWorker,
  agreement: AgreementRecord,
  snapshotId: string,
  format: ExportFormat,
): Promise<ExportFile> {
  const { meta, content } = await version(snapshots, worker, agreement, snapshotId);
  return renderFile({ meta: { ...meta, parties: agreement.parties.map(({ id, name }) => ({ id, name })) }, content }, format);
}

/** Renders a fingerprinted document (a snapshot, the live text, a session's minutes) as a file named by agreement and label. */
export async function renderFile(input: ExportInput, format: ExportFormat): Promise<ExportFile> {
  const body = format === 'md' ? toMarkdown(input) : format === 'html' ? toHtml(input) : await toDocx(input);
  // Titles stored before text was checked may hold a lone surrogate, which no header can carry.
  const name = wellFormed(`${input.meta.agreementTitle} - ${input.meta.label}.${format}`).replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_');
  return { name, asciiName: name.replace(/[^\x20-\x7e]/g, '_'), contentType: CONTENT_TYPES[format], body };
}

async function version(
  snapshots: SnapshotService,
  worker: DocumentWorker,
  agreement: AgreementRecord,
  snapshotId: string,
): Promise<{ meta: ExportMeta; content: ProseMirrorJSON }> {
  if (snapshotId === LIVE) {
    // The live text is fingerprinted as the chain's next link would be.
    const prevHash = await snapshots.lastHash(agreement.id);
    const { content, hash } = await worker.run({ kind: 'content', state: await snapshots.liveState(agreement.id), prevHash });
    return { meta: { agreementTitle: agreement.title, label: 'Live text', createdAt: new Date().toISOString(), hash, prevHash, live: true }, content };
  }
  const view = await snapshots.open(agreement.id, snapshotId);
  return {
    meta: { agreementTitle: agreement.title, label: view.label, createdAt: view.createdAt, hash: view.hash, prevHash: view.prevHash, live: false },
    content: view.content,
  };
}
