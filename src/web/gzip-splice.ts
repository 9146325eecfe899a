import { promisify } from 'node:util';
import { constants, crc32, deflateRaw, deflateRawSync } from 'node:zlib';

const deflateRawAsync = promisify(deflateRaw);

/**
 * The fixed first part of an answer sent many times (the table's rows), compressed once. Deflate output
 * that ends with a sync flush is byte-aligned and not final, so deflate streams compressed on their own
 * can follow one another, and with gzip's 10-byte header and its trailer (CRC-32 and length of the whole
 * text) the bytes are one ordinary gzip member (RFC 1951 3.2.3, RFC 1952 2.3; the same splice pigz makes).
 * Why: gzipping the 1.65 MB table at level 1 took 12–28 ms of every answer here (bench/README.md), for
 * bytes that had not changed.
 *
 * The prefix is made of parts (the table's chunks of rows), each compressed on its own, so a prefix built
 * again after one row changed compresses only the parts whose text changed (table-cache.ts keeps them).
 */
export interface GzipPart {
  text: Buffer;
  deflated: Buffer;
}

export interface GzipPrefix {
  text: Buffer;
  deflated: Buffer;
  crc: number;
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);

/** One part, compressed on the thread pool. */
export async function gzipPart(text: string): Promise<GzipPart> {
  const bytes = Buffer.from(text);
  return { text: bytes, deflated: await deflateRawAsync(bytes, { level: 1, finishFlush: constants.Z_SYNC_FLUSH }) };
}

/** The parts in order as one prefix. */
export function joinParts(parts: readonly GzipPart[]): GzipPrefix {
  const text = Buffer.concat(parts.map((p) => p.text));
  return { text, deflated: Buffer.concat(parts.map((p) => p.deflated)), crc: crc32(text) };
}

/** The whole text, prefix then tail, as one gzip member; the tail is small (compressed on this thread). */
export function gzipWithTail(prefix: GzipPrefix, tail: string): Buffer {
  const t = Buffer.from(tail);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(t, prefix.crc), 0);
  // ISIZE is the length modulo 2^32 (RFC 1952).
  trailer.writeUInt32LE((prefix.text.length + t.length) % 0x1_0000_0000, 4);
  return Buffer.concat([GZIP_HEADER, prefix.deflated, deflateRawSync(t, { level: 1 }), trailer]);
}
