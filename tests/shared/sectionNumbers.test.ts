import { describe, expect, it } from 'vitest';
import { numberedByTitles, sectionNumberOf, withoutSectionNumber } from '#shared/sectionNumbers';
import { TEMPLATE_SECTIONS, partneringTemplate } from '#shared/template';

describe('a section number at the start of a title', () => {
  it('is read in the ways headings are numbered: "2. ", "2 ", "2.1 ", "2) ", "IV. ", and as the template numbers its own', () => {
    expect(sectionNumberOf('2. Shared objectives')).toBe('2.');
    expect(sectionNumberOf('2 Shared objectives')).toBe('2');
    expect(sectionNumberOf('2.1 Targets within the band')).toBe('2.1');
    expect(sectionNumberOf('2.1. Targets within the band')).toBe('2.1.');
    expect(sectionNumberOf('2) Shared objectives')).toBe('2)');
    expect(sectionNumberOf('IV. Values and principles')).toBe('IV.');
    expect(sectionNumberOf('XI) Moving on')).toBe('XI)');
    expect(sectionNumberOf('  11. Moving on')).toBe('11.');
    const headings = (partneringTemplate('River Restoration Partnership').content ?? [])
      .filter((n) => n.type === 'heading' && n.attrs?.level === 2)
      .map((h) => h.content?.[0]?.text ?? '');
    expect(headings.map(sectionNumberOf)).toEqual(TEMPLATE_SECTIONS.map((_, i) => `${i + 1}.`));
    expect(withoutSectionNumber('2.1 Targets within the band')).toBe('Targets within the band');
    expect(withoutSectionNumber('IV. Values and principles')).toBe('Values and principles');
  });

  // "15-minute break" or an objective "2030 targets" took the numbers off a whole agenda.
  it('is not a year, an amount or a duration that starts a title, nor a word that looks like a Roman numeral', () => {
    for (const title of [
      '15-minute break',
      '2030 targets',
      '2030. Targets',
      '500 households with safe water',
      '3rd party review',
      '10km of river restored',
      // A count or a figure before a word in lower case is part of the title, as in "3 quick wins".
      '3 quick wins',
      '1.5 days of fieldwork',
      '12 months of monitoring',
      'I think we agree',
      'Mix of funding',
      'CIVIC. Engagement',
      'Shared objectives',
      '2.',
      '',
    ]) {
      expect(sectionNumberOf(title), title).toBeNull();
      expect(withoutSectionNumber(title), title).toBe(title);
    }
  });

  it('numbers an agenda by its titles only when one of them carries a section number', () => {
    const titles = (...list: string[]) => list.map((title) => ({ title }));
    expect(numberedByTitles(titles('3. Shared objectives', 'Any other business'))).toBe(true);
    expect(numberedByTitles(titles('Introductions', 'IV. Values and principles'))).toBe(true);
    expect(numberedByTitles(titles('Shared objectives', '2030 targets', '15-minute break'))).toBe(false);
    expect(numberedByTitles(titles('Introductions', '3 quick wins', '1.5 days of fieldwork'))).toBe(false);
    expect(numberedByTitles([])).toBe(false);
  });
});
