import { describe, expect, it } from 'vitest';
import { appendFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as Y from 'yjs';
import { LowdbStorage } from '../../server/src/storage/lowdbStorage';
import { storageContract } from './contract';
import { removeDir, tempDir } from '../support/server';

storageContract('lowdb (embedded default)', (dataDir) => LowdbStorage.open({ dataDir }));

describe('lowdb adapter: crash leftovers', () => {
  it('ignores a torn last frame and keeps later appends readable', async () => {
    const dir = await tempDir('cg-storage-');
    try {
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      const storage = await LowdbStorage.open({ dataDir: dir });
      doc.getText('t').insert(0, 'kept');
      storage.appendUpdate('room', updates[0]);
      await storage.close();
      // What a kill -9 in the middle of a write leaves: half a frame.
      await appendFile(join(dir, 'rooms', 'room.log'), Buffer.from([200, 0, 0, 0, 1, 2, 3]));

      const reopened = await LowdbStorage.open({ dataDir: dir });
      const loaded = await reopened.loadRoom('room');
      expect(loaded).toHaveLength(1);
      doc.getText('t').insert(4, ' and more');
      reopened.appendUpdate('room', updates[1]);
      await reopened.close();

      const third = await LowdbStorage.open({ dataDir: dir });
      const replay = new Y.Doc();
      for (const u of await third.loadRoom('room')) Y.applyUpdate(replay, u);
      expect(replay.getText('t').toString()).toBe('kept and more');
      await third.close();
    } finally {
      await removeDir(dir);
    }
  });

  it('a frame damaged inside the log loses only itself: the intact frames after it load, and the log as it was is kept beside', async () => {
    const dir = await tempDir('cg-storage-');
    try {
      const storage = await LowdbStorage.open({ dataDir: dir, onDamage: () => {} });
      const writers = ['First writer. ', 'Second writer. ', 'Third writer. '].map((words) => {
        const doc = new Y.Doc();
        doc.getText('t').insert(0, words);
        storage.appendUpdate('room', Y.encodeStateAsUpdate(doc));
        return words;
      });
      await storage.close();
      // One byte flipped in the first frame's payload (a failing disk; or a write a full disk cut short, then appends after it).
      const path = join(dir, 'rooms', 'room.log');
      const log = await readFile(path);
      log[8 + 3] ^= 0xff;
      await writeFile(path, log);

      const reopened = await LowdbStorage.open({ dataDir: dir, onDamage: () => {} });
      const replay = new Y.Doc();
      for (const u of await reopened.loadRoom('room')) Y.applyUpdate(replay, u);
      await reopened.close();
      const text = replay.getText('t').toString();
      expect(text).toContain(writers[1]);
      expect(text).toContain(writers[2]);
      expect(text).not.toContain(writers[0]);
      const kept = (await readdir(join(dir, 'rooms'))).filter((name) => name.startsWith('room.log.damaged'));
      expect(kept).toHaveLength(1);
      expect(await readFile(join(dir, 'rooms', kept[0]))).toEqual(log);
    } finally {
      await removeDir(dir);
    }
  });

  it('writes metadata as plain JSON a person can read', async () => {
    const dir = await tempDir('cg-storage-');
    try {
      const storage = await LowdbStorage.open({ dataDir: dir });
      await storage.createAgreement({ id: 'a', title: 'T', createdAt: 'now', parties: [], people: [] });
      await storage.close();
      const json = JSON.parse(await readFile(join(dir, 'agreements', 'a.json'), 'utf8'));
      expect(json.title).toBe('T');
    } finally {
      await removeDir(dir);
    }
  });
});

describe('metadata written by an earlier version', () => {
  it('one agreements.json is split into one file per agreement, snapshot contexts beside their snapshots', async () => {
    const dir = await tempDir('cg-storage-');
    try {
      const agreement = { id: 'a1', title: 'T', createdAt: 'now', parties: [], people: [] };
      const snapshot = {
        id: 's1',
        agreementId: 'a1',
        label: 'L',
        createdAt: 'now',
        createdBy: { personId: 'p', name: 'B', role: 'broker' as const },
        hash: 'h',
        prevHash: null,
        reason: 'manual' as const,
        context: { phase: null, stances: {}, openThreads: { t: { body: 'open' } } },
      };
      await writeFile(join(dir, 'agreements.json'), JSON.stringify({ agreements: [agreement], snapshots: [snapshot] }));
      await mkdir(join(dir, 'snapshots', 'a1'), { recursive: true });
      await writeFile(join(dir, 'snapshots', 'a1', 's1.ydoc'), new Uint8Array([0, 0]));
      const storage = await LowdbStorage.open({ dataDir: dir });
      expect(await storage.getAgreement('a1')).toEqual(agreement);
      expect((await storage.loadSnapshot('a1', 's1'))?.record).toEqual(snapshot);
      await storage.close();
      expect(JSON.parse(await readFile(join(dir, 'agreements', 'a1.json'), 'utf8')).title).toBe('T');
      await expect(readFile(join(dir, 'agreements.json'))).rejects.toThrow();
    } finally {
      await removeDir(dir);
    }
  });
});
