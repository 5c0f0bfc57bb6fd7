import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { Storage } from '../../server/src/storage/port';
import { removeDir, tempDir } from '../support/server';
import { waitFor } from '../support/poll';
import { peopleContract } from './peopleContract';

/** How a storage adapter is opened on a directory; opening it again on the same directory must see the same data. */
export type OpenStorage = (dataDir: string) => Promise<Storage>;

function edit(doc: Y.Doc, text: string): Uint8Array {
  let update: Uint8Array | undefined;
  const capture = (u: Uint8Array) => (update = u);
  doc.on('update', capture);
  doc.getText('t').insert(doc.getText('t').length, text);
  doc.off('update', capture);
  return update!;
}

function replay(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText('t').toString();
}

/** The storage contract: every adapter runs this suite on real files. */
export function storageContract(name: string, open: OpenStorage): void {
  describe(`storage contract: ${name}`, () => {
    const dirs: string[] = [];
    const opened: Storage[] = [];
    async function fresh(dir?: string): Promise<{ storage: Storage; dir: string }> {
      const d = dir ?? (await tempDir('cg-storage-'));
      if (!dir) dirs.push(d);
      const storage = await open(d);
      opened.push(storage);
      return { storage, dir: d };
    }
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      for (const d of dirs.splice(0)) await removeDir(d);
    });

    it('a room never written loads empty', async () => {
      const { storage } = await fresh();
      expect(await storage.loadRoom('nothing-here')).toEqual([]);
    });

    it('appended updates come back in order after a reopen', async () => {
      const { storage, dir } = await fresh();
      const doc = new Y.Doc();
      const updates = ['Parties. ', 'Vision. ', 'Objectives.'].map((t) => edit(doc, t));
      for (const u of updates) void storage.appendUpdate('room-a', u);
      await storage.close();
      const again = (await fresh(dir)).storage;
      const loaded = await again.loadRoom('room-a');
      expect(loaded.map((u) => Array.from(u))).toEqual(updates.map((u) => Array.from(u)));
      expect(replay(loaded)).toBe('Parties. Vision. Objectives.');
    });

    it('an update is on disk within 50 ms without an explicit flush', async () => {
      const { storage, dir } = await fresh();
      const doc = new Y.Doc();
      // The adapter's clock is faked so the promise holds by its own timers, whatever the machine's load.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
      try {
        void storage.appendUpdate('room-b', edit(doc, 'durable'));
        await vi.advanceTimersByTimeAsync(50);
      } finally {
        vi.useRealTimers();
      }
      // A second adapter on the same files sees only what is on disk.
      await waitFor(
        async () => {
          const reader = await open(dir);
          try {
            return replay(await reader.loadRoom('room-b')) === 'durable';
          } finally {
            await reader.close();
          }
        },
        { timeoutMs: 2000, what: "update on disk after 50 ms of the adapter's time" },
      );
    });

    it('loads updates that are queued but not yet written', async () => {
      const { storage } = await fresh();
      const doc = new Y.Doc();
      void storage.appendUpdate('room-c', edit(doc, 'queued'));
      expect(replay(await storage.loadRoom('room-c'))).toBe('queued');
    });

    it('compaction replaces the history by one state, and later appends survive it', async () => {
      const { storage, dir } = await fresh();
      const doc = new Y.Doc();
      for (let i = 0; i < 20; i++) void storage.appendUpdate('room-d', edit(doc, `${i},`));
      await storage.flush();
      expect(storage.pendingLogLength('room-d')).toBe(20);
      await storage.compactRoom('room-d', Y.encodeStateAsUpdate(doc));
      expect(storage.pendingLogLength('room-d')).toBe(0);
      void storage.appendUpdate('room-d', edit(doc, 'after'));
      await storage.close();
      const loaded = await (await fresh(dir)).storage.loadRoom('room-d');
      expect(loaded).toHaveLength(2);
      expect(replay(loaded)).toBe(doc.getText('t').toString());
    });

    // A compaction from a state encoded away (the document worker) while people type: the state holds
    // the records stored up to a mark, and those stored after it must stay in the log.
    it('a compaction up to a mark keeps the records stored after it, across a reopen', async () => {
      const { storage, dir } = await fresh();
      const doc = new Y.Doc();
      for (let i = 0; i < 10; i++) await storage.appendUpdate('room-e', edit(doc, `${i},`));
      const upTo = await storage.logMark('room-e');
      const state = Y.encodeStateAsUpdate(doc);
      // Typed while the state was being encoded: after the mark, not in the state.
      for (let i = 10; i < 15; i++) await storage.appendUpdate('room-e', edit(doc, `${i},`));
      const compacting = storage.compactRoom('room-e', state, upTo);
      // And while the adapter writes it.
      await storage.appendUpdate('room-e', edit(doc, 'during,'));
      await compacting;
      await storage.appendUpdate('room-e', edit(doc, 'after'));
      expect(storage.pendingLogLength('room-e')).toBe(7);
      await storage.close();
      const loaded = await (await fresh(dir)).storage.loadRoom('room-e');
      // The state, then the six records after the mark and the one after the compaction, in order.
      expect(loaded).toHaveLength(8);
      expect(replay(loaded.slice(0, 1))).toBe('0,1,2,3,4,5,6,7,8,9,');
      expect(replay(loaded)).toBe(doc.getText('t').toString());
    });

    it('a compaction up to a mark taken on an empty log keeps every record, and the state first', async () => {
      const { storage, dir } = await fresh();
      const doc = new Y.Doc();
      await storage.appendUpdate('room-f', edit(doc, 'stored,'));
      await storage.compactRoom('room-f', Y.encodeStateAsUpdate(doc));
      const upTo = await storage.logMark('room-f');
      const state = Y.encodeStateAsUpdate(doc);
      await storage.appendUpdate('room-f', edit(doc, 'typed,'));
      await storage.compactRoom('room-f', state, upTo);
      await storage.close();
      const loaded = await (await fresh(dir)).storage.loadRoom('room-f');
      expect(loaded).toHaveLength(2);
      expect(replay(loaded.slice(0, 1))).toBe('stored,');
      expect(replay(loaded)).toBe('stored,typed,');
    });

    it('a compaction up to a mark older than the last compaction leaves what that one stored', async () => {
      const { storage, dir } = await fresh();
      const doc = new Y.Doc();
      await storage.appendUpdate('room-g', edit(doc, 'one,'));
      const older = await storage.logMark('room-g');
      const olderState = Y.encodeStateAsUpdate(doc);
      await storage.appendUpdate('room-g', edit(doc, 'two,'));
      const newer = await storage.logMark('room-g');
      await storage.compactRoom('room-g', Y.encodeStateAsUpdate(doc), newer);
      await storage.appendUpdate('room-g', edit(doc, 'three'));
      // Two rooms of one name (one unloading, one loaded afresh) can each compact: the older state must not win.
      await storage.compactRoom('room-g', olderState, older);
      await storage.close();
      expect(replay(await (await fresh(dir)).storage.loadRoom('room-g'))).toBe('one,two,three');
    });

    it('keeps agreements and the people invited across a reopen', async () => {
      const { storage, dir } = await fresh();
      await storage.createAgreement({
        id: 'agr1',
        title: 'River Restoration Partnership',
        createdAt: '2026-11-28T00:00:00.000Z',
        parties: [{ id: 'p1', name: 'WaterAid Kenya', sector: 'ngo' }],
        people: [],
      });
      await storage.addPerson('agr1', { id: 'u1', name: 'Amina', role: 'negotiator', party: 'p1', invitedAt: '2026-11-28T00:00:00.000Z' });
      await storage.close();
      const again = (await fresh(dir)).storage;
      const record = await again.getAgreement('agr1');
      expect(record?.title).toBe('River Restoration Partnership');
      expect(record?.people.map((p) => p.name)).toEqual(['Amina']);
      expect(await again.getAgreement('missing')).toBeUndefined();
    });

    it('hands out copies: changing a record read from storage changes nothing stored', async () => {
      const { storage } = await fresh();
      const parties = [{ id: 'p1', name: 'WaterAid Kenya', sector: 'ngo' as const }];
      await storage.createAgreement({ id: 'agr9', title: 'Copies', createdAt: '2026-11-28T00:00:00.000Z', parties, people: [] });
      await storage.addPerson('agr9', { id: 'u1', name: 'Amina', role: 'negotiator', party: 'p1', invitedAt: '2026-11-28T00:00:00.000Z' });
      const read = await storage.getAgreement('agr9');
      read!.title = 'Changed by a caller';
      read!.people[0].role = 'broker';
      read!.people.push({ id: 'u2', name: 'Mallory', role: 'broker', invitedAt: '2026-11-28T00:00:00.000Z' });
      const again = await storage.getAgreement('agr9');
      expect(again?.title).toBe('Copies');
      expect(again?.people.map((p) => [p.name, p.role])).toEqual([['Amina', 'negotiator']]);
    });

    peopleContract(fresh);

    it('keeps the audit log in order, across a reopen', async () => {
      const { storage, dir } = await fresh();
      await storage.createAgreement({ id: 'agr2', title: 'Audit', createdAt: '2026-11-28T00:00:00.000Z', parties: [], people: [] });
      const by = { personId: 'u1', name: 'Amina', role: 'broker' as const };
      await storage.appendAudit('agr2', { at: '2026-11-28T00:00:01.000Z', kind: 'role.changed', by, detail: 'Amina: observer → broker' });
      await storage.appendAudit('agr2', { at: '2026-11-28T00:00:02.000Z', kind: 'export.downloaded', by, detail: 'Markdown' });
      await storage.close();
      const again = (await fresh(dir)).storage;
      expect((await again.listAudit('agr2')).map((e) => e.kind)).toEqual(['role.changed', 'export.downloaded']);
      expect(await again.listAudit('missing')).toEqual([]);
    });

    it('keeps snapshots whole: metadata and document state', async () => {
      const { storage, dir } = await fresh();
      const doc = new Y.Doc();
      edit(doc, 'as agreed on 12 March');
      const state = Y.encodeStateAsUpdate(doc);
      const record = {
        id: 's1',
        agreementId: 'agr1',
        label: 'Draft for board review',
        createdAt: '2026-11-28T00:00:00.000Z',
        createdBy: { personId: 'u1', name: 'Brook', role: 'broker' as const },
        hash: 'a'.repeat(64),
        prevHash: null,
        reason: 'manual' as const,
      };
      await storage.saveSnapshot(record, state);
      await storage.close();
      const again = (await fresh(dir)).storage;
      expect(await again.listSnapshots('agr1')).toEqual([record]);
      const loaded = await again.loadSnapshot('agr1', 's1');
      expect(replay([loaded!.state])).toBe('as agreed on 12 March');
      expect(await again.loadSnapshot('agr1', 'nope')).toBeUndefined();
      expect(await again.listSnapshots('other')).toEqual([]);
    });

    it('keeps snapshots in the order they were taken, with the records context beside them', async () => {
      const { storage, dir } = await fresh();
      const state = Y.encodeStateAsUpdate(new Y.Doc());
      const base = { agreementId: 'agr1', createdAt: '2026-11-28T00:00:00.000Z', createdBy: { personId: 'u1', name: 'Brook', role: 'broker' as const } };
      const first = { ...base, id: 's1', label: 'One', hash: '1'.repeat(64), prevHash: null, reason: 'manual' as const };
      const second = {
        ...base,
        id: 's2',
        label: 'Two',
        hash: '2'.repeat(64),
        prevHash: first.hash,
        reason: 'phase' as const,
        context: { phase: 'building', stances: { 'o1:p1': { stance: 'agree' } }, openThreads: { t1: { text: 'why?' } } },
      };
      await storage.saveSnapshot(first, state);
      await storage.saveSnapshot(second, state);
      await storage.close();
      const again = (await fresh(dir)).storage;
      // The list leaves the context out: it is read only with its snapshot.
      const { context: _context, ...secondListed } = second;
      expect(await again.listSnapshots('agr1')).toEqual([first, secondListed]);
      expect((await again.loadSnapshot('agr1', 's2'))?.record.context).toEqual(second.context);
    });

    it("tells each snapshot state's size and a stamp without reading the states, the stamp unchanged while the state is", async () => {
      const { storage, dir } = await fresh();
      const base = { agreementId: 'agr1', createdAt: '2026-11-28T00:00:00.000Z', createdBy: { personId: 'u1', name: 'Brook', role: 'broker' as const } };
      const small = Y.encodeStateAsUpdate(new Y.Doc());
      const doc = new Y.Doc();
      edit(doc, 'the parties agree to share the costs');
      const larger = Y.encodeStateAsUpdate(doc);
      await storage.saveSnapshot({ ...base, id: 's1', label: 'One', hash: '1'.repeat(64), prevHash: null, reason: 'manual' }, small);
      await storage.saveSnapshot({ ...base, id: 's2', label: 'Two', hash: '2'.repeat(64), prevHash: '1'.repeat(64), reason: 'manual' }, larger);
      const states = await storage.snapshotStates('agr1');
      expect([...states.keys()].sort()).toEqual(['s1', 's2']);
      expect(states.get('s1')?.bytes).toBe(small.byteLength);
      expect(states.get('s2')?.bytes).toBe(larger.byteLength);
      expect(states.get('s1')?.stamp).toBeTruthy();
      await storage.close();
      const again = (await fresh(dir)).storage;
      expect(await again.snapshotStates('agr1')).toEqual(states);
      expect((await again.snapshotStates('other')).size).toBe(0);
    });
  });
}
