import { expect, it } from 'vitest';
import { LowdbStorage } from '../../server/src/storage/lowdbStorage';
import { fillableDisk } from '../support/fullDisk';
import { cast, editorText, useStage, waitForConnection, waitForText, writeAtEnd } from './browser';

const disk = fillableDisk();
const stage = useStage({}, (dataDir) => LowdbStorage.open({ dataDir, writeSync: disk.write, onError: () => {} }));

it('a full disk: the page says the server cannot store changes and keeps them; once space is back they reach the others', async () => {
  const c = await cast(stage.server);
  const ngo = await stage.join(c.url(c.ngo));
  const business = await stage.join(c.url(c.business));
  await ngo.page.bringToFront();
  await writeAtEnd(ngo.page, 'Clause 1. Stored before the disk filled.');
  await waitForText(business.page, 'Stored before the disk filled.');

  disk.full = true;
  try {
    await ngo.page.bringToFront();
    await writeAtEnd(ngo.page, ' Typed while the disk was full.');
    // Told why, not only "Reconnecting…": the banner comes after a few refused attempts.
    const banner = ngo.page.getByTestId('connection-failing');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toContain('cannot store changes');
    expect(await editorText(business.page)).not.toContain('Typed while the disk was full.');
  } finally {
    disk.full = false;
  }
  await waitForText(business.page, 'Typed while the disk was full.', 30_000);
  await waitForConnection(ngo.page, 'live', 30_000);
  expect(ngo.errors).toEqual([]);
});
