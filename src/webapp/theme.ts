/**
 * Telegram's themeParams as CSS variables on :root (`--tg-theme-bg-color` …), with a light default
 * for keys the client did not send, and `color-scheme` from the background's lightness so form
 * controls and scrollbars follow.
 */
const DEFAULTS: Record<string, string> = {
  bg_color: '#ffffff',
  text_color: '#000000',
  hint_color: '#707579',
  link_color: '#2481cc',
  button_color: '#2481cc',
  button_text_color: '#ffffff',
  secondary_bg_color: '#f1f1f4',
  section_bg_color: '#ffffff',
  destructive_text_color: '#e53935',
  accent_text_color: '#2481cc',
  section_separator_color: '#e0e0e0',
  subtitle_text_color: '#707579',
  header_bg_color: '#ffffff',
};

const DARK_DEFAULTS: Record<string, string> = {
  hint_color: '#aaaaaa',
  secondary_bg_color: '#232e3c',
  section_bg_color: '#17212b',
  section_separator_color: '#2b3a4a',
  subtitle_text_color: '#aaaaaa',
  link_color: '#6ab3f3',
  accent_text_color: '#6ab3f3',
};

/** Relative luminance of #rrggbb (or #rgb), 0 (black) … 1 (white); null when unreadable. */
export function luminance(hex: string): number | null {
  let m = /^#([0-9a-f]{6})$/i.exec(hex)?.[1];
  if (m === undefined) {
    const s = /^#([0-9a-f]{3})$/i.exec(hex)?.[1];
    if (s === undefined) return null;
    m = s.replace(/./g, '$&$&');
  }
  const channel = (i: number): number => {
    const c = parseInt(m.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

export function isDark(params: Record<string, string>): boolean {
  const bg = params.bg_color;
  const l = bg === undefined ? null : luminance(bg);
  return l !== null && l < 0.25;
}

export function themeVariables(params: Record<string, string>): Record<string, string> {
  const dark = isDark(params);
  const merged: Record<string, string> = { ...DEFAULTS, ...(dark ? { ...DARK_DEFAULTS, text_color: '#ffffff' } : {}), ...params };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(merged)) out[`--tg-theme-${k.replace(/_/g, '-')}`] = v;
  return out;
}

export function applyTheme(params: Record<string, string>, root: HTMLElement = document.documentElement): void {
  for (const [name, value] of Object.entries(themeVariables(params))) root.style.setProperty(name, value);
  const dark = isDark(params);
  root.style.colorScheme = dark ? 'dark' : 'light';
  root.dataset.theme = dark ? 'dark' : 'light';
}
