import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import * as syncProtocol from 'y-protocols/sync';
import { contentString, synced } from '../support/clients';
import { createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { storedContent } from '../support/stored';
import { CloseCode } from '#shared/protocol';
import { caucusRoom } from '#shared/rooms';

const harness = useHarness();

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** A valid sync update frame that would add `text` to a fresh document. */
function validUpdateFrame(text: string): Uint8Array {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment('content').insert(0, [paragraph]);
  return frame((e) => {
    encoding.writeVarUint(e, 0);
    syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc));
  });
}

/**
 * Opens a socket, sends `frames`, then (unless the server is expected to end it by itself) a
 * text frame, which always ends the connection; resolves with the close code.
 */
async function sendHostile(url: string, frames: (Uint8Array | string)[], { end = true } = {}): Promise<number> {
  const socket = new WebSocket(url);
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve) => {
    socket.once('open', () => resolve());
    socket.once('close', () => resolve());
  });
  if (socket.readyState === WebSocket.OPEN) {
    for (const f of frames) socket.send(f);
    if (end) socket.send('end');
  }
  return closed;
}

/** Hostile byte strings from a seeded generator: pure noise, and noise behind real message headers. */
function randomFrames(seed: number, count: number): Uint8Array[] {
  const gen = prng.create(seed);
  const frames: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const noise = prng.uint8Array(gen, prng.uint32(gen, 0, 64));
    switch (i % 5) {
      case 0:
      case 1:
        frames.push(noise);
        break;
      case 2: // sync step 2 or update with a garbage payload
        frames.push(
          frame((e) => {
            encoding.writeVarUint(e, 0);
            encoding.writeVarUint(e, prng.bool(gen) ? 1 : 2);
            encoding.writeVarUint8Array(e, noise);
          }),
        );
        break;
      case 3: // sync step 1 with a garbage state vector
        frames.push(
          frame((e) => {
            encoding.writeVarUint(e, 0);
            encoding.writeVarUint(e, 0);
            encoding.writeVarUint8Array(e, noise);
          }),
        );
        break;
      default: // awareness with a garbage payload
        frames.push(
          frame((e) => {
            encoding.writeVarUint(e, 1);
            encoding.writeVarUint8Array(e, noise);
          }),
        );
    }
  }
  return frames;
}

describe('hostile frames against a live server', () => {
  it('refuses malformed input, changes nothing stored, and the others keep converging', async () => {
    const s = await harness.start();
    const f = await createAgreement(s);
    const other = await createAgreement(s);
    const room = f.agreement.id;
    const url = `${s.ws}/${room}?token=${f.brokerToken}`;
    const a = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Amina', party: f.ngoId }));
    const b = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId }));
    await synced(a);
    await synced(b);
    a.text.insert(0, 'Clause 1: shared water data.');
    await waitFor(() => contentString(b.doc).includes('shared water data'), { what: 'b sees a' });
    const before = await storedContent(s, room);
    expect(before.text).toContain('shared water data');

    const bad = CloseCode.BadMessage;
    const named: [string, (Uint8Array | string)[], number][] = [
      ['a text frame', ['hello'], bad],
      ['an empty frame', [new Uint8Array(0)], bad],
      ['a truncated varint', [new Uint8Array([0x80])], bad],
      ['a truncated sync type', [new Uint8Array([0, 0xff])], bad],
      ['a payload length past the end', [new Uint8Array([0, 2, 0xff, 0xff, 0x7f, 1])], bad],
      ['an unknown message type', [new Uint8Array([9, 0])], bad],
      [
        'an unknown sync type',
        [
          frame((e) => {
            encoding.writeVarUint(e, 0);
            encoding.writeVarUint(e, 7);
            encoding.writeVarUint8Array(e, new Uint8Array([0, 0]));
          }),
        ],
        bad,
      ],
      [
        'a sync update of garbage',
        [
          frame((e) => {
            encoding.writeVarUint(e, 0);
            encoding.writeVarUint(e, 2);
            encoding.writeVarUint8Array(e, new Uint8Array([5, 200, 1, 255, 255, 255, 7, 3]));
          }),
        ],
        bad,
      ],
      [
        'an awareness update of garbage',
        [
          frame((e) => {
            encoding.writeVarUint(e, 1);
            encoding.writeVarUint8Array(e, new Uint8Array([3, 1, 1, 250, 123]));
          }),
        ],
        bad,
      ],
      [
        'an awareness state that is not JSON',
        [
          frame((e) => {
            encoding.writeVarUint(e, 1);
            encoding.writeVarUint8Array(
              e,
              frame((p) => {
                encoding.writeVarUint(p, 1);
                encoding.writeVarUint(p, 77);
                encoding.writeVarUint(p, 1);
                encoding.writeVarString(p, '{not json');
              }),
            );
          }),
        ],
        bad,
      ],
    ];
    for (const [what, frames, code] of named) {
      expect({ what, code: await sendHostile(url, frames) }).toEqual({ what, code });
    }

    // Valid frames through tokens that do not cover the room: refused before anything is read.
    const intruder = validUpdateFrame('INTRUDER');
    expect(await sendHostile(`${s.ws}/${room}?token=${other.brokerToken}`, [intruder], { end: false })).toBe(CloseCode.Forbidden);
    const ngo = await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId });
    expect(await sendHostile(`${s.ws}/${caucusRoom(room, f.businessId)}?token=${ngo}`, [intruder], { end: false })).toBe(CloseCode.Forbidden);
    const observer = await f.invite({ role: 'observer', name: 'Olu' });
    expect(await sendHostile(`${s.ws}/${room}?token=${observer}`, [intruder])).toBe(bad); // dropped, then the text frame

    // Thousands of seeded random strings, a hundred connections at a time.
    const frames = randomFrames(0xc0ffee, 2000);
    const codes = new Map<number, number>();
    for (let i = 0; i < frames.length; i += 100) {
      const batch = await Promise.all(frames.slice(i, i + 100).map((f) => sendHostile(url, [f])));
      for (const code of batch) codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    // Every connection ended with a protocol refusal, never an internal error or a crash.
    expect([...codes.keys()]).toEqual([bad]);

    expect((await fetch(`${s.http}/api/health`)).status).toBe(200);
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
    const after = await storedContent(s, room);
    expect(after).toEqual(before);
    expect(after.text).not.toContain('INTRUDER');
    const live = await s.app.ctx.rooms.with(room, (r) => ({ pending: r.doc.store.pendingStructs, connections: r.connectionCount }));
    expect(live).toEqual({ pending: null, connections: 2 });

    b.text.insert(b.text.length, ' Clause 2: joint audits.');
    a.text.insert(0, 'Preamble. ');
    await waitFor(
      () => contentString(a.doc) === contentString(b.doc) && contentString(a.doc).includes('joint audits') && contentString(a.doc).includes('Preamble'),
      { what: 'convergence after the attack' },
    );
  }, 90_000);
});
