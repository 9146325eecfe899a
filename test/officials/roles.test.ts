import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, users } from '../../src/db/schema/index.js';
import { createInvite, redeemInvite } from '../../src/services/roles.js';
import { textUpdate } from '../support/fake-bot-api.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';

let bot: TestBot;
let now = new Date('2026-11-28T03:00:00Z').getTime();
const ADMIN = { id: 990_100_001, first_name: 'Admin', language_code: 'id' };

beforeAll(async () => {
  bot = await startTestBot({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) }, now: () => new Date(now) });
  await bot.send(ADMIN, '/start');
});
afterAll(async () => bot?.stop());

async function roleOf(id: number) {
  const [u] = await bot.app.database.db.select().from(users).where(eq(users.id, BigInt(id)));
  return u?.role;
}

async function inviteLink(): Promise<string> {
  await bot.send(ADMIN, '/undang');
  const m = /start=(inv_[A-Za-z0-9_-]+)/.exec(bot.lastTextTo(ADMIN));
  if (!m) throw new Error(`no invite link in: ${bot.lastTextTo(ADMIN)}`);
  return m[1]!;
}

describe('official powers are checked in the services', () => {
  it('refuses an exporter every official command and every forged official button, and audits each attempt', async () => {
    const u = makeUser();
    await bot.send(u, '/start');
    const commands = ['/undang', '/pejabat', '/kampanye_baru', '/kampanye_saya', '/siaran', '/siaran_status', '/invite', '/newcampaign', '/broadcast'];
    for (const c of commands) {
      await bot.send(u, c);
      expect(bot.lastTextTo(u), c).toMatch(/hanya untuk (pejabat|admin)/);
    }
    for (const data of ['cm:o:1', 'cm:e:1', 'cm:x:1', 'cm:xx:1', `of:r:${ADMIN.id}`, 'bc:csv:1', 'bc:re:1']) {
      await bot.press(u, data);
      const answer = bot.api.callsTo('answerCallbackQuery').at(-1);
      expect(String(answer?.params.text), data).toMatch(/hanya untuk (pejabat|admin)/);
    }
    const refused = await bot.app.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, BigInt(u.id)), eq(auditLog.outcome, 'refused')));
    expect(refused.length).toBeGreaterThanOrEqual(commands.length + 7);
    expect(await roleOf(ADMIN.id)).toBe('admin');
  });

  it('never treats the anonymous group admin or a group as an official', async () => {
    const anon = { id: 1087968824, first_name: 'Group', language_code: 'id' };
    const before = bot.api.calls.length;
    await bot.process(textUpdate(anon, '/kampanye_baru', { chatId: -100555, chatType: 'supergroup' }));
    await bot.process(textUpdate(ADMIN, '/undang', { chatId: -100555, chatType: 'supergroup' }));
    expect(bot.api.calls.slice(before).filter((c) => c.method === 'sendMessage')).toHaveLength(0);
    expect(await roleOf(anon.id)).toBeUndefined();
  });
});

describe('invitations', () => {
  it('make an official with a single-use link; a second use is refused', async () => {
    const payload = await inviteLink();
    expect(bot.lastTextTo(ADMIN)).toMatch(/sekali pakai/);
    const a = makeUser();
    const b = makeUser();
    await bot.send(a, `/start ${payload}`);
    expect(bot.lastTextTo(a)).toMatch(/sekarang terdaftar sebagai pejabat/);
    expect(await roleOf(a.id)).toBe('official');
    await bot.send(b, `/start ${payload}`);
    expect(bot.lastTextTo(b)).toMatch(/sudah dipakai/);
    expect(await roleOf(b.id)).toBe('exporter');
    await bot.send(a, '/kampanye_saya');
    expect(bot.lastTextTo(a)).toMatch(/Belum ada kampanye/);
  });

  it('work once when redeemed at the same moment by two people', async () => {
    const payload = await inviteLink();
    const people = Array.from({ length: 5 }, () => makeUser());
    for (const p of people) await bot.send(p, '/start');
    const token = payload.slice(4);
    const results = await Promise.all(people.map((p) => redeemInvite(bot.app.database.db, BigInt(p.id), token, new Date(now))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const roles = await Promise.all(people.map((p) => roleOf(p.id)));
    expect(roles.filter((r) => r === 'official')).toHaveLength(1);
  });

  it('expire after 72 hours, and only the hash is stored', async () => {
    const r = await createInvite(bot.app.database.db, BigInt(ADMIN.id), new Date(now));
    if (!r.ok) throw new Error('invite not created');
    const { invites } = await import('../../src/db/schema/index.js');
    const rows = await bot.app.database.db.select().from(invites);
    expect(rows.some((i) => i.tokenHash.includes(r.value.token))).toBe(false);
    const u = makeUser();
    await bot.send(u, '/start');
    now += 72 * 3600_000 + 60_000;
    await bot.send(u, `/start inv_${r.value.token}`);
    expect(bot.lastTextTo(u)).toMatch(/kedaluwarsa/);
    expect(await roleOf(u.id)).toBe('exporter');
    await bot.send(u, '/start inv_bukan-token-yang-ada');
    expect(bot.lastTextTo(u)).toMatch(/tidak dikenal/);
  });

  it('can be revoked by an admin; the power stops on the next update', async () => {
    const payload = await inviteLink();
    const o = makeUser({ first_name: 'Bu Dewi' });
    await bot.send(o, `/start ${payload}`);
    await bot.send(o, '/kampanye_saya');
    expect(bot.lastTextTo(o)).toMatch(/Belum ada kampanye/);
    await bot.send(ADMIN, '/pejabat');
    expect(bot.lastTextTo(ADMIN)).toMatch(/Bu Dewi/);
    await bot.press(ADMIN, `of:r:${o.id}`);
    expect(bot.lastTextTo(ADMIN)).toMatch(/Bu Dewi bukan pejabat lagi/);
    await bot.send(o, '/kampanye_saya');
    expect(bot.lastTextTo(o)).toMatch(/hanya untuk pejabat/);
    const audits = await bot.app.database.db.select().from(auditLog).where(eq(auditLog.action, 'officials.revoke'));
    expect(audits.some((a) => a.actorId === BigInt(ADMIN.id) && a.target === `user:${o.id}` && a.outcome === 'ok')).toBe(true);
  });
});
