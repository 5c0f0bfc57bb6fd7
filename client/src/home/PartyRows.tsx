import { SECTORS, SECTOR_LABELS, type Sector } from '#shared/roles';
import { partyColor } from '#shared/colors';

export interface PartyDraft {
  key: number;
  name: string;
  sector: Sector;
}

interface Props {
  rows: PartyDraft[];
  onChange: (rows: PartyDraft[]) => void;
  newKey: () => number;
}

/** Partnerships join NGOs, businesses and public bodies: a new row suggests the first of these not yet in the list. */
const SUGGESTED: Sector[] = ['ngo', 'business', 'public'];

export function newPartyRow(key: number, rows: PartyDraft[]): PartyDraft {
  const sector = SUGGESTED.find((s) => !rows.some((r) => r.sector === s)) ?? 'ngo';
  return { key, name: '', sector };
}

/** Editable list of the organisations in the partnership. */
export function PartyRows({ rows, onChange, newKey }: Props) {
  const update = (key: number, patch: Partial<PartyDraft>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <fieldset className="party-rows">
      <legend className="field__label">Parties</legend>
      <p className="field__hint">The organisations in the partnership. Each gets its own colour in the editor.</p>
      <ol className="party-rows__list">
        {rows.map((row, i) => (
          <li key={row.key} className="party-row" data-testid="party-row">
            <span className="party-row__swatch" style={{ backgroundColor: partyColor(i) }} aria-hidden="true" />
            <input
              aria-label={`Party ${i + 1} name`}
              placeholder={i === 0 ? 'e.g. WaterAid Kenya' : i === 1 ? 'e.g. Aqua Bottling Ltd' : 'Organisation name'}
              value={row.name}
              maxLength={120}
              onChange={(e) => update(row.key, { name: e.target.value })}
            />
            <select aria-label={`Party ${i + 1} sector`} value={row.sector} onChange={(e) => update(row.key, { sector: e.target.value as Sector })}>
              {SECTORS.map((s) => (
                <option key={s} value={s}>
                  {SECTOR_LABELS[s]}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove party ${i + 1}`}
              title="Remove"
              onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
            >
              ×
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="button button--ghost" onClick={() => onChange([...rows, newPartyRow(newKey(), rows)])}>
        + Add party
      </button>
    </fieldset>
  );
}
