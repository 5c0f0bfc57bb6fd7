import type { JSONContent } from '@tiptap/core';
import { OBJECTIVE } from '#shared/objective';
import { textOf } from '#shared/objectives';
import type { Structure } from '../objectives/useStructure';
import { PanelOpening } from '../ui/PanelOpening';
import { jumpToHeading, jumpToObjective } from './jump';

type Entry = { key: string } & (
  { kind: 'heading'; level: number; text: string; index: number } | { kind: 'objective'; id: string; text: string; status: string }
);

function outline(doc: JSONContent | null, statusOf: (id: string) => string): Entry[] {
  const entries: Entry[] = [];
  let headings = 0;
  // Entries are keyed by what they name, not by place: keyed by place, a heading added above moved the
  // keyboard's focus onto another entry (on "Governance", it sat on "Wells" after a co-writer added "Background").
  const seen = new Map<string, number>();
  const keyFor = (name: string) => {
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    return `${name}#${n}`;
  };
  const visit = (node: JSONContent) => {
    if (node.type === 'heading') {
      const [level, text] = [Number(node.attrs?.level ?? 1), textOf(node)];
      entries.push({ key: keyFor(`h${level}:${text}`), kind: 'heading', level, text, index: headings++ });
    } else if (node.type === OBJECTIVE) {
      const id = String(node.attrs?.id ?? '');
      entries.push({ key: keyFor(`o:${id}`), kind: 'objective', id, text: textOf(node.content?.[0] ?? {}), status: statusOf(id) });
    } else node.content?.forEach(visit);
  };
  if (doc) visit(doc);
  return entries;
}

/** Sections and objectives in document order; a click jumps there. */
export function OutlinePanel({ structure }: { structure: Structure }) {
  const entries = outline(structure.doc, (id) => structure.objectives.find((o) => o.id === id)?.status ?? 'waiting');
  if (!structure.doc) return <PanelOpening title="Outline" />;
  return (
    <section className="panel" aria-labelledby="outline-title">
      <h2 className="panel__title" id="outline-title">
        Outline
      </h2>
      {entries.length === 0 && <p className="panel__hint">Headings and objectives appear here.</p>}
      <ul className="outline" data-testid="outline">
        {entries.map((e) => (
          <li key={e.key} className={e.kind === 'heading' ? `outline__heading outline__heading--${e.level}` : `outline__objective status--${e.status}`}>
            <button type="button" className="link-button" onClick={() => (e.kind === 'heading' ? jumpToHeading(e.index) : jumpToObjective(e.id))}>
              {e.text || (e.kind === 'heading' ? 'Untitled section' : 'Untitled objective')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
