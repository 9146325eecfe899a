import {
  on,
  postEvent,
  retrieveLaunchParams,
  retrieveRawInitData,
  type EventListener,
  type RetrieveLaunchParamsResult,
} from '@tma.js/bridge';

/** What the page needs from Telegram's launch parameters (the URL fragment). */
export interface Launch {
  rawInitData: string | null;
  themeParams: Record<string, string>;
  version: string;
  platform: string;
  startParam: string | null;
}

export function readLaunch(): Launch {
  const raw = safeRawInitData();
  let lp: RetrieveLaunchParamsResult;
  try {
    lp = retrieveLaunchParams();
  } catch {
    return { rawInitData: raw, themeParams: {}, version: '', platform: '', startParam: null };
  }
  const themeParams: Record<string, string> = {};
  for (const [k, v] of Object.entries(lp.tgWebAppThemeParams)) {
    if (typeof v === 'string') themeParams[k] = v;
  }
  return {
    rawInitData: raw,
    themeParams,
    version: lp.tgWebAppVersion,
    platform: lp.tgWebAppPlatform,
    startParam: lp.tgWebAppStartParam ?? null,
  };
}

function safeRawInitData(): string | null {
  try {
    return retrieveRawInitData() ?? null;
  } catch {
    return null;
  }
}

/**
 * Posts a Mini Apps method; outside Telegram (a plain browser tab opened for development) there is
 * nobody to post to, and the page works without it.
 */
export function post(method: 'web_app_ready' | 'web_app_expand'): boolean;
export function post(method: 'web_app_setup_main_button', params: MainButtonParams): boolean;
export function post(method: 'web_app_setup_back_button', params: { is_visible: boolean }): boolean;
export function post(method: 'web_app_open_link', params: { url: string }): boolean;
export function post(method: string, params?: unknown): boolean {
  // The overloads above are the only callers; the bridge's own overloads are stricter than needed.
  try {
    Reflect.apply(postEvent, undefined, params === undefined ? [method] : [method, params]);
    return true;
  } catch (e) {
    console.debug('[tma] not posted', method, e);
    return false;
  }
}

export interface MainButtonParams {
  is_visible: boolean;
  is_active?: boolean;
  is_progress_visible?: boolean;
  text?: string;
  color?: `#${string}`;
  text_color?: `#${string}`;
}

export function onThemeChanged(fn: (params: Record<string, string>) => void): () => void {
  const listener: EventListener<'theme_changed'> = (payload) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(payload.theme_params)) if (typeof v === 'string') out[k] = v;
    fn(out);
  };
  return on('theme_changed', listener);
}

export function onMainButton(fn: () => void): () => void {
  return on('main_button_pressed', fn);
}

export function onBackButton(fn: () => void): () => void {
  return on('back_button_pressed', fn);
}
