import type { AppContext } from '../context';
import { partneringTemplate, type TemplateName } from '#shared/template';
import { writeInitialDocument } from './documentReader';

/** Gives a new agreement the first text of its template (a blank page needs nothing). */
export async function applyTemplate(ctx: AppContext, agreementId: string, title: string, template: TemplateName): Promise<void> {
  if (template === 'partnering') await writeInitialDocument(ctx, agreementId, partneringTemplate(title));
}

