import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChatKeyboards, displayText, renderCall, startPayloadOf } from '../tools/chat/chat-render.js';
import type { RecordedCall } from '../tools/fake-bot-api/index.js';
import { PROJECT_ROOT } from './support/spawn-bot.js';

const TSX_LOADER = import.meta.resolve('tsx');
const dirs: string[] = [];
afterAll(() => { dirs.forEach((d) => { rmSync(d, { recursive: true, force: true }); }); });

function runChat(lines: string[], dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, `${PROJECT_ROOT}/tools/chat/chat.ts`], {
    cwd: PROJECT_ROOT,
    // Nothing from the runner's environment: the chat must not need DATABASE_URL, REDIS_URL or a token.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', CHAT_DATA_DIR: dataDir },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // The whole script at once: the chat must still handle it line by line, in order.
  child.stdin.end(`${lines.join('\n')}\n`);
  const timer = setTimeout(() => child.kill('SIGKILL'), 55_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('npm run chat', () => {
  it('runs a scripted session: registration, an identity switch, the admin help, /quit', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'etalase-chat-test-'));
    dirs.push(dataDir);
    const { code, stdout, stderr } = await runChat(
      [
        '/start',
        '#1', // Bahasa Indonesia
        '/daftar',
        'PT Kopi Nusantara',
        '9120001234567',
        'jatim',
        'Malang',
        '081234567890',
        '#Lewati', // email
        '#Lewati', // contact person
        '#Simpan',
        '/as 9001',
        '/bantuan',
        '/quit',
        '/bantuan', // after /quit: never handled
      ],
      dataDir,
    );
    const context = `stdout:\n${stdout}\nstderr:\n${stderr}`;
    expect(code, context).toBe(0);

    expect(stdout).toContain('Ketik /start untuk mulai');
    expect(stdout).toMatch(/🤖 Halo, Eksportir!/);
    expect(stdout).toMatch(/\[1\] Bahasa Indonesia {2}\[2\] English/);
    expect(stdout).toMatch(/🤖 \(diedit\) Bahasa diubah ke Bahasa Indonesia/);
    expect(stdout).toMatch(/langkah 3 dari 7[\s\S]*\[1\] Aceh/);
    expect(stdout).toMatch(/⌨️ {2}\[1\] 📱 Bagikan nomor saya/);
    expect(stdout).toContain('🤖 ✅ +6281234567890');
    expect(stdout).toMatch(/Provinsi: Jawa Timur \(WIB\)/);
    expect(stdout).toMatch(/\[\d+\] 💾 Simpan/);
    expect(stdout).toMatch(/Profil usaha PT Kopi Nusantara tersimpan/);
    expect(stdout).toMatch(/Sekarang Anda: 9001/);
    expect(stdout).toMatch(/👤 9001 › \/bantuan\n🤖 Perintah Etalase[\s\S]*Untuk admin\n\s+\/undang/);
    expect(stdout).toContain('Sampai jumpa.');
    // HTML is rendered, logs stay off stdout, and nothing after /quit ran.
    expect(stdout).not.toMatch(/<b>|"level":/);
    expect(stdout.match(/Perintah Etalase/g)).toHaveLength(1);

    // Strictly in order: each answer follows its own input line.
    const order = ['👤 1001 › /start', '🤖 Halo', '👤 1001 › #1', 'Bahasa diubah', '👤 1001 › /daftar', 'langkah 1 dari 7', '👤 1001 › #Simpan', 'tersimpan', '👤 9001 › /bantuan', 'Untuk admin'];
    const positions = order.map((s) => stdout.indexOf(s));
    expect(positions.every((p) => p >= 0), context).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  }, 60_000);
});

