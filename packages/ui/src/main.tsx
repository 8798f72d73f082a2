// The browser entry: drops the one-time token from the address bar (the server has set its
// cookie by now), loads the styles and mounts the app.
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import './styles/app.css';
import './styles/people-search.css';
import './styles/server.css';
import './styles/desktop.css';

const url = new URL(window.location.href);
if (url.searchParams.has('token')) {
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
}

createRoot(document.getElementById('root')!).render(<App />);
