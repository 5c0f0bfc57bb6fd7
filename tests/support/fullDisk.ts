import { writeSync } from 'node:fs';
import type { AppendSync } from '../../server/src/storage/logFiles';

/** A disk a test fills and frees (see {@link fillableDisk}); `write` is given to LowdbStorage as its `writeSync`. */
export interface FillableDisk {
  full: boolean;
  write: AppendSync;
}

/**
 * A disk that fills up the way Linux reports it: the write that reaches the end of the space is
 * cut short (part of its bytes land), the next one fails with ENOSPC; nothing more lands until
 * `full` is set back to false (space freed).
 */
export function fillableDisk(): FillableDisk {
  const cutShort = new WeakSet<Uint8Array>();
  const disk: FillableDisk = {
    full: false,
    write: (fd, data, offset) => {
      if (!disk.full) return writeSync(fd, data, offset);
      const room = Math.floor((data.byteLength - offset) / 2);
      if (room > 0 && !cutShort.has(data)) {
        cutShort.add(data);
        return writeSync(fd, data, offset, room);
      }
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    },
  };
  return disk;
}
