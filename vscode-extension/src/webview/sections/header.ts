import { h, replaceChildren } from '../dom';
import type { PanelContext } from './context';

type HeaderCommand = 'startRouter' | 'restartRouter' | 'showLogs' | 'openConfigFile';

/** The router itself: whether it runs and where, with start/restart, the config file and the logs. */
export class HeaderSection {
  readonly element = h('section', { id: 'router', class: 'card' });

  constructor(private readonly context: PanelContext) {}

  render(): void {
    const state = this.context.store.state;
    if (!state) return;
    const router = state.router;
    const button = (label: string, command: HeaderCommand) =>
      h('button', { class: 'secondary', onclick: () => this.context.rpc.post({ type: 'command', command }) }, label);
    let line: (Node | string)[];
    let tone = 'ok';
    if (router.state === 'running' && router.proxy === 'RUNNING') {
      line = ['Router running on ', h('code', {}, router.baseUrl ?? ''), ` · ccr ${router.serverVersion ?? ''}`];
    } else if (router.state === 'running' && router.proxy === 'FAILED' && router.sharedBaseUrl) {
      tone = 'warn';
      line = [
        'Another ccr serves ',
        h('code', {}, router.sharedBaseUrl),
        ' (another window or ccr start); Claude Code’s requests go there, and this window’s router takes over when it stops.',
      ];
    } else if (router.state === 'running') {
      tone = router.proxy === 'FAILED' ? 'error' : 'warn';
      line = [router.lastError ?? `Proxy ${router.proxy?.toLowerCase() ?? ''}`];
    } else if (router.state === 'failed') {
      tone = 'error';
      line = [router.message ?? 'The router is not running.'];
    } else {
      tone = router.state === 'stopped' ? 'warn' : 'ok';
      line = [router.state === 'stopped' ? 'The router is stopped.' : 'The router is starting…'];
    }
    replaceChildren(
      this.element,
      h('h1', {}, 'Claude Code Router'),
      h('p', { id: 'router-line', class: `status ${tone}` }, ...line),
      h(
        'div',
        { class: 'actions' },
        router.state === 'running' ? button('Restart router', 'restartRouter') : button('Start router', 'startRouter'),
        button('Open config file', 'openConfigFile'),
        button('Show logs', 'showLogs'),
      ),
    );
  }
}
