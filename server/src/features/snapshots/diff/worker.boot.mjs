// Worker entry in plain JavaScript: it teaches this thread TypeScript (tsx), then loads
// the real worker. The main thread may run under tsx or vitest; a worker starts bare.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
