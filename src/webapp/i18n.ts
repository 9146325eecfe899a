/**
 * The page's texts come from the session answer (`messages`, the user's language); nothing
 * user-visible is written here except the few texts shown before they arrive (`PRESESSION`).
 */
export type Lang = 'id' | 'en';

/**
 * The few screens shown before the session answer (or instead of it, when it is refused): the same
 * words as the locale files' `webapp` keys, which the page cannot import (it only reads the API).
 * test/webapp/presession.test.ts keeps the two equal.
 */
export const PRESESSION_KEYS = ['loading', 'errorNoInitData', 'errorInvalid', 'errorExpired', 'errorForbidden', 'errorGeneric', 'errorNetwork'] as const;
export type PresessionKey = (typeof PRESESSION_KEYS)[number];

export const PRESESSION: Record<Lang, Record<PresessionKey, string>> = {
  id: {
    loading: 'Memuat…',
    errorNoInitData: 'Buka halaman ini dari Telegram (tombol 📊 Buka tabel di /tinjau).',
    errorInvalid: 'Tanda tangan Telegram tidak sah. Tutup lalu buka lagi tabelnya dari Telegram.',
    errorExpired: 'Sesi dari Telegram sudah kedaluwarsa. Tutup lalu buka lagi tabelnya.',
    errorForbidden: 'Tabel ini hanya untuk petugas kementerian di tim kampanye.',
    errorGeneric: 'Maaf, terjadi kesalahan. Silakan coba lagi sebentar lagi.',
    errorNetwork: 'Tidak dapat terhubung. Periksa koneksi lalu coba lagi.',
  },
  en: {
    loading: 'Loading…',
    errorNoInitData: 'Open this page from Telegram (the 📊 Open table button in /tinjau).',
    errorInvalid: "Telegram's signature is not valid. Close the table and open it again from Telegram.",
    errorExpired: 'The session from Telegram has expired. Close the table and open it again.',
    errorForbidden: "This table is only for ministry officials on the campaign's team.",
    errorGeneric: 'Sorry, something went wrong. Please try again in a moment.',
    errorNetwork: 'Cannot connect. Check the connection and try again.',
  },
};

/** A text of the screens before the session, in `lang`; an unknown key gets the generic error. */
export function presessionText(lang: Lang, key: string): string {
  const texts = PRESESSION[lang];
  return (PRESESSION_KEYS as readonly string[]).includes(key) ? texts[key as PresessionKey] : texts.errorGeneric;
}

/**
 * The language to speak before the server has said which: the Telegram user's (in initData, as the
 * server picks it: English for `en…`, else Indonesian), else the browser's.
 */
export function launchLang(rawInitData: string | null, browserLang: string): Lang {
  let code = browserLang;
  if (rawInitData !== null) {
    try {
      const user: unknown = JSON.parse(new URLSearchParams(rawInitData).get('user') ?? 'null');
      if (typeof user === 'object' && user !== null && 'language_code' in user && typeof user.language_code === 'string') code = user.language_code;
    } catch {
      // Unreadable initData: the server will refuse it; the browser's language will do meanwhile.
    }
  }
  return /^en\b/i.test(code) ? 'en' : 'id';
}

export interface I18n {
  lang: Lang;
  t: (key: string, vars?: Record<string, string | number>) => string;
  /** The key is among the messages (for texts that only some answers have, e.g. a refusal code). */
  has: (key: string) => boolean;
  num: (n: number) => string;
  /** "3 hours ago" for an ISO time, relative to `now`. */
  age: (iso: string, now: number) => string;
  dateTime: (iso: string) => string;
  /** "27 Nov" / "27 Nov": a chart's time axis, in the page's language (not the browser's). */
  shortDate: (ms: number) => string;
  /** "14.30" / "14:30". */
  time: (ms: number) => string;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  // No weeks: a stock report's age is judged against the campaign's freshness in days ("12 hari yang
  // lalu", not "minggu lalu", which reads the same for 8 and 13 days).
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

export function createI18n(lang: Lang, messages: Record<string, string>): I18n {
  const locale = lang === 'id' ? 'id-ID' : 'en-GB';
  const nf = new Intl.NumberFormat(locale);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const dtf = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const sdf = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });
  const tf = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const plural = new Intl.PluralRules(locale);
  const lookup = (key: string): string | undefined => messages[key] ?? messages[`webapp.${key}`];
  return {
    lang,
    t(key, vars) {
      // A numeric `count` picks the plural form the locale files give (`key_one`, `key_other`), as the
      // bot's translator (i18next) does; Indonesian has only `_other`.
      const count = vars?.count;
      const forms = typeof count === 'number' ? [`${key}_${plural.select(count)}`, `${key}_other`] : [];
      const text = [...forms, key].map(lookup).find((s) => s !== undefined) ?? key;
      if (vars === undefined) return text;
      return text.replace(/\{\{-?\s*(\w+)\s*\}\}/g, (whole, name: string) => {
        const v = vars[name];
        if (v === undefined) return whole;
        return typeof v === 'number' ? nf.format(v) : v;
      });
    },
    has: (key) => lookup(key) !== undefined,
    num: (n) => nf.format(n),
    age(iso, now) {
      const seconds = Math.round((Date.parse(iso) - now) / 1000);
      const abs = Math.abs(seconds);
      for (const [unit, size] of UNITS) {
        if (abs >= size || unit === 'second') return rtf.format(Math.round(seconds / size), unit);
      }
      return rtf.format(0, 'second');
    },
    dateTime: (iso) => dtf.format(new Date(iso)),
    shortDate: (ms) => sdf.format(new Date(ms)),
    time: (ms) => tf.format(new Date(ms)),
  };
}

