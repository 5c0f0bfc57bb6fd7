import type { CreateThreadRequest, EditCommentRequest, MentionRequest, ReplyRequest, Thread, ThreadComment } from '#shared/threads';
import { request } from '../api';

/** Thread commands: the server checks and writes them; the change arrives through the room. */
const base = (id: string) => `/api/agreements/${encodeURIComponent(id)}`;
const threadPath = (id: string, threadId: string) => `${base(id)}/threads/${encodeURIComponent(threadId)}`;

/**
 * The server names mentions by kind and id only (it looks the names up itself and refuses
 * anything more); the composer's mentions also carry the name shown, so they are cut down here.
 */
function withBareMentions<T extends { mentions?: MentionRequest[] }>(body: T): T {
  return body.mentions ? { ...body, mentions: body.mentions.map(({ kind, id }) => ({ kind, id })) } : body;
}

export function createThread(id: string, token: string, body: CreateThreadRequest): Promise<{ thread: Thread }> {
  return request('POST', `${base(id)}/threads`, { token, body: withBareMentions(body) });
}

export function replyToThread(id: string, token: string, threadId: string, body: ReplyRequest): Promise<{ thread: Thread; comment: ThreadComment }> {
  return request('POST', `${threadPath(id, threadId)}/comments`, { token, body: withBareMentions(body) });
}

export function editComment(
  id: string,
  token: string,
  threadId: string,
  commentId: string,
  body: EditCommentRequest,
): Promise<{ thread: Thread; comment: ThreadComment }> {
  return request('PATCH', `${threadPath(id, threadId)}/comments/${encodeURIComponent(commentId)}`, { token, body: withBareMentions(body) });
}

export function deleteComment(id: string, token: string, threadId: string, commentId: string, caucus: boolean): Promise<{ thread: Thread | null }> {
  return request('DELETE', `${threadPath(id, threadId)}/comments/${encodeURIComponent(commentId)}${caucus ? '?caucus=1' : ''}`, { token });
}

export function setResolved(id: string, token: string, threadId: string, resolved: boolean, caucus: boolean): Promise<{ thread: Thread }> {
  return request('POST', `${threadPath(id, threadId)}/${resolved ? 'resolve' : 'reopen'}`, { token, body: { caucus } });
}
