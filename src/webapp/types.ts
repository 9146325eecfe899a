// The API's shapes live with the server that answers them; the page reads the same types.
export type * from '../web/contract.js';
