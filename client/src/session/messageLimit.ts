import { DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_UPDATE_ALLOWANCE, type UpdateAllowance } from '#shared/protocol';

let known = DEFAULT_MAX_MESSAGE_BYTES;
let allowance = DEFAULT_UPDATE_ALLOWANCE;
let loading: Promise<number> | undefined;

/** The server's largest accepted websocket message, as last published (the default until then). */
export function messageLimit(): number {
  return known;
}

/** What one update may hold and how much work the server takes from a connection, as last published. */
export function updateAllowance(): UpdateAllowance {
  return allowance;
}

/** Reads the limits the server publishes in `/api/health`, once per page. */
export function loadMessageLimit(): Promise<number> {
  loading ??= fetch('/api/health')
    .then((response) => response.json() as Promise<{ maxMessageBytes?: unknown; updateAllowance?: Partial<Record<keyof UpdateAllowance, unknown>> }>)
    .then((health) => {
      if (typeof health.maxMessageBytes === 'number' && health.maxMessageBytes > 0) known = health.maxMessageBytes;
      const published = health.updateAllowance ?? {};
      const number = (key: keyof UpdateAllowance) =>
        typeof published[key] === 'number' && (published[key] as number) > 0 ? (published[key] as number) : allowance[key];
      allowance = {
        maxStructs: number('maxStructs'),
        maxDeleteRanges: number('maxDeleteRanges'),
        workPerSecond: number('workPerSecond'),
        workBurst: number('workBurst'),
      };
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
