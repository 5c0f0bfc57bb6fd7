import type { JSONContent } from '@tiptap/core';
import { OBJECTIVE } from './objective';
import { findObjectives, textOf, type ObjectiveInfo } from './objectives';
import { withoutSectionNumber } from './sectionNumbers';
import { TEMPLATE_PROMPTS, TEMPLATE_SECTIONS, type TemplateSection } from './template';

/** One thing the completeness check found missing. */
export interface CompletenessGap {
  /** Template section key, or `objective:<id>` for an objective with empty fields. */
  part: string;
  /** What the person sees. */
  label: string;
  problem: 'missing' | 'empty' | 'incomplete';
  detail: string;
}

export interface Completeness {
  complete: boolean;
  gaps: CompletenessGap[];
}

interface SectionBody {
  heading: JSONContent;
  blocks: JSONContent[];
}

/** Each heading with the blocks under it, up to the next heading of the same or a higher level. */
function sections(doc: JSONContent): SectionBody[] {
  const top = doc.content ?? [];
  const result: SectionBody[] = [];
  top.forEach((node, i) => {
    if (node.type !== 'heading') return;
    const level = Number(node.attrs?.level ?? 1);
    const blocks: JSONContent[] = [];
    for (const next of top.slice(i + 1)) {
      if (next.type === 'heading' && Number(next.attrs?.level ?? 1) <= level) break;
      blocks.push(next);
    }
    result.push({ heading: node, blocks });
  });
  return result;
}

/**
 * Each template part's section, each heading taken once: first a heading titled as the part
 * ("1. Parties"), then one whose words match, a heading with none under it before one that holds
 * others. The agreement's title is a heading over the whole text, and its words ("Nairobi Water
 * Partners") made it the Parties section, covered as soon as anything anywhere was written.
 */
function sectionsOfParts(all: SectionBody[]): Map<TemplateSection, SectionBody> {
  const found = new Map<TemplateSection, SectionBody>();
  const claimed = new Set<SectionBody>();
  const claim = (candidates: SectionBody[], fits: (part: TemplateSection, heading: string) => boolean) => {
    for (const part of TEMPLATE_SECTIONS) {
      const body = found.has(part) ? undefined : candidates.find((s) => !claimed.has(s) && fits(part, textOf(s.heading)));
      if (!body) continue;
      found.set(part, body);
      claimed.add(body);
    }
  };
  const holdsHeadings = (s: SectionBody) => s.blocks.some((b) => b.type === 'heading');
  claim(all, (part, heading) => withoutSectionNumber(heading).trim().toLowerCase() === part.title.toLowerCase());
  claim(
    all.filter((s) => !holdsHeadings(s)),
    (part, heading) => part.match.test(heading),
  );
  claim(all, (part, heading) => part.match.test(heading));
  return found;
}

/** Real content: an objective block or text that is not one of the template's prompts. */
function hasContent(blocks: JSONContent[]): boolean {
  return blocks.some((b) => {
    if (b.type === 'heading') return false;
    if (b.type === OBJECTIVE) return true;
    const t = textOf(b).trim();
    return t !== '' && !TEMPLATE_PROMPTS.has(t);
  });
}

function objectiveGaps(section: TemplateSection, objectives: ObjectiveInfo[], parties: { id: string; name: string }[]): string[] {
  switch (section.objectives) {
    case 'shared':
      return objectives.some((o) => o.scope === 'shared') ? [] : ['no shared objective yet'];
    case 'own':
      return parties.filter((p) => !objectives.some((o) => o.scope === p.id)).map((p) => `no objective of ${p.name}'s own yet`);
    case 'quickWins':
      return objectives.some((o) => o.quickWin) ? [] : ['no quick win yet'];
    default:
      return [];
  }
}

const REQUIRED_FIELDS: [keyof ObjectiveInfo, string][] = [
  ['title', 'title'],
  ['intent', 'intent'],
  ['band', 'targets and band'],
  ['trigger', 'revisit trigger'],
  ['owners', 'owners'],
  ['targetDate', 'target date'],
];

/**
 * The template's parts that are still missing or empty, and objectives with empty fields.
 * Headings are recognised by their titles, numbered or not, else by their words, so reworded sections still count.
 */
export function checkCompleteness(doc: JSONContent, parties: { id: string; name: string }[]): Completeness {
  const all = sections(doc);
  const objectives = findObjectives(doc);
  const gaps: CompletenessGap[] = [];
  const parts = sectionsOfParts(all);
  for (const section of TEMPLATE_SECTIONS) {
    const body = parts.get(section);
    if (!body) {
      gaps.push({ part: section.key, label: section.title, problem: 'missing', detail: 'no section with this heading' });
      continue;
    }
    const missing = objectiveGaps(section, objectives, parties);
    if (missing.length > 0) gaps.push({ part: section.key, label: section.title, problem: 'empty', detail: missing.join('; ') });
    else if (!section.objectives && !hasContent(body.blocks))
      gaps.push({ part: section.key, label: section.title, problem: 'empty', detail: 'only the prompt so far' });
  }
  for (const o of objectives) {
    const empty = REQUIRED_FIELDS.filter(([key]) => !String(o[key]).trim()).map(([, label]) => label);
    if (empty.length > 0) {
      gaps.push({ part: `objective:${o.id}`, label: o.title || 'Untitled objective', problem: 'incomplete', detail: `empty: ${empty.join(', ')}` });
    }
  }
  return { complete: gaps.length === 0, gaps };
}
