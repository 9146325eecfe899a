import { describe, expect, it } from 'vitest';
import { contactBlock } from '../../src/bot/features/review/contact-text.js';
import type { SubmissionRow } from '../../src/db/queries/submissions.js';
import { translator } from '../../src/locales/index.js';
import { checkTelegramHtml } from '../support/fake-bot-api.js';

function row(over: { contactName?: string | null; email?: string | null; ownerName?: string; ownerUsername?: string | null }): SubmissionRow {
  return {
    business: { ownerId: 700_123_456n, phone: '+6281234567890', email: over.email ?? null, contactName: over.contactName ?? null },
    ownerName: over.ownerName ?? 'Sari',
    ownerUsername: over.ownerUsername ?? null,
  } as unknown as SubmissionRow;
}

describe('contactBlock', () => {
  it('names the contact person, phone, e-mail and a mention of the owner with the username', () => {
    const html = contactBlock(translator('id'), row({ contactName: 'Bu Wati & <Humas>', email: 'wati@kopi.co.id', ownerName: 'Wati', ownerUsername: 'wati_kopi' }));
    expect(html.split('\n')).toEqual([
      'Kontak: Bu Wati &amp; &lt;Humas&gt;',
      'Telepon: +6281234567890',
      'Email: wati@kopi.co.id',
      'Telegram: <a href="tg://user?id=700123456">Wati</a> @wati_kopi',
    ]);
    expect(checkTelegramHtml(html)).toBeNull();
  });

  it('lets the owner’s Telegram name stand in, marked so, and shows a dash without e-mail', () => {
    const html = contactBlock(translator('id'), row({ ownerName: '<Sari> "S"' }));
    expect(html.split('\n')).toEqual([
      'Kontak: &lt;Sari&gt; &quot;S&quot; (nama Telegram)',
      'Telepon: +6281234567890',
      'Email: —',
      'Telegram: <a href="tg://user?id=700123456">&lt;Sari&gt; &quot;S&quot;</a>',
    ]);
    expect(checkTelegramHtml(html)).toBeNull();
    expect(contactBlock(translator('en'), row({}))).toContain('Contact: Sari (Telegram name)');
  });
});
