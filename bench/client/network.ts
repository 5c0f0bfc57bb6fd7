import type { CDPSession } from 'playwright-core';

/**
 * Loads this page over a slow link, `spec` as `KBPS,RTT_MS` (`1440,562` is DevTools' "Fast 3G"):
 * Chromium's emulation, upload at half the speed. Returns the bytes the page's websockets have
 * received so far, for the text's share of the load.
 */
export async function emulateNetwork(cdp: CDPSession, spec: string): Promise<() => number> {
  const [kbps, rttMs] = spec.split(',').map(Number);
  if (!(kbps > 0) || !(rttMs >= 0)) throw new Error(`--network KBPS,RTT_MS, not ${spec}`);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: rttMs,
    downloadThroughput: (kbps * 1000) / 8,
    uploadThroughput: (kbps * 1000) / 16,
  });
  let received = 0;
  // Binary frames come base64-encoded (opcode 2), text frames as they are.
  cdp.on('Network.webSocketFrameReceived', ({ response }) => {
    received += response.opcode === 2 ? Buffer.from(response.payloadData, 'base64').length : Buffer.byteLength(response.payloadData);
  });
  return () => received;
}
