import * as Y from 'yjs';
import { OBJECTIVE_TEXT_FACTS } from '#shared/objective';
import { UpdateDeclined } from './updateCost';
import { refuse } from './attributeRules';

/** The objective's fields holding a fact typed as text (owners, indicators). */
export const FACT_FIELDS: ReadonlySet<string> = new Set(OBJECTIVE_TEXT_FACTS.map((f) => f.node));

/** A fact field's text: a live one, or the update's own item that creates it. */
type FactText = Y.XmlText | Y.Item;

/**
 * An objective's owners and indicators are plain text of bounded length, as they were when they
 * were attributes (`maxAttributeChars`): the validator notes the characters an update types into
 * each, and refuses a mark there; `check` runs once it is read. Two people's words merged may
 * pass the bound together though each kept under it alone: that is declined (the later one's
 * page reloads the text as the server has it), not refused.
 */
export class FactFieldText {
  private readonly typed = new Map<FactText, number>();

  /** Characters an update puts into a fact field's text. */
  added(text: FactText, chars: number): void {
    this.typed.set(text, (this.typed.get(text) ?? 0) + chars);
  }

  /** A mark put on a fact field's text (removing one, `null`, changes nothing anyone sees). */
  marked(field: string, value: unknown): void {
    if (value !== null) refuse(`${field} holds plain text, without marks`);
  }

  check(maxChars: number): void {
    for (const [text, chars] of this.typed) {
      const held = text instanceof Y.XmlText ? text.length : 0;
      if (held + chars > maxChars)
        throw new UpdateDeclined(`an objective's owners or indicators hold at most ${maxChars} characters (${held + chars} with this change)`);
    }
  }
}
