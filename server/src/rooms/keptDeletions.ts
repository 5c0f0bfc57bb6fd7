import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { walkStructsInSlices } from './structWalk';
import { writeClientRuns } from './guards/unknownPart';

interface Run {
  clock: number;
  len: number;
}

/**
 * A doc's whole delete set, kept in Yjs's version 1 encoding and extended as transactions delete.
 * Yjs makes it anew from every struct of the doc each time it is asked (the answer to a returning
 * visitor, the update guard's known state): 59,000 structs for 40 pages reworded for months, 5 to 15 ms
 * of the event loop a visitor while others type, 70 ms the first time. Here the doc's structs are
 * walked once, when the delete set is first asked for; after that only what each transaction deletes.
 * The bytes are those Yjs writes (writers from the highest id down, runs sorted and merged).
 */
export class KeptDeletions {
  /** Per writer: its runs encoded (writer, count, clock and length of each), and runs deleted since, merged in when asked. */
  private readonly byClient = new Map<number, { encoded: Uint8Array | undefined; added: Run[] }>();
  /** The whole delete set encoded, until the next deletion. */
  private whole: Uint8Array | undefined;
  /** {@link asUpdate}'s last answer, and the delete set it holds. */
  private update: { deletions: Uint8Array; update: Uint8Array } | undefined;

  /** Follows `doc` from its delete set `runs` (by default made now from every struct, on the event loop). */
  constructor(
    private readonly doc: Y.Doc,
    runs: Map<number, Run[]> = Y.createDeleteSetFromStructStore(doc.store).clients,
  ) {
    for (const [client, clientRuns] of runs) this.byClient.set(client, { encoded: encodeRuns(client, clientRuns), added: [] });
    doc.on('afterTransaction', this.note);
  }

  /**
   * Made from the doc's structs between yields to the event loop, as a room loads: made when the first
   * visitor returned, it held every room for 19 to 37 ms. A doc that changes meanwhile is walked at once.
   */
  static async inSlices(doc: Y.Doc): Promise<KeptDeletions> {
    const runs = new Map<number, Run[]>();
    const kept = await walkStructsInSlices(
      doc,
      (client, struct) => {
        if (!struct.deleted) return;
        // Deleted structs that follow each other make one run, as in Yjs's own delete set.
        let clientRuns = runs.get(client);
        if (!clientRuns) runs.set(client, (clientRuns = []));
        const last = clientRuns.at(-1);
        if (last && last.clock + last.len === struct.id.clock) last.len += struct.length;
        else clientRuns.push({ clock: struct.id.clock, len: struct.length });
      },
      // Made (and listening) in the walk's last step: a change after it is added as it comes.
      () => new KeptDeletions(doc, runs),
    );
    return kept ?? new KeptDeletions(doc);
  }

  /** The delete set as Yjs's version 1 encoding writes it at the end of an update. */
  encoded(): Uint8Array {
    if (this.whole) return this.whole;
    const clients = [...this.byClient.keys()].sort((a, b) => b - a);
    const parts: Uint8Array[] = [];
    for (const client of clients) {
      const entry = this.byClient.get(client)!;
      if (entry.added.length > 0 || !entry.encoded) {
        entry.encoded = encodeRuns(client, merged([...(entry.encoded ? decodeRuns(entry.encoded) : []), ...entry.added]));
        entry.added = [];
      }
      parts.push(entry.encoded);
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, parts.length);
    for (const part of parts) encoding.writeUint8Array(encoder, part);
    this.whole = encoding.toUint8Array(encoder);
    return this.whole;
  }

  /** An update holding no struct and the whole delete set: what Yjs encodes for a peer that holds every struct. */
  asUpdate(): Uint8Array {
    const deletions = this.encoded();
    if (this.update?.deletions !== deletions) {
      const update = new Uint8Array(deletions.length + 1);
      update.set(deletions, 1); // a leading 0: no writer's structs
      this.update = { deletions, update };
    }
    return this.update.update;
  }

  /** Stops following the doc. */
  destroy(): void {
    this.doc.off('afterTransaction', this.note);
  }

  private readonly note = (transaction: Y.Transaction): void => {
    for (const [client, runs] of transaction.deleteSet.clients) for (const { clock, len } of runs) this.add(client, clock, len);
    // Structs that arrive deleted by their kind (a range a client had collected, Y.GC) are in no
    // transaction's delete set, yet Yjs counts them in the doc's: a page's paragraph written and removed offline.
    for (const [client, after] of transaction.afterState) {
      const before = transaction.beforeState.get(client) ?? 0;
      if (after <= before) continue;
      const structs = this.doc.store.clients.get(client)!;
      for (let i = Y.findIndexSS(structs, before); i < structs.length && structs[i].id.clock < after; i++) {
        const struct = structs[i];
        if (!struct.deleted) continue;
        const from = Math.max(struct.id.clock, before);
        this.add(client, from, Math.min(struct.id.clock + struct.length, after) - from);
      }
    }
  };

  private add(client: number, clock: number, len: number): void {
    if (len <= 0) return;
    let entry = this.byClient.get(client);
    if (!entry) this.byClient.set(client, (entry = { encoded: undefined, added: [] }));
    entry.added.push({ clock, len });
    this.whole = undefined;
  }
}

/** One writer's runs, encoded apart so an unchanged writer is not written again. */
function encodeRuns(client: number, runs: Run[]): Uint8Array {
  const encoder = encoding.createEncoder();
  writeClientRuns(encoder, client, runs);
  return encoding.toUint8Array(encoder);
}

function decodeRuns(encoded: Uint8Array): Run[] {
  const decoder = decoding.createDecoder(encoded);
  decoding.readVarUint(decoder);
  const count = decoding.readVarUint(decoder);
  const runs: Run[] = [];
  for (let i = 0; i < count; i++) runs.push({ clock: decoding.readVarUint(decoder), len: decoding.readVarUint(decoder) });
  return runs;
}

/** Runs sorted by clock, those that overlap or touch made one (as Yjs merges a delete set). */
function merged(runs: Run[]): Run[] {
  runs.sort((a, b) => a.clock - b.clock);
  const out: Run[] = [];
  for (const run of runs) {
    const last = out.at(-1);
    if (last && last.clock + last.len >= run.clock) last.len = Math.max(last.len, run.clock + run.len - last.clock);
    else out.push({ ...run });
  }
  return out;
}
