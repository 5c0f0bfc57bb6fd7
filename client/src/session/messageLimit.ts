import { DEFAULT_MAX_MESSAGE_BYTES } from '#shared/protocol';

let known = DEFAULT_MAX_MESSAGE_BYTES;
let loading: Promise<number> | undefined;

/** The server's largest accepted websocket message, as last published (the default until then). */
export function messageLimit(): number {
  return known;
}

/** Reads the limit the server publishes in `/api/health`, once per page. */
export function loadMessageLimit(): Promise<number> {
  loading ??= fetch('/api/health')
    .then((response) => response.json() as Promise<{ maxMessageBytes?: unknown }>)
    .then((health) => {
      if (typeof health.maxMessageBytes === 'number' && health.maxMessageBytes > 0) known = health.maxMessageBytes;
      return known;
    })
    .catch(() => known);
  return loading;
}

/** "10.2 MB", "64 kB": sizes as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${bytes} bytes`;
}
