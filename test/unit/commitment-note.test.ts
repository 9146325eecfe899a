/**
 * Issue 16 item 5: the commitment step's note, read from stored drafts. Sessions live 30 days, so a
 * draft stored before the note existed (no `levelAt`) must still open and show what it can: the level
 * without its age. A draft stored now carries the level's time and shows its age.
 */
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/locales/index.js';
import { storedDraft } from '../../src/bot/flow-engine/define.js';
import type { StepEnv, StoredDraft } from '../../src/bot/flow-engine/types.js';
import { submitDraft, submitFlow } from '../../src/bot/features/entries/submit-flow.js';
import type { Product } from '../../src/db/schema/index.js';
import type { Campaign } from '../../src/services/campaigns.js';

const now = new Date('2026-11-28T03:00:00.000Z');
const env = (lang: 'id' | 'en'): StepEnv => ({ lang, t: translator(lang), now, timeZone: 'Asia/Jakarta' });
const COM = submitFlow.steps.findIndex((s) => s.id === 'com');

function noteOf(stored: StoredDraft, lang: 'id' | 'en' = 'id'): string | null {
  const opened = submitFlow.open(stored);
  if (!opened.ok) throw new Error(opened.issues.join('; '));
  return opened.draft.note?.(COM, env(lang)) ?? null;
}

describe('the commitment note', () => {
  it('a draft stored before issue 16 (no levelAt) opens and shows the level without its age', () => {
    const old: StoredDraft = {
      $campaign: { id: 3, title: 'Alibaba 11.11' },
      $products: [{ id: 11, code: 'KOPI-01', label: 'KOPI-01 · Kopi', unit: 'kg', capacity: 1500, level: 900 }],
      prod: 11,
    };
    expect(noteOf(old)).toBe('Satuan: kg · Stok terakhir: 900 kg · Kapasitas: 1.500 kg/bulan');
  });

  it('a draft stored now shows the age of the latest report, in the user\'s language', () => {
    const campaign = { id: 3, title: 'Alibaba 11.11' } as Campaign;
    const product = { id: 11, code: 'KOPI-01', name: 'Kopi', baseUnit: 'ton', monthlyCapacity: 2.5 } as Product;
    const levels = new Map([[11, { quantity: 1.25, reportedAt: new Date(now.getTime() - 3 * 86_400_000) }]]);
    const stored = { ...storedDraft(submitDraft(campaign, [product], levels, new Map(), now)), prod: 11 };
    expect(noteOf(stored)).toBe('Satuan: ton · Stok terakhir: 1,25 ton (3 hari yang lalu) · Kapasitas: 2,5 ton/bulan');
    expect(noteOf(stored, 'en')).toBe('Unit: ton · Latest stock: 1.25 ton (3 days ago) · Capacity: 2.5 ton/month');
  });

  it('without a level, the level typed at the stock step, or that there is none yet', () => {
    const base: StoredDraft = {
      $campaign: { id: 3, title: 'A' },
      $products: [{ id: 12, code: 'TEH-01', label: 'TEH-01 · Teh', unit: 'pcs', capacity: 10, level: null }],
      prod: 12,
    };
    expect(noteOf(base)).toBe('Satuan: pcs · Stok terakhir: belum ada laporan · Kapasitas: 10 pcs/bulan');
    expect(noteOf({ ...base, stk: 4 })).toBe('Satuan: pcs · Stok terakhir: 4 pcs (baru Anda isi) · Kapasitas: 10 pcs/bulan');
  });

  it('a levelAt that is not a date shows the level alone rather than failing', () => {
    const odd: StoredDraft = {
      $campaign: { id: 3, title: 'A' },
      $products: [{ id: 11, code: 'KOPI-01', label: 'K', unit: 'kg', capacity: 1, level: 2, levelAt: 'not a date' }],
      prod: 11,
    };
    expect(noteOf(odd)).toBe('Satuan: kg · Stok terakhir: 2 kg · Kapasitas: 1 kg/bulan');
  });
});
