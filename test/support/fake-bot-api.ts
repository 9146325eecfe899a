export * from '../../src/devtools/fake-bot-api.js';
