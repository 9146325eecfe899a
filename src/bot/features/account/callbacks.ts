import { callbackData, oneOf, token } from '../../callback-data.js';

/** The buttons of the everyday commands: /zona and /bahasa (also offered by /start). */

export const zonePick = callbackData('tz', { zone: oneOf('WIB', 'WITA', 'WIT') });
/**
 * Any code, not only today's languages: a button for a language since removed is answered "unknown
 * language" by its handler rather than ignored.
 */
export const languagePick = callbackData('lang', { lang: token(16) });
