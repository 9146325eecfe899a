import { createServer } from 'node:net';

/** A loopback port nothing listens on (bound, read, released): calls to it are refused at once. */
export async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => { r(); }));
  return port;
}
