export * from './users.js';
export * from './catalog.js';
export * from './stock.js';
export * from './officials.js';
export * from './campaigns.js';
export * from './deliveries.js';
export * from './groups.js';
export * from './broadcast-waves.js';
