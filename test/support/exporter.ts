import type { TestUser } from './fake-bot-api.js';
import type { TestBot } from './harness.js';

let nibCounter = 1_000;

/** Registers a business for the user the way they would, answer by answer. */
export async function registerBusiness(bot: TestBot, u: TestUser, opts: { province?: string; company?: string; email?: string; contact?: string } = {}): Promise<void> {
  nibCounter += 1 + Math.floor(Math.random() * 50);
  const nib = `9${String(Date.now()).slice(-6)}${String(nibCounter).padStart(6, '0')}`.slice(0, 13);
  await bot.send(u, '/daftar');
  for (const a of [opts.company ?? `PT Usaha ${u.id}`, nib, opts.province ?? 'Jawa Timur', 'Malang', '081234567890']) await bot.send(u, a);
  if (opts.email) await bot.send(u, opts.email);
  else await bot.pressButton(u, /Lewati|Skip/); // email
  if (opts.contact) await bot.send(u, opts.contact);
  else await bot.pressButton(u, /Lewati|Skip/); // contact person
  await bot.pressButton(u, /Simpan|Save/);
  if (!/tersimpan|saved/.test(bot.lastTextTo(u))) throw new Error(`registration failed: ${bot.lastTextTo(u)}`);
}

/** A product with the quickest valid answers; returns the code the bot announced. */
export async function addProduct(bot: TestBot, u: TestUser, name: string, opts: { unit?: RegExp; capacity?: string; force?: boolean } = {}): Promise<string> {
  await bot.send(u, '/produk_baru');
  await bot.send(u, name);
  await bot.pressButton(u, /Kopi|Coffee/);
  await bot.pressButton(u, /Lewati|Skip/); // HS code
  await bot.pressButton(u, opts.unit ?? /^kg$/);
  await bot.send(u, opts.capacity ?? '1.000');
  await bot.pressButton(u, /Lewati|Skip/); // minimum order
  await bot.pressButton(u, /Lewati|Skip/); // price
  await bot.pressButton(u, /Tidak ada|None/);
  await bot.pressButton(u, /Selesai|Done/);
  await bot.pressButton(u, /Lewati|Skip/); // photo
  await bot.send(u, 'Produk uji');
  await bot.pressButton(u, /Simpan|Save/);
  if (opts.force) await bot.pressButton(u, /Tetap simpan|Save anyway/);
  const m = /(?:kode|code) ([A-Z]{2,6}-\d{2,4})/.exec(bot.lastTextTo(u));
  if (!m?.[1]) throw new Error(`product not saved: ${bot.lastTextTo(u)}`);
  return m[1];
}
