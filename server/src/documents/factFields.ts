import * as Y from 'yjs';
import { contentFragment } from '#shared/anchors';
import { OBJECTIVE, OBJECTIVE_TEXT_FACTS } from '#shared/objective';
import { parseRoom } from '#shared/rooms';
import { documentSchema } from '#shared/schema';
import type { Room } from '../rooms/Room';
import type { RoomExtension } from '../rooms/extension';
import { SERVER_ORIGIN, type TransactionOrigin } from '../rooms/origin';

const FACT_FIELDS = new Set<string>(OBJECTIVE_TEXT_FACTS.map((f) => f.node));

/**
 * Texts stored before an objective's owners and indicators were fields held them as the
 * objective's attributes, which Yjs syncs whole: of two people typing the owners at once, one
 * lost their words. This gives each objective missing them its owners and indicators fields,
 * holding the attributes' words, and empties the attributes (a migrated text reads, hashes and
 * exports as before: see `foldedObjective`). Answers how many objectives it changed; a migrated
 * text has none left. Objectives nest in lists and quotes: walked with a loop, not recursion.
 */
export function moveFactsIntoFields(fragment: Y.XmlFragment): number {
  let changed = 0;
  const stack: (Y.XmlFragment | Y.XmlElement)[] = [fragment];
  while (stack.length > 0) {
    const parent = stack.pop()!;
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (child.nodeName !== OBJECTIVE) {
        // Objectives sit in the text or in lists and quotes, never in a paragraph or heading.
        if (!documentSchema().nodes[child.nodeName]?.isTextblock) stack.push(child);
        continue;
      }
      const held = new Set(child.toArray().map((c) => (c instanceof Y.XmlElement ? c.nodeName : '')));
      const missing = OBJECTIVE_TEXT_FACTS.filter((f) => !held.has(f.node));
      if (missing.length === 0) continue;
      const fields = missing.map((fact) => {
        const value = child.getAttribute(fact.key) as unknown;
        if (value !== undefined && value !== '') child.setAttribute(fact.key, '');
        const field = new Y.XmlElement(fact.node);
        field.insert(0, [new Y.XmlText(typeof value === 'string' ? value : '')]);
        return field;
      });
      child.insert(child.length, fields);
      changed++;
    }
  }
  return changed;
}

/**
 * Gives each owners or indicators field a transaction left without text (created empty, or emptied)
 * its (empty) Y.XmlText. y-prosemirror writes an empty field with none, so the first words two
 * people type into one at once made two texts side by side, which its editors then merged into each
 * other, repeating a letter. With the one text there, their words merge character by character.
 */
export function giveFactFieldsText(doc: Y.Doc, transaction: Y.Transaction): void {
  const empty: Y.XmlElement[] = [];
  for (const type of transaction.changed.keys()) if (type instanceof Y.XmlElement && FACT_FIELDS.has(type.nodeName) && type.length === 0) empty.push(type);
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0;
    const structs = doc.store.clients.get(client);
    if (!structs || after <= before) continue;
    for (let i = Y.findIndexSS(structs, before); i < structs.length && structs[i].id.clock < after; i++) {
      const struct = structs[i];
      if (!(struct instanceof Y.Item) || struct.deleted || !(struct.content instanceof Y.ContentType)) continue;
      const field = struct.content.type;
      if (field instanceof Y.XmlElement && FACT_FIELDS.has(field.nodeName) && field.length === 0) empty.push(field);
    }
  }
  if (empty.length === 0) return;
  doc.transact(() => {
    for (const field of empty) if (field.length === 0 && !field._item?.deleted) field.insert(0, [new Y.XmlText()]);
  }, SERVER_ORIGIN);
}

/** Moves a content room's objective facts into their fields as it loads, and gives new fields their text, as the server. */
export const objectiveFactFields: RoomExtension = {
  afterLoad(room: Room): void {
    if (parseRoom(room.name)?.kind !== 'content') return;
    const fragment = contentFragment(room.doc);
    room.doc.transact(() => moveFactsIntoFields(fragment), SERVER_ORIGIN);
  },
  onChange(room: Room, transaction: Y.Transaction, origin: TransactionOrigin): void {
    if (origin === SERVER_ORIGIN || parseRoom(room.name)?.kind !== 'content') return;
    giveFactFieldsText(room.doc, transaction);
  },
};
