/**
 * Whether this browser reads raw DEFLATE (`DecompressionStream('deflate-raw')`: Chromium 103,
 * Firefox 113, Safari 16.4). Only then does the session offer to receive the text deflated.
 */
export function canInflateRaw(): boolean {
  try {
    new DecompressionStream('deflate-raw');
    return true;
  } catch {
    return false;
  }
}

/** Raw DEFLATE bytes inflated, by the browser's own decompressor (off the page's script). */
export async function inflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
