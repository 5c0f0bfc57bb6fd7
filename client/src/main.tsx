import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { registerOfflineShell } from './offlineShell';
import { prefetchAgreement } from './agreement/prefetch';
import { loadAgreementPage } from './agreement/loadAgreementPage';
import { parseRoute } from './router';
import { keepFocusPlace } from './ui/keepFocusPlace';
import { checkForUpdateOnFailedLoads } from './appUpdate';
import { warmLocaleDataWhileWaiting } from './ui/warmLocaleData';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('Missing #root element');

const route = parseRoute(window.location.pathname);
registerOfflineShell({ afterPageShown: route.name === 'agreement' });
keepFocusPlace();
checkForUpdateOnFailedLoads();

// On an agreement's page, ask for it and for the page's code now, rather than one after the other
// once React has rendered the route.
if (route.name === 'agreement') {
  prefetchAgreement(route.id);
  void loadAgreementPage();
  warmLocaleDataWhileWaiting();
}

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
