import type { AuditEntry } from '#shared/access';

const COLUMNS = ['at', 'kind', 'by', 'by role', 'subject', 'subject role', 'detail'] as const;

/** The audit log as CSV (RFC 4180), one row per entry, safe to open in a spreadsheet. */
export function auditCsv(entries: AuditEntry[]): string {
  const rows = entries.map((e) => [e.at, e.kind, e.by?.name ?? '', e.by?.role ?? '', e.subject?.name ?? '', e.subject?.role ?? '', e.detail]);
  return [COLUMNS, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

function cell(value: string): string {
  // A cell starting with = + - @ (or a tab/CR) is a formula to a spreadsheet: a name like
  // "=HYPERLINK(…)" must read as text, so it gets a leading apostrophe (OWASP's advice).
  const defused = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${defused.replaceAll('"', '""')}"`;
}
