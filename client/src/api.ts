import type { AgreementView, CreateAgreementRequest, CreateAgreementResponse, InviteRequest, InviteResponse } from '#shared/protocol';
// Codes are compared as their strings (the type checks them): the ErrorCode object would bring every code into the app.
import type { ErrorCode, ErrorBody } from '#shared/errors';
import { holdPageOpen } from './ui/leaveGuard';
import { noteServerDate } from './serverClock';
import { noteServerBuild } from './appUpdate';

/** An answer from the API that was not a success, carrying the server's `{ error, code }`. */
export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached at all. */
  readonly status: number;
  /** The server's error code, to check instead of the message text (absent when it sent none). */
  readonly code: ErrorCode | undefined;

  constructor(status: number, message: string, code?: ErrorCode) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }

  /** The link was revoked or has expired: only the broker can help. */
  get accessEnded(): boolean {
    return this.status === 401 && (this.code === 'access_revoked' || this.code === 'link_expired');
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }

  /** The same request may well succeed later: the server was out of reach, overloaded or restarting. */
  get isTemporary(): boolean {
    return this.status === 0 || this.status === 429 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/** The ApiError an error answer stands for; `fallback` when it is not our JSON `{ error, code }`. */
function errorFrom(status: number, data: unknown, fallback: string): ApiError {
  const body = (data && typeof data === 'object' ? data : {}) as Partial<ErrorBody>;
  return new ApiError(status, typeof body.error === 'string' ? body.error : fallback, body.code);
}

interface RequestOptions {
  body?: unknown;
  token?: string;
  signal?: AbortSignal;
}

/** Calls the JSON API; feature folders build their calls on it. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  // A write on its way (a comment, a stance, a suggestion, a snapshot) is lost if the page closes
  // before the server has it: the browser asks first (leaveGuard.ts). Reads need no such care.
  const release = method === 'GET' ? null : holdPageOpen();
  let response: Response;
  let text: string;
  try {
    const sentAt = Date.now();
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
    noteServerDate(response.headers.get('date'), sentAt, Date.now());
    noteServerBuild(response);
    text = await response.text();
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.');
  } finally {
    release?.();
  }
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) throw errorFrom(response.status, data, `Request failed (${response.status})`);
  return data as T;
}

export function createAgreement(body: CreateAgreementRequest): Promise<CreateAgreementResponse> {
  return request('POST', '/api/agreements', { body });
}

export function getAgreement(id: string, token: string, signal?: AbortSignal): Promise<AgreementView> {
  return request('GET', `/api/agreements/${encodeURIComponent(id)}`, { token, signal });
}

export function createInvite(id: string, token: string, body: InviteRequest): Promise<InviteResponse> {
  return request('POST', `/api/agreements/${encodeURIComponent(id)}/invites`, { token, body });
}

/**
 * Fetches a file the API serves (an export) and hands it to the browser as a download,
 * keeping the token in a header rather than in a link.
 */
export async function download(path: string, token: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  } catch {
    throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.');
  }
  noteServerBuild(response);
  if (!response.ok) {
    throw errorFrom(response.status, await response.json().catch(() => undefined), `Download failed (${response.status})`);
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name ? decodeURIComponent(name) : 'export';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