describe('chat rendering', () => {
  const call = (method: string, params: Record<string, unknown>, result: unknown = { message_id: 7 }): RecordedCall => ({
    method,
    params,
    at: 0,
    response: { ok: true, result },
  });

  it('shows HTML as Telegram displays it, with link targets', () => {
    expect(displayText('<b>A</b> &amp; <a href="https://x.test/">situs</a>', 'HTML')).toBe('A & situs (https://x.test/)');
    expect(displayText('<b>raw</b>', undefined)).toBe('<b>raw</b>');
    expect(startPayloadOf('https://t.me/etalase_test_bot?start=inv_abc')).toBe('inv_abc');
    expect(startPayloadOf('https://t.me/other_bot?start=inv_abc')).toBeUndefined();
  });

  it('numbers buttons from 1 after each user action, across the messages of one answer', () => {
    const kbs = new Map<number, ChatKeyboards>();
    const of = (id: number) => kbs.get(id) ?? kbs.set(id, new ChatKeyboards()).get(id)!;
    const inline = (rows: string[][]) => ({ inline_keyboard: rows.map((r) => r.map((t) => ({ text: t, callback_data: t }))) });
    const first = renderCall(call('sendMessage', { chat_id: 5, text: 'Pilih', reply_markup: inline([['A', 'B']]) }), of, () => undefined);
    expect(first?.text).toBe('🤖 Pilih\n   [1] A  [2] B');
    const second = renderCall(call('sendPhoto', { chat_id: 5, photo: 'x', caption: 'Foto', reply_markup: inline([['C']]) }, { message_id: 8 }), of, () => undefined);
    expect(second?.text).toBe('🤖 [foto] Foto\n   [3] C');
    expect(of(5).find('3')?.messageId).toBe(8);
    expect(of(5).find('b')?.n).toBe(2);

    of(5).userActed();
    const edited = renderCall(call('editMessageText', { chat_id: 5, message_id: 7, text: 'Oke' }), of, () => undefined);
    expect(edited?.text).toBe('🤖 (diedit) Oke');
    expect(of(5).find('1')).toBeUndefined(); // message 7 lost its keyboard
    expect(of(5).find('3')?.label).toBe('C'); // message 8 keeps its until a new keyboard is shown

    const contact = renderCall(
      call('sendMessage', { chat_id: 5, text: 'Nomor?', reply_markup: { keyboard: [[{ text: '📱 Bagikan', request_contact: true }]] } }),
      of,
      () => undefined,
    );
    expect(contact?.text).toBe('🤖 Nomor?\n   ⌨️  [1] 📱 Bagikan (kirim kontak)');
    expect(of(5).find('1')?.action).toEqual({ kind: 'contact' });
    renderCall(call('sendMessage', { chat_id: 5, text: '✅', reply_markup: { remove_keyboard: true } }), of, () => undefined);
    expect(of(5).current()).toHaveLength(0);

    const doc = renderCall(
      call('sendDocument', { chat_id: 5, document: { filename: 'laporan.xlsx', size: 10 }, caption: 'Laporan' }, { message_id: 9, document: { file_name: 'laporan.xlsx' } }),
      of,
      () => undefined,
    );
    expect(doc?.text).toBe('🤖 [dokumen laporan.xlsx] Laporan');
  });
});

describe('npm run chat opens the review table locally', () => {
  it('prints a URL signed for the current identity that the bot\'s own server accepts, for an admin and not for an exporter', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'etalase-chat-app-'));
    dirs.push(dataDir);
    const child = spawn(process.execPath, ['--import', TSX_LOADER, `${PROJECT_ROOT}/tools/chat/chat.ts`], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', CHAT_DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const urls = () => [...stdout.matchAll(/(http:\/\/127\.0\.0\.1:\d+\/app\/#\S+)/g)].map((m) => m[1]!);
    const waitUrls = async (n: number) => {
      const end = Date.now() + 50_000;
      while (urls().length < n) {
        if (Date.now() > end || child.exitCode !== null) throw new Error(`no URL printed:\n${stdout}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const session = async (url: string) => {
      const u = new URL(url);
      const initData = new URLSearchParams(u.hash.slice(1)).get('tgWebAppData') ?? '';
      return fetch(new URL('api/session', u.origin + u.pathname), { method: 'POST', headers: { authorization: `tma ${initData}`, 'content-type': 'application/json' }, body: '{}' });
    };
    try {
      child.stdin.write('/as 9001\n/start\n/app\n');
      await waitUrls(1);
      const page = await fetch(urls()[0]!.split('#')[0]!);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<script/);
      const admin = await session(urls()[0]!);
      expect(admin.status).toBe(200);
      expect((await admin.json()) as { user: { id: string } }).toMatchObject({ user: { id: '9001' } });
      child.stdin.write('/as 1001\n/start\n/app\n');
      await waitUrls(2);
      expect((await session(urls()[1]!)).status).toBe(403);
    } finally {
      child.stdin.end('/quit\n');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);
});
