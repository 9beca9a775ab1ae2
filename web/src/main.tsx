// First of all: configures zod before any module builds a schema.
import './zod-config.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { setupI18n } from './i18n/index.js';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/records.css';
import './styles/history.css';
import './styles/audit.css';
import './styles/room.css';
import './styles/chart.css';
import './styles/chat.css';

const root = document.getElementById('root');
if (!root) throw new Error('the page has no #root element');

await setupI18n();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
