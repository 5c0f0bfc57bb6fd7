import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { registerOfflineShell } from './offlineShell';
import { prefetchAgreement } from './agreement/prefetch';
import { parseRoute } from './router';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('Missing #root element');

registerOfflineShell();

// On an agreement's page, ask for it now rather than once the editor's code has loaded.
const route = parseRoute(window.location.pathname);
if (route.name === 'agreement') prefetchAgreement(route.id);

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
