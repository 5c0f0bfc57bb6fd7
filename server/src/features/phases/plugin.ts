import type { ApiPlugin } from '../../http/schemas';
import * as schemas from './schemas';
import type { PhaseService } from './service';

/** The life-cycle phase (in the agreement scope). */
export const phasesPlugin: ApiPlugin<{ phases: PhaseService }> = async (app, { phases }) => {
  app.post('/phase', { schema: schemas.setPhase, config: { may: 'setPhase' } }, async (request) =>
    phases.set(request.me, request.agreement, request.body.phase, request.body.reason),
  );
};
