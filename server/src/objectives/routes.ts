import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context';
import { phaseRoutes } from './phaseRoutes';
import { stanceRoutes } from './stanceRoutes';
import { structureRoutes } from './structureRoutes';

/** The agreement's structure: stances on objectives, life-cycle phases, listings and completeness. */
export function objectiveRoutes(app: FastifyInstance, ctx: AppContext): void {
  stanceRoutes(app, ctx);
  phaseRoutes(app, ctx);
  structureRoutes(app, ctx);
}
