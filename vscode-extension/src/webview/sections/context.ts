import type { PanelRpc } from '../rpc';
import type { PanelStore } from '../store';

/** What every section works with: the page's state and the way to ask the extension. */
export interface PanelContext {
  readonly store: PanelStore;
  readonly rpc: PanelRpc;
}
