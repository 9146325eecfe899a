import type { Telegram } from 'telegraf';

export type DownloadError = 'too_large' | 'failed';

/**
 * A file a user sent, fetched from Telegram (`getFile`, then the file URL), at most `maxBytes`: the
 * body is counted as it arrives and dropped past the limit, whatever size the message declared. The
 * URL holds the bot token, so neither it nor a fetch error naming it is ever logged or shown.
 */
export async function downloadFile(telegram: Telegram, fileId: string, maxBytes: number, timeoutMs = 30_000): Promise<{ ok: true; bytes: Buffer } | { ok: false; error: DownloadError; reason: string }> {
  let url: URL;
  try {
    url = await telegram.getFileLink(fileId);
  } catch (err) {
    const description = err instanceof Error ? err.message : '';
    // Telegram refuses getFile for files over 20 MB: too large for us too, not a fault.
    return { ok: false, error: /too big/i.test(description) ? 'too_large' : 'failed', reason: 'getFile' };
  }
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok || !res.body) return { ok: false, error: 'failed', reason: `HTTP ${res.status}` };
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      // Leaving the loop cancels the stream: the rest is never read.
      if (size > maxBytes) return { ok: false, error: 'too_large', reason: 'body' };
      chunks.push(Buffer.from(chunk));
    }
    return { ok: true, bytes: Buffer.concat(chunks) };
  } catch (err) {
    return { ok: false, error: 'failed', reason: err instanceof Error ? err.name : 'fetch' };
  }
}
