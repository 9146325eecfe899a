import { callbackData, int, oneOf } from '../../callback-data.js';

/**
 * The catalogue's buttons, one codec per prefix. Ownership is checked again on every press: the data
 * only names what was pressed. `shelf` is the active (`o`) or the archived (`a`) products.
 */
export const productList = callbackData('p:l', { page: int(), shelf: oneOf('a', 'o') });
export const productNew = callbackData('p:n');
export const productCard = callbackData('p:o', { product: int() });
export const productEdit = callbackData('p:e', { product: int() });
export const productArchive = callbackData('p:a', { product: int() });
export const productRestore = callbackData('p:r', { product: int() });
/** The card's shortcuts (issue 16): the guided report for this product, and its history. */
export const productStock = callbackData('p:s', { product: int() });
export const productHistory = callbackData('p:h', { product: int() });
