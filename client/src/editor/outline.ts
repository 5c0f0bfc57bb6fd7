import type { JSONContent } from '@tiptap/core';

/**
 * The parts most partnering-agreement frameworks agree on, as a starting outline.
 * Each heading comes with a prompt the parties replace with their own text.
 */
const SECTIONS: [string, string][] = [
  ['Parties', 'Each organisation, its mission and its representatives.'],
  ['Shared vision and objectives', 'What we aim to achieve together, and what each party wants for itself.'],
  ['Values and principles', 'Equity, transparency, mutual benefit: what they mean for us in practice.'],
  ['Activities and work plan', 'What we will do, including early quick wins with owners and dates.'],
  ['Contributions and resources', 'What each party brings, in cash and in kind.'],
  ['Roles and responsibilities', 'Who does what.'],
  ['Governance and decision-making', 'How we decide, and how we resolve disputes.'],
  ['Communication', 'How we communicate, and how we use each other’s names and logos.'],
  ['Indicators, monitoring and review', 'How we measure progress, and when we review and revise this agreement.'],
  ['Risks, confidentiality and intellectual property', 'What could go wrong, and what stays confidential.'],
  ['Moving on', 'How a party leaves, and how the partnership ends or is handed over.'],
];

export function agreementOutline(title: string): JSONContent[] {
  const content: JSONContent[] = [{ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: title }] }];
  SECTIONS.forEach(([heading, prompt], i) => {
    content.push({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: `${i + 1}. ${heading}` }] });
    content.push({ type: 'paragraph', content: [{ type: 'text', marks: [{ type: 'italic' }], text: prompt }] });
  });
  return content;
}
