export * from './users.js';
export * from './catalog.js';
