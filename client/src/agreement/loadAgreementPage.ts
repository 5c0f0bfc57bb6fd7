/**
 * The agreement page's code (Tiptap, ProseMirror, the panels): its own chunk, loaded only on agreement
 * pages. The entry asks for it at once on such a page (main.tsx), before React renders the route.
 */
export const loadAgreementPage = () => import('./agreementPageEntry');
