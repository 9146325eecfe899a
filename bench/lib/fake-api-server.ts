import { FakeBotApi } from '../../tools/fake-bot-api/index.js';

const api = await FakeBotApi.start({ token: process.argv[2] });
const enforce = Number(process.argv[3] ?? 0);
if (enforce > 0) api.enforceRate(enforce);
// Keep memory flat over long runs: report what the bench asks about, then forget the calls.
let sent = 0;
let tooMany = 0;
// `record` (the restart bench): every accepted sendMessage as [chat id, arrival ms], to judge exactly-once and the pace.
const record = process.argv[4] === 'record';
const sends: [number, number][] = [];
setInterval(() => {
  for (const c of api.calls) {
    if (c.method !== 'sendMessage') continue;
    if (c.response.ok) {
      sent += 1;
      if (record) sends.push([Number(c.params.chat_id), c.at]);
    } else if (c.response.error_code === 429) tooMany += 1;
  }
  api.clear();
}, 200).unref();
process.on('message', (m: unknown) => {
  if (m === 'stats') process.send?.({ sent, tooMany });
  if (m === 'sends') process.send?.({ sends });
  // A file "sent by a user" (the spreadsheet bench): stored here, its Document answered.
  if (typeof m === 'object' && m !== null && 'putFile' in m && 'fileName' in m && typeof m.putFile === 'string' && typeof m.fileName === 'string') {
    process.send?.({ document: api.putFile(Buffer.from(m.putFile, 'base64'), { fileName: m.fileName }) });
  }
});
console.log(`listening ${api.apiRoot}`);
