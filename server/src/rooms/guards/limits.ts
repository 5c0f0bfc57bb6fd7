import { DEFAULT_UPDATE_ALLOWANCE } from '#shared/protocol';

/**
 * What one text update, and one agreement's text, may cost. A paste of a 50-page agreement
 * is a few thousand structs; typing is one. Applying 5,000 delete ranges took ~90 ms here,
 * so one update stays well under the 200 ms an event-loop stall may last.
 */
export interface UpdateLimits {
  /** Structs (insertions, attributes, formats) in one update. */
  maxStructs: number;
  /** Delete ranges in one update. */
  maxDeleteRanges: number;
  /** Characters and nodes one update inserts, attributes and marks by the characters of their values (a 150-page paste is about 450,000). */
  maxInserted: number;
  /** What one agreement's text may hold: live characters and nodes one each, attributes and marks by their characters, structs of deleted history one each (guards/textTally.ts). */
  maxDocumentItems: number;
  /** Deepest element nesting of the text (a list in a quote in a list… is a few levels). */
  maxDepth: number;
  /** Longest attribute value or mark attribute (link targets), and an objective's owners or indicators, in characters. */
  maxAttributeChars: number;
}

export const DEFAULT_UPDATE_LIMITS: UpdateLimits = {
  maxStructs: DEFAULT_UPDATE_ALLOWANCE.maxStructs,
  maxDeleteRanges: DEFAULT_UPDATE_ALLOWANCE.maxDeleteRanges,
  maxInserted: 500_000,
  maxDocumentItems: 4_000_000,
  maxDepth: 48,
  maxAttributeChars: 10_000,
};
