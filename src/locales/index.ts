import { createInstance, type i18n } from 'i18next';
import { escapeHtml } from '../domain/text.js';
import { en } from './en.js';
import { id, type LocaleMessages } from './id.js';

export const LANGUAGES = ['id', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'id';

type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every dotted key of the locale files, e.g. `common.error`. */
export type MessageKey = Paths<LocaleMessages>;
export type MessageVars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: MessageVars) => string;

const resources: Record<Lang, LocaleMessages> = { id, en };

let instance: i18n | undefined;

function i18nInstance(): i18n {
  if (instance) return instance;
  const inst = createInstance();
  void inst.init({
    initAsync: false,
    lng: DEFAULT_LANG,
    fallbackLng: DEFAULT_LANG,
    supportedLngs: [...LANGUAGES],
    resources: Object.fromEntries(Object.entries(resources).map(([lng, msgs]) => [lng, { translation: msgs }])),
    // Telegram's HTML mode knows only &lt; &gt; &amp; &quot;; i18next's default escaper emits others.
    interpolation: { escape: escapeHtml },
    returnNull: false,
  });
  instance = inst;
  return inst;
}

const translators = new Map<Lang, Translate>();

export function translator(lang: Lang): Translate {
  let tr = translators.get(lang);
  if (!tr) {
    const t = i18nInstance().getFixedT(lang);
    // The resources never change, so a message without variables is looked up once (unit names,
    // button labels and the like are asked for many times per reply).
    const plain = new Map<MessageKey, string>();
    tr = (key, vars) => {
      if (vars) return t(key, vars);
      let text = plain.get(key);
      if (text === undefined) {
        text = t(key, {});
        plain.set(key, text);
      }
      return text;
    };
    translators.set(lang, tr);
  }
  return tr;
}

export function isLang(v: unknown): v is Lang {
  return v === 'id' || v === 'en';
}
