// The agreement page's dynamic entry: only a re-export, so the page's own module goes with the rest of its chunk (scripts/agreementPageChunk.ts).
export { AgreementPage } from './AgreementPage';
