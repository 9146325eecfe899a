import type { Feature, PrivateButtonContext, PrivateCommandContext } from '../../dispatch/feature.js';
import { stockRoutes } from './handlers.js';
import { historyCommand } from './history.js';

/**
 * /stok, /riwayat, the held reports' buttons and edited reports. A report without the command is a
 * recogniser (`stockReport`, and `stockLineInGuidedReport` inside the guided report), listed in
 * `features/index.ts`.
 */
export const stock: Feature = { name: 'stock', routes: stockRoutes };
export { stockLineInGuidedReport, stockReport } from './handlers.js';
export { startGuidedFor } from './guided.js';

/**
 * The product card's 📈 button shows what `/riwayat KODE` shows. `history.ts` reads the code from the
 * command's text (it belongs to another part of issue 16), so the press is handed to it as that command:
 * the same context with the message it would have had. Once `history.ts` exports a function taking the
 * code, this calls that instead.
 */
export async function showHistoryOf(ctx: PrivateButtonContext, code: string): Promise<void> {
  // The message carries the chat and sender too: telegraf reads `ctx.chat` and `ctx.from` from it.
  const message = { message_id: 0, date: 0, chat: ctx.chat, from: ctx.from, text: `/riwayat ${code}` };
  const asCommand = Object.create(ctx, { message: { value: message } }) as PrivateCommandContext;
  await historyCommand.take(asCommand)?.();
}
