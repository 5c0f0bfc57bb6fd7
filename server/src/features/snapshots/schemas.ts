import { EXPORT_FORMATS } from '#shared/snapshots';
import { nonEmptyText, params } from '../../http/schemas';

/** `POST /api/agreements/:id/snapshots` */
export const take = {
  params: params(),
  body: { type: 'object', required: ['label'], additionalProperties: false, properties: { label: nonEmptyText(200) } },
} as const;

/** `GET …/snapshots` */
export const list = { params: params() } as const;

/** `GET …/snapshots/:snapshotId`, `POST …/snapshots/:snapshotId/restore` */
export const one = { params: params('snapshotId') } as const;

/** `GET …/diff?from=<snapshotId>&to=<snapshotId or live>` */
export const diff = {
  params: params(),
  querystring: { type: 'object', required: ['from'], additionalProperties: false, properties: { from: { $ref: 'id#' }, to: { $ref: 'id#' } } },
} as const;

/** `GET …/snapshots/:snapshotId/export?format=md|html|docx` */
export const exportFile = {
  params: params('snapshotId'),
  querystring: { type: 'object', required: ['format'], additionalProperties: false, properties: { format: { type: 'string', enum: EXPORT_FORMATS } } },
} as const;

/** `GET …/objectives/:objectiveId/changes?party=<partyId>`: one objective since that party's stance on it. */
export const objectiveChanges = {
  params: params('objectiveId'),
  querystring: { type: 'object', required: ['party'], additionalProperties: false, properties: { party: { $ref: 'id#' } } },
} as const;
