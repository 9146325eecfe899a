import type { MessageKey } from '../../../locales/index.js';
import type { LineOutcome, StockLineError } from '../../../services/stock.js';
import type { BotContext } from '../../context.js';
import { change, qty } from '../../../locales/format.js';

export const STOCK_ERROR_KEYS: Record<StockLineError, MessageKey> = {
  no_code: 'stock.errNoCode',
  no_quantity: 'stock.errNoQuantity',
  unknown_code: 'stock.errUnknownCode',
  not_yours: 'stock.errNotYours',
  archived: 'stock.errArchived',
  not_a_number: 'stock.errNotANumber',
  negative: 'stock.errNegative',
  unit_unknown: 'stock.errUnitUnknown',
  unit_incompatible: 'stock.errUnitIncompatible',
  too_large: 'stock.errTooLarge',
  fractional_pieces: 'stock.errFractionalPieces',
  too_precise: 'stock.errTooPrecise',
};

/**
 * One line per report line. A saved line always echoes the number as understood ("1,500" from an
 * Indonesian is 1,5), and the typed unit when it was converted ("2,5 ton" → 2.500 kg).
 */
export function stockReplyLines(ctx: BotContext, outcomes: LineOutcome[], opts: { correction?: boolean } = {}): string[] {
  return outcomes.map((o) => {
    if (o.ok) {
      // An edited report's saved line says "koreksi": the exporter sees the edit was read as one.
      let line = ctx.t(opts.correction ? 'stock.correctionLine' : 'stock.savedLine', { code: o.code, change: change(o.previous, o.quantity, o.baseUnit, ctx.lang, ctx.t) });
      if (o.typed.unit !== o.baseUnit) line += ` ${ctx.t('stock.typedAs', { typed: qty(o.typed.value, o.typed.unit, ctx.lang, ctx.t) })}`;
      return line;
    }
    const base = o.baseUnit ? ctx.t(`units.${o.baseUnit}` as MessageKey) : '';
    const reason = ctx.t(STOCK_ERROR_KEYS[o.error], { code: o.code ?? '', base });
    return o.code
      ? ctx.t('stock.refusedLine', { code: o.code, reason })
      : ctx.t('stock.refusedRawLine', { n: o.line.lineNo, raw: o.line.raw.slice(0, 40), reason });
  });
}
