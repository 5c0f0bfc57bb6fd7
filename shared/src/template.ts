import type { JSONContent } from '@tiptap/core';
import { withoutSectionNumber } from './sectionNumbers';

/** How a new agreement starts: the partnering-agreement template or a blank page. */
export const TEMPLATES = ['partnering', 'blank'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

/** A part of a partnering agreement (the parts common frameworks agree on, such as the Partnering Initiative's scorecard), with the prompt the template shows for it. */
export interface TemplateSection {
  key: string;
  title: string;
  prompt: string;
  /** Recognises this part's heading however it was numbered or reworded. */
  match: RegExp;
  /** Filled by objective blocks rather than by text: the completeness check looks for those. */
  objectives?: 'shared' | 'own' | 'quickWins';
}

export const TEMPLATE_SECTIONS: TemplateSection[] = [
  { key: 'parties', title: 'Parties', prompt: 'Each organisation, its mission and its representatives.', match: /\bpart(y|ies|ners)\b/i },
  { key: 'vision', title: 'Shared vision', prompt: 'The change we want to see together, in a few sentences.', match: /vision/i },
  {
    key: 'sharedObjectives',
    title: 'Shared objectives',
    prompt: 'Insert an objective block for each objective all parties share: a fixed intent, targets within an agreed band, and when to revisit them.',
    match: /shared objectives?/i,
    objectives: 'shared',
  },
  {
    key: 'ownObjectives',
    title: "Each party's own objectives",
    prompt: 'What each party wants for itself from the partnership, side by side: one objective block per party objective.',
    match: /own objectives?|objectives and interests/i,
    objectives: 'own',
  },
  {
    key: 'principles',
    title: 'Values and principles',
    prompt: 'Equity, transparency, mutual benefit: what they mean for us in practice.',
    match: /principles|values/i,
  },
  {
    key: 'workPlan',
    title: 'Work plan and quick wins',
    prompt: 'What we will do and when, including a few small, early, visible successes (mark those objectives as quick wins) with owners and dates.',
    match: /work ?plan|activities|quick wins?/i,
    objectives: 'quickWins',
  },
  { key: 'contributions', title: 'Contributions and resources', prompt: 'What each party brings, in cash and in kind.', match: /contributions?|resources/i },
  { key: 'roles', title: 'Roles and responsibilities', prompt: 'Who does what.', match: /roles|responsibilit/i },
  { key: 'governance', title: 'Governance and decision-making', prompt: 'How we decide together, and how we resolve disputes.', match: /governance|decision/i },
  {
    key: 'communication',
    title: 'Communication',
    prompt: 'How we keep each other informed, and how we use each other’s names and logos.',
    match: /communicat/i,
  },
  {
    key: 'indicators',
    title: 'Indicators and review points',
    prompt: 'How we measure progress, and when we review and revise this agreement.',
    match: /indicators?|monitoring|review/i,
  },
  {
    key: 'risks',
    title: 'Risks and confidentiality',
    prompt: 'What could go wrong, what stays confidential, who owns what we create.',
    match: /risks?|confidential/i,
  },
  { key: 'movingOn', title: 'Moving on', prompt: 'How a party leaves, and how the partnership ends or is handed over.', match: /moving on|exit|ending/i },
];

/**
 * The prompts. Templates made before prompts became placeholders wrote them into the text
 * (in italics); the server strips them on load (`server/src/objectives/promptMigration.ts`).
 */
export const TEMPLATE_PROMPTS = new Set(TEMPLATE_SECTIONS.map((s) => s.prompt));

const text = (value: string): JSONContent => ({ type: 'text', text: value });

/**
 * The initial document of a new agreement made from the partnering template: a heading per
 * part and an empty paragraph under it. The prompt is a placeholder the editor shows in the
 * empty paragraph ({@link promptForHeading}), never text: it cannot be exported, counted as
 * content or typed over.
 */
export function partneringTemplate(title: string): JSONContent {
  const content: JSONContent[] = [{ type: 'heading', attrs: { level: 1 }, content: [text(title)] }];
  TEMPLATE_SECTIONS.forEach((section, i) => {
    content.push({ type: 'heading', attrs: { level: 2 }, content: [text(`${i + 1}. ${section.title}`)] });
    content.push({ type: 'paragraph' });
  });
  return { type: 'doc', content };
}

/** The template part a heading stands for: by its title (numbered or not), else by its words. */
export function sectionForHeading(heading: string): TemplateSection | undefined {
  const bare = withoutSectionNumber(heading).trim().toLowerCase();
  return TEMPLATE_SECTIONS.find((s) => s.title.toLowerCase() === bare) ?? TEMPLATE_SECTIONS.find((s) => s.match.test(heading));
}

/** The prompt to show in an empty paragraph under a heading, if the heading is a template part's. */
export function promptForHeading(heading: string): string | undefined {
  return sectionForHeading(heading)?.prompt;
}
