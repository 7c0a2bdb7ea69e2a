/**
 * Which runtime a page uses: the local runner when `npm start` served the page (it injected
 * its token meta tag), WebContainer otherwise. `?runtime=local` or `?runtime=webcontainer`
 * forces one. The implementations are loaded with import() so a lesson page ships neither
 * until its lab starts.
 */
import type { Runtime, RuntimeKind } from './runtime.ts';
import { TOKEN_META_NAME } from './local/protocol.ts';

export interface RuntimeChoice {
  kind: RuntimeKind;
  /** Why this one, shown in the panel. */
  reason: string;
}

export function chooseRuntime(search: string, hasRunnerToken: boolean): RuntimeChoice {
  const forced = new URLSearchParams(search).get('runtime');
  if (forced === 'local' || forced === 'webcontainer') return { kind: forced, reason: `chosen by ?runtime=${forced}` };
  if (hasRunnerToken) return { kind: 'local', reason: 'this page was served by npm start' };
  return { kind: 'webcontainer', reason: 'runs in your browser' };
}

export function choosePageRuntime(): RuntimeChoice {
  return chooseRuntime(location.search, document.querySelector(`meta[name="${TOKEN_META_NAME}"]`) !== null);
}

export async function createRuntime(kind: RuntimeKind): Promise<Runtime> {
  if (kind === 'local') {
    const { LocalRuntime } = await import('./local/local-runtime.ts');
    return new LocalRuntime();
  }
  const { WebContainerRuntime } = await import('./webcontainer/webcontainer-runtime.ts');
  return new WebContainerRuntime();
}
