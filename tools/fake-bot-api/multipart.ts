/** The multipart/form-data bodies Telegraf sends for uploads, parsed the way the fake Bot API needs them. */

/**
 * A file part of a multipart upload, as recorded in `RecordedCall.params`. `bytes` is non-enumerable so that
 * printing, JSON-stringifying or `toEqual`-comparing recorded params still sees just `{ filename, size }`.
 */
export interface UploadedFile { filename: string; size: number; readonly bytes: Buffer }

type Params = Record<string, unknown>;

/** Minimal multipart/form-data parser: text fields as strings, file parts as `UploadedFile`. */
export function parseMultipart(body: Buffer, boundary: string): Params {
  const out: Params = {};
  const delimiter = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) return out;
  pos += delimiter.length;
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing "--"
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const next = body.indexOf(separator, pos);
    if (next < 0) break;
    const part = body.subarray(pos, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const disposition = headers.split('\r\n').find((h) => /^content-disposition\s*:/i.test(h)) ?? '';
      const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
      const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
      if (name !== undefined) {
        out[name] = filename !== undefined ? uploadedFile(filename, content) : content.toString('utf8');
      }
    }
    pos = next + separator.length;
  }
  return out;
}

function uploadedFile(filename: string, content: Buffer): UploadedFile {
  // A copy: `content` is a view into the whole request body, which need not stay alive.
  const bytes = Buffer.from(content);
  return Object.defineProperty({ filename, size: bytes.length }, 'bytes', { value: bytes, enumerable: false }) as UploadedFile;
}
