import { describe, expect, it } from 'vitest';
import { historyLine } from '../../src/bot/features/review/history-text.js';
import type { EntryEventRow } from '../../src/db/queries/entry-events.js';
import { ENTRY_EVENT_KINDS, type EntryEventDetails, type EntryEventKind } from '../../src/domain/entry-history.js';
import { translator, type Lang } from '../../src/locales/index.js';
import { checkTelegramHtml } from '../support/fake-bot-api.js';

// 2 Dec 2026 03:00 UTC = 10.00 WIB = 11.00 WITA.
const AT = new Date('2026-12-02T03:00:00Z');

function ev(kind: EntryEventKind, details: EntryEventDetails = {}, actorName: string | null = 'Bu Retno'): EntryEventRow {
  return { id: 1, submissionId: 1, kind, actorId: actorName ? 990_600_001n : null, details, at: AT, actorName };
}

const line = (lang: Lang, e: EntryEventRow, timeZone = 'Asia/Jakarta') => historyLine(translator(lang), lang, timeZone, e, 'kg');

describe('historyLine', () => {
  it('says when, what and who, the Indonesian way', () => {
    expect(line('id', ev('shortlisted', { level: 2000, version: 3 }))).toBe('2 Des 10.00 WIB · dipilih oleh Bu Retno');
    expect(line('id', ev('joined', { committed: 1500 }, 'Wati'))).toBe('2 Des 10.00 WIB · mendaftar oleh Wati · komitmen 1.500 kg');
    expect(line('id', ev('commitment_changed', { previous: 1000, committed: 1500.5 }, 'Wati'))).toBe('2 Des 10.00 WIB · komitmen diubah oleh Wati · komitmen 1.000 kg → 1.500,5 kg');
    expect(line('id', ev('result_published', { outcome: 'not_selected', version: 1 }))).toBe('2 Des 10.00 WIB · hasil diumumkan oleh Bu Retno · hasil: tidak terpilih');
    expect(line('id', ev('swapped_out', { other: 'KOPI-02' }))).toBe('2 Des 10.00 WIB · diganti (keluar) oleh Bu Retno · dengan KOPI-02');
  });

  it('shows the time in the official’s zone, and events without an actor without "oleh"', () => {
    expect(line('id', ev('alerted', { alert: 'low', level: 1200, committed: 1500 }, null), 'Asia/Makassar')).toBe(
      '2 Des 11.00 WITA · peringatan stok · stok di bawah komitmen · stok 1.200 kg',
    );
    expect(line('id', ev('stock_asked', { level: null }))).toBe('2 Des 10.00 WIB · konfirmasi stok diminta oleh Bu Retno');
  });

  it('in English', () => {
    expect(line('en', ev('shortlisted'))).toBe('2 Dec 10:00 WIB · shortlisted by Bu Retno');
    expect(line('en', ev('joined', { committed: 1500 }, 'Wati'))).toBe('2 Dec 10:00 WIB · joined by Wati · commitment 1,500 kg');
    expect(line('en', ev('stock_cannot', { reason: 'harvest failed', level: null }, 'Wati'))).toBe('2 Dec 10:00 WIB · cannot deliver by Wati · reason: harvest failed');
  });

  it('escapes what people typed, and gives Telegram valid HTML', () => {
    const out = line('id', ev('rejected', { reason: '<b>stok</b> & "kurang"' }, 'Bu <Retno>'));
    expect(out).toBe('2 Des 10.00 WIB · ditolak oleh Bu &lt;Retno&gt; · alasan: &lt;b&gt;stok&lt;/b&gt; &amp; &quot;kurang&quot;');
    expect(checkTelegramHtml(out)).toBeNull();
  });

  it('has a short label for every kind, in both languages', () => {
    for (const lang of ['id', 'en'] as const) {
      for (const kind of ENTRY_EVENT_KINDS) {
        const label = line(lang, ev(kind, {}, null)).split(' · ')[1]!;
        expect(label, `${lang} ${kind}`).not.toMatch(/history\.|^$/);
        expect(label.length, `${lang} ${kind}`).toBeLessThanOrEqual(30);
      }
    }
  });
});
