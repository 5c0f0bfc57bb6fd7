import { download, request } from '../api';
import { LIVE, type DiffResult, type ExportFormat, type SnapshotSummary, type SnapshotView, type VerifiedSnapshot } from '#shared/snapshots';

const base = (id: string) => `/api/agreements/${encodeURIComponent(id)}`;

export const listSnapshots = (id: string, token: string, signal?: AbortSignal) =>
  request<VerifiedSnapshot[]>('GET', `${base(id)}/snapshots`, { token, signal });

export const takeSnapshot = (id: string, token: string, label: string) => request<SnapshotSummary>('POST', `${base(id)}/snapshots`, { token, body: { label } });

export const openSnapshot = (id: string, token: string, snapshotId: string) =>
  request<SnapshotView>('GET', `${base(id)}/snapshots/${encodeURIComponent(snapshotId)}`, { token });

/** `to` defaults to the live text. */
export const diffSnapshots = (id: string, token: string, from: string, to: string = LIVE) =>
  request<DiffResult>('GET', `${base(id)}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { token });

export const restoreSnapshot = (id: string, token: string, snapshotId: string) =>
  request<{ restored: SnapshotSummary; before: SnapshotSummary }>('POST', `${base(id)}/snapshots/${encodeURIComponent(snapshotId)}/restore`, { token });

/** Downloads a snapshot (or `LIVE`) as Markdown, HTML or Word. */
export const exportSnapshot = (id: string, token: string, snapshotId: string, format: ExportFormat) =>
  download(`${base(id)}/snapshots/${encodeURIComponent(snapshotId)}/export?format=${format}`, token);

/** Downloads the comparison of two versions (snapshot ids or `LIVE`) as a Word document of tracked changes, each by its author. */
export const downloadRedline = (id: string, token: string, from: string, to: string) =>
  download(`${base(id)}/redline?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, token);

/** The attributed diff of one objective from the moment `party` stated its stance on it until now. */
export const objectiveChanges = (id: string, token: string, objectiveId: string, party: string) =>
  request<DiffResult>('GET', `${base(id)}/objectives/${encodeURIComponent(objectiveId)}/changes?party=${encodeURIComponent(party)}`, { token });
