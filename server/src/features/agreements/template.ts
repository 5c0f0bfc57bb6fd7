import { partneringTemplate, type TemplateName } from '#shared/template';
import { writeInitialDocument } from '../../documents/documentReader';
import type { RoomManager } from '../../rooms/RoomManager';

/** Gives a new agreement the first text of its template (a blank page needs nothing). */
export async function applyTemplate(rooms: RoomManager, agreementId: string, title: string, template: TemplateName): Promise<void> {
  if (template === 'partnering') await writeInitialDocument(rooms, agreementId, partneringTemplate(title));
}
