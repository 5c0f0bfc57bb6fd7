import { closeSync, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';

/** Writes `data` from `offset` on to an open file, returning how many bytes it wrote (node's `writeSync`). */
export type AppendSync = (fd: number, data: Uint8Array, offset: number) => number;

/**
 * The rooms' update logs, each held open for appending: opening and closing the file on every
 * append cost ~200 µs. An append is whole or not there at all.
 */
export class LogFiles {
  private readonly fds = new Map<string, number>();

  constructor(
    private readonly pathOf: (room: string) => string,
    private readonly write: AppendSync = writeSync,
  ) {}

  /** Appends `frames` to a room's log; throws, with nothing of them left in the log, when the disk refuses them. */
  append(room: string, frames: Buffer): void {
    let fd = this.fds.get(room);
    if (fd === undefined) {
      fd = openSync(this.pathOf(room), 'a');
      this.fds.set(room, fd);
    }
    const size = fstatSync(fd).size;
    try {
      let written = 0;
      while (written < frames.length) written += this.write(fd, frames, written);
    } catch (err) {
      // A write the full disk cut short leaves part of a frame. Readers stop at a torn frame, so
      // whatever was appended after it, once space was back, was cut off at the next load.
      ftruncateSync(fd, size);
      throw err;
    }
  }

  close(room: string): void {
    const fd = this.fds.get(room);
    if (fd === undefined) return;
    this.fds.delete(room);
    closeSync(fd);
  }

  closeAll(): void {
    for (const room of [...this.fds.keys()]) this.close(room);
  }
}
