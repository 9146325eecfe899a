export * from '../../tools/fake-bot-api/index.js';
