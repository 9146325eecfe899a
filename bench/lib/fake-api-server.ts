import { FakeBotApi } from '../../test/support/fake-bot-api.js';

const api = await FakeBotApi.start({ token: process.argv[2] });
// Keep memory flat over long runs: the bench reads no recorded calls.
setInterval(() => api.clear(), 1000).unref();
console.log(`listening ${api.apiRoot}`);
