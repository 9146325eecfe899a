import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { render } from 'preact';
import { ApiClient, apiBase } from './api.js';
import { App } from './components/App.js';
import { launchLang } from './i18n.js';
import { onThemeChanged, post, readLaunch } from './telegram.js';
import { applyTheme } from './theme.js';

/** `?campaign=ID`, else a start parameter such as `campaign_12` or `12`. */
export function initialCampaign(search: string, startParam: string | null): string | null {
  const q = new URLSearchParams(search).get('campaign');
  if (q !== null && q !== '') return q;
  if (startParam === null || startParam === '') return null;
  const m = /^(?:campaign[_-]?|c)?([A-Za-z0-9-]+)$/.exec(startParam);
  return m?.[1] ?? null;
}

function start(): void {
  const launch = readLaunch();
  let theme = launch.themeParams;
  applyTheme(theme);
  onThemeChanged((params) => {
    theme = { ...theme, ...params };
    applyTheme(theme);
  });
  post('web_app_ready');
  post('web_app_expand');

  const root = document.getElementById('root');
  if (root === null) return;
  const api = new ApiClient(apiBase(window.location.pathname));
  const lang = launchLang(launch.rawInitData, navigator.language);
  document.documentElement.lang = lang;
  render(<App api={api} rawInitData={launch.rawInitData} initialCampaign={initialCampaign(window.location.search, launch.startParam)} launchLang={lang} />, root);
}

start();
