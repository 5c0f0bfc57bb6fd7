import * as Y from 'yjs';
import { expect, it } from 'vitest';
import { RecordsKey, type ActivityEntry, type Author } from '#shared/records';
import type { LiveSession } from '#shared/sessions';
import { buildMinutes } from '../../server/src/features/sessions/minutes';
import type { AgreementRecord } from '../../server/src/storage/port';

// Each item's window of the session ran up to the end, the end itself left out. A decision the
// broker made and then ended the session in the same millisecond (two quick requests, a bulk
// decision and the end) was in the session but in no item of its minutes: the CI saw the
// broker's last rejection go missing from them.
const broker: Author = { personId: 'p-broker', name: 'Brook Broker', role: 'broker' };
const ENDED_AT = '2026-12-05T10:30:00.000Z';

function endedSession(): LiveSession {
  return {
    id: 's1',
    title: 'Working session',
    status: 'ended',
    agenda: [
      { id: 'i1', kind: 'free', title: 'Water', plannedMinutes: 10 },
      { id: 'i2', kind: 'free', title: 'Any other business', plannedMinutes: 5 },
    ],
    createdBy: broker,
    createdAt: '2026-12-05T10:00:00.000Z',
    startedAt: '2026-12-05T10:00:00.000Z',
    endedAt: ENDED_AT,
    currentItemId: 'i2',
    visits: [
      { itemId: 'i1', startedAt: '2026-12-05T10:00:00.000Z', by: broker },
      { itemId: 'i2', startedAt: '2026-12-05T10:20:00.000Z', by: broker },
    ],
    hands: [],
    floor: null,
    caucus: null,
    openRoundId: null,
  };
}

it('what was decided in the very millisecond the session ended is in its last item, and what came at a switch is in the item switched to', async () => {
  const doc = new Y.Doc();
  const entry = (at: string, text: string): ActivityEntry => ({ at, by: broker, kind: 'suggestion.rejected', text });
  doc
    .getArray<ActivityEntry>(RecordsKey.activity)
    .push([
      entry('2026-12-05T10:20:00.000Z', 'At the switch to the second item'),
      entry(ENDED_AT, 'In the last millisecond'),
      entry('2026-12-05T10:30:00.001Z', 'After the end'),
    ]);
  const agreement = { id: 'a1', title: 'River', parties: [], createdAt: '2026-12-05T09:00:00.000Z', people: [] } as unknown as AgreementRecord;
  const minutes = buildMinutes(doc, agreement, endedSession(), broker, undefined as never);
  expect(minutes.items.map((item) => (item.suggestionsDecided ?? []).map((s) => s.text))).toEqual([
    [],
    ['At the switch to the second item', 'In the last millisecond'],
  ]);
});
