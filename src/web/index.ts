import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_PREFIX, createApi } from './api.js';
import type { WebDeps } from './api-context.js';
import { createStatic } from './static.js';

export type { WebDeps } from './api-context.js';
export type { RefusalMetrics } from './refusals.js';
export { signInitData } from './init-data.js';

export const WEBAPP_MOUNT = '/app/';

/**
 * The Mini App, to be mounted in the bot's HTTP server (webhook and polling alike): answers true when
 * the request was under `/app` and has been answered, false to let the server's other routes try.
 */
export type WebAppHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export function createWebApp(deps: WebDeps): WebAppHandler {
  const api = createApi(deps);
  const files = createStatic(deps.staticDir, WEBAPP_MOUNT);
  return async (req, res) => {
    const url = req.url ?? '/';
    const pathname = url.split('?')[0] ?? '/';
    if (pathname === '/app') {
      // Relative asset paths in index.html resolve against `/app/`, so the page must be opened there.
      // The query goes along: a WEBAPP_URL without the slash opens `/app?campaign=12` (the /tinjau button).
      const query = url.slice(pathname.length);
      res.writeHead(308, { location: `/app/${/^\?[\x21-\x7e]*$/.test(query) ? query : ''}` });
      res.end();
      return true;
    }
    if (!pathname.startsWith(WEBAPP_MOUNT)) return false;
    if (pathname.startsWith(API_PREFIX)) await api(req, res);
    else await files(req, res, pathname);
    return true;
  };
}
