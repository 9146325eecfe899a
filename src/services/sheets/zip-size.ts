import yauzl from 'yauzl';

/**
 * Whether a ZIP (an XLSX is one) inflates to at most `limit` bytes, counted while inflating: the sizes
 * a ZIP declares can lie, and a 2 MB file of zeros inflates to about 2 GB. yauzl reads the central
 * directory and, with `validateEntrySizes`, fails an entry that inflates past what it declared; the
 * running count stops a truthful but huge one. Only then does exceljs, which inflates everything into
 * memory, get the bytes.
 */
export type ZipCheck = 'ok' | 'corrupt' | 'too_large';

export const MAX_ZIP_ENTRIES = 1_000;

export function checkZipSize(bytes: Buffer, limit: number): Promise<ZipCheck> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: ZipCheck, zip?: yauzl.ZipFile): void => {
      if (settled) return;
      settled = true;
      zip?.close();
      resolve(r);
    };
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (openErr, zip) => {
      if (openErr) {
        done('corrupt');
        return;
      }
      let total = 0;
      let entries = 0;
      zip.on('error', () => {
        done('corrupt', zip);
      });
      zip.on('end', () => {
        done('ok', zip);
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        entries++;
        if (entries > MAX_ZIP_ENTRIES || total + entry.uncompressedSize > limit) {
          done('too_large', zip);
          return;
        }
        if (entry.fileName.endsWith('/')) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (streamErr, stream) => {
          if (streamErr) {
            done('corrupt', zip);
            return;
          }
          stream.on('data', (chunk: Buffer) => {
            total += chunk.length;
            if (total > limit) {
              stream.destroy();
              done('too_large', zip);
            }
          });
          stream.on('error', () => {
            done('corrupt', zip);
          });
          stream.on('end', () => {
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
