/**
 * The settings panel's page. It renders what the extension sends (`ToWebview`) and sends what the user does
 * (`FromWebview`); it holds no secret: a typed API key goes out once with the form and is cleared from the field, and
 * the page never receives a key. Nothing is stored with `setState`, so nothing lingers in the webview's state.
 *
 * This file wires the page: the store (store.ts) holds what the extension sent, the RPC helper (rpc.ts) matches
 * requests with their replies, and each section (sections/) renders one card from the store.
 */
import type { ToWebview } from '../panel/messages';
import { replaceChildren } from './dom';
import { PanelRpc, type VsCodeApi } from './rpc';
import { CacheAndLimitsSection } from './sections/cacheAndLimits';
import { ClaudeSection } from './sections/claude';
import type { PanelContext } from './sections/context';
import { EndpointFormSection } from './sections/endpointForm';
import { EndpointsSection, showTestProgress } from './sections/endpoints';
import { HeaderSection } from './sections/header';
import { RoutingSection } from './sections/routing';
import { StatsSection } from './sections/stats';
import { PanelStore } from './store';

declare function acquireVsCodeApi(): VsCodeApi;

const context: PanelContext = { store: new PanelStore(), rpc: new PanelRpc(acquireVsCodeApi()) };
const { store, rpc } = context;

const header = new HeaderSection(context);
const claude = new ClaudeSection(context);
// The form announces a saved endpoint in the endpoints section, which opens it.
const form: EndpointFormSection = new EndpointFormSection(context, () => endpoints.outcome);
const endpoints: EndpointsSection = new EndpointsSection(context, (mode, endpoint) => form.open(mode, endpoint));
const routing = new RoutingSection(context);
const cacheAndLimits = new CacheAndLimitsSection(context);
const stats = new StatsSection(context);

replaceChildren(
  document.getElementById('app')!,
  ...[header, claude, endpoints, form, routing, cacheAndLimits, stats].map((section) => section.element),
);

function renderAll(): void {
  header.render();
  claude.render();
  endpoints.render();
  if (!store.dirty.has('routing')) routing.render();
  if (!store.dirty.has('cache') && !store.dirty.has('limits')) cacheAndLimits.render();
  stats.render();
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'state':
      store.state = message.state;
      renderAll();
      break;
    case 'stats':
      store.setStats(message);
      stats.render();
      endpoints.render();
      break;
    case 'requestsCompleted':
      store.addCompleted(message.requests);
      stats.render();
      break;
    case 'reply':
      rpc.replied(message);
      break;
    case 'testProgress':
      showTestProgress(
        message.id,
        `${message.step.toLowerCase().replace('_', ' ')}: ${message.message}`,
        message.state,
      );
      break;
    case 'testResult':
      break; // the reply that follows carries the message
  }
});

rpc.post({ type: 'ready' });
