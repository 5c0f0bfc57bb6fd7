import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { registerOfflineShell } from './offlineShell';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('Missing #root element');

registerOfflineShell();

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
