import { useState } from 'react';
import { EXPORT_FORMATS, type ExportFormat } from '#shared/snapshots';
import { exportSnapshot } from './historyApi';
import { FormError } from '../ui/FormError';

const LABELS: Record<ExportFormat, string> = { md: 'Markdown', html: 'HTML', docx: 'Word (.docx)' };

/** Download buttons for one version (a snapshot id or `live`), plus print to PDF. */
export function ExportButtons({ agreementId, token, snapshotId, print }: { agreementId: string; token: string; snapshotId: string; print?: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const run = (format: ExportFormat) => {
    setError(null);
    exportSnapshot(agreementId, token, snapshotId, format).catch((err: Error) => setError(err.message));
  };
  return (
    <div className="history-exports" role="group" aria-label="Export">
      {EXPORT_FORMATS.map((format) => (
        <button key={format} type="button" className="button button--secondary button--small" onClick={() => run(format)}>
          {LABELS[format]}
        </button>
      ))}
      {print && (
        <button type="button" className="button button--secondary button--small" onClick={() => window.print()}>
          Print / PDF
        </button>
      )}
      <FormError message={error} />
    </div>
  );
}
