import { lazy, Suspense } from 'react';
import { loadAgreementPage } from './agreement/loadAgreementPage';
import { useRoute } from './router';
import { ErrorBoundary } from './ui/ErrorBoundary';
import { PageMessage } from './ui/PageMessage';
import { lazyPart } from './ui/lazyPart';

// The editor (Tiptap, Yjs) is most of the code: load it only on agreement pages.
const AgreementPage = lazy(() => loadAgreementPage().then((m) => ({ default: m.AgreementPage })));
// The home page's form is not needed on an agreement page, where people spend their days.
const HomePage = lazyPart(() => import('./home/HomePage').then((m) => m.HomePage), 'Your agreements');

export function App() {
  const route = useRoute();
  switch (route.name) {
    case 'home':
      return (
        <Suspense fallback={null}>
          <HomePage />
        </Suspense>
      );
    case 'agreement':
      return (
        <ErrorBoundary key={route.id}>
          <Suspense fallback={<PageMessage title="Opening the agreement…" busy />}>
            <AgreementPage id={route.id} />
          </Suspense>
        </ErrorBoundary>
      );
    default:
      return <PageMessage title="Page not found" text="This address does not lead to an agreement." />;
  }
}
