import { createCanvas, loadImage } from '@napi-rs/canvas';

/**
 * How many pixels in a rectangle of a PNG are darker than `below` in red and green (and blue, with
 * `blue`): a cheap "something was drawn there" for chart tests, which cannot compare pixels exactly
 * across font builds.
 */
export async function darkPixels(png: Buffer, x: number, y: number, w: number, h: number, opts: { below?: number; blue?: boolean } = {}): Promise<number> {
  const below = opts.below ?? 128;
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(x, y, w, h).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if ((data[i] ?? 255) < below && (data[i + 1] ?? 255) < below && (!opts.blue || (data[i + 2] ?? 255) < below)) n++;
  }
  return n;
}
