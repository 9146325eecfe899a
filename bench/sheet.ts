import ExcelJS from 'exceljs';
import type { App } from '../src/app.js';
import { reportsOfMessage } from '../src/db/queries/stock.js';
import { sheetLines } from '../src/domain/stock-sheet.js';
import { saveBusiness } from '../src/services/businesses.js';
import { createProduct } from '../src/services/products.js';
import { readSheetFile } from '../src/services/sheets/read-sheet.js';
import { reportStock, reportStockHolding } from '../src/services/stock.js';
import { recordSeenUser } from '../src/services/users.js';
import { documentUpdate, textUpdate } from '../tools/fake-bot-api/index.js';
import type { FakeApiProcess } from './lib/fake-api-process.js';
import { fmt, type Row } from './lib/table.js';

/**
 * A 2,000-row spreadsheet stock report (issue 16): from the document update to the reply, through the
 * whole bot (getFile, download from the fake Bot API in its own process, unzip check, exceljs, rows,
 * one lookup, one INSERT, the reply). Its peer is the ledger work alone: the same 2,000 rows handed to
 * `reportStockHolding` directly, in the same run. The exporter has 2,000 products, as
 * `MAX_PRODUCTS_PER_EXPORTER=2000` would allow (the default stays 50).
 */
const ROWS = 2_000;
const ROUNDS = Number(process.env.BENCH_SHEET_ROUNDS ?? 5);
const NAMES = ['Kopi', 'Teh', 'Kakao', 'Vanili', 'Lada'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const range = (xs: number[]) => `${fmt(Math.min(...xs), 0)}–${fmt(Math.max(...xs), 0)}`;

async function workbook(codes: string[], round: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Stok');
  ws.addRow(['Kode', 'Nama produk', 'Satuan', 'Stok baru']);
  // +1 kg a round: never a surprising change, so every row is saved.
  codes.forEach((code, i) => ws.addRow([code, `${NAMES[i % NAMES.length]} ${i}`, 'kg', 1_000 + (i % 500) + round]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function benchSheet(app: App, api: FakeApiProcess): Promise<Row[]> {
  const db = app.database.db;
  const user = { id: 889_000_001, first_name: 'Gudang Besar', language_code: 'id' };
  await recordSeenUser(db, user, { chatId: user.id, adminIds: [], defaultTimeZone: 'Asia/Jakarta' });
  await saveBusiness(db, BigInt(user.id), { companyName: 'PT Gudang Besar', nib: '9199000000001', province: 'Jawa Timur', city: 'Malang', phone: '+6281234567890', email: null });
  const codes: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const p = await createProduct(db, BigInt(user.id), { name: `${NAMES[i % NAMES.length]} ${i}`, category: 'coffee', hsCode: null, baseUnit: 'kg', monthlyCapacity: 10_000, minOrder: null, price: null, currency: null, certifications: [], photoFileId: null, description: 'bench' }, { maxActive: ROWS, allowDuplicateName: true });
    if (!p.ok) throw new Error(p.error);
    codes.push(p.value.code);
  }
  // A level for every product first, so each row is checked against one (the surprise rules run).
  const first = codes.map((code, i) => ({ lineNo: i + 2, raw: `${code} 1000`, code, quantityText: String(1_000 + (i % 500)) }));
  await reportStock(db, BigInt(user.id), first, { locale: 'id', source: 'batch', now: new Date() });

  const sheetMs: number[] = [];
  const peerMs: number[] = [];
  const parseMs: number[] = [];
  let size = 0;
  for (let round = 1; round <= ROUNDS * 2 + 1; round++) {
    const bytes = await workbook(codes, round);
    size = bytes.length;
    if (round % 2 === 1) {
      const doc = await api.putFile(bytes, 'stok-gudang.xlsx');
      const update = documentUpdate(user, { ...doc, mime_type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
      const t0 = performance.now();
      await app.process(update);
      if (round > 1) sheetMs.push(performance.now() - t0); // round 1 warms up (JIT, prepared statements)
      const saved = await reportsOfMessage(db, `${user.id}:${update.message.message_id}`);
      if (saved.length !== ROWS) throw new Error(`the bot saved ${saved.length} of ${ROWS} rows`);
      const p0 = performance.now();
      const read = await readSheetFile(bytes, 'xlsx');
      if (!read.ok || !sheetLines(read.rows).ok) throw new Error('bench workbook not read');
      if (round > 1) parseMs.push(performance.now() - p0);
    } else {
      const read = await readSheetFile(bytes, 'xlsx');
      const lines = read.ok ? sheetLines(read.rows) : undefined;
      if (!lines?.ok) throw new Error('bench workbook not read');
      const t0 = performance.now();
      const r = await reportStockHolding(db, BigInt(user.id), lines.value.lines, { locale: 'id', source: 'sheet', now: new Date(), sourceRef: `bench:${round}`, holdSurprising: true });
      peerMs.push(performance.now() - t0);
      if (r.outcomes.filter((o) => o.ok).length !== ROWS) throw new Error('bench peer did not save every row');
    }
  }
  const t0 = performance.now();
  await app.process(textUpdate(user, '/templat'));
  const templateMs = performance.now() - t0;
  const s = median(sheetMs);
  const peer = median(peerMs);
  return [
    { figure: `spreadsheet report, ${ROWS} rows (${fmt(size / 1024, 0)} KB XLSX): document update → reply, ms (median of ${sheetMs.length}; range ${range(sheetMs)})`, value: fmt(s, 0), target: '< 3000', peer: fmt(peer, 0), ratio: fmt(s / peer, 2) },
    { figure: `  of which reading the workbook (unzip check, exceljs, rows), ms (range ${range(parseMs)})`, value: fmt(median(parseMs), 0), target: '', peer: '', ratio: '' },
    { figure: `/templat of ${ROWS} products, ms (one run)`, value: fmt(templateMs, 0), target: '', peer: '', ratio: '' },
  ];
}
