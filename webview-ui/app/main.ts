// The dashboard's entry point: picks the backend for its host (VS Code webview or browser) and mounts the app.
import { render } from 'preact';
import { routeSchema } from '../protocol/messages';
import { App } from './app';
import { createBrowserBackend, routeFromHash } from './browser-backend';
import { h } from './ui';
import { createVsCodeBackend } from './vscode-backend';
import 'uplot/dist/uPlot.min.css';
import './styles.css';

async function start(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) return;
  if (root.dataset.host === 'vscode') {
    const { backend, route } = await createVsCodeBackend();
    render(h(App, { backend, initial: route }), root);
    return;
  }
  document.body.classList.add('browser');
  const parsed = routeSchema.safeParse(routeFromHash(window.location.hash));
  const backend = await createBrowserBackend();
  render(h(App, { backend, initial: parsed.success ? parsed.data : { view: 'overview' } }), root);
}

start().catch((error: unknown) => {
  const root = document.getElementById('app');
  if (root) root.textContent = `The dashboard failed to start: ${error instanceof Error ? error.message : String(error)}`;
});
