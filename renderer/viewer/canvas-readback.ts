import type { Rect } from './rect.js';

/**
 * RGBA bytes of a CSS-pixel rectangle of a (WebGL) canvas, rows top to bottom: copied through a 2D
 * canvas because reading the WebGL buffer directly needs preserveDrawingBuffer.
 */
export function readCanvasRegion(
  canvas: HTMLCanvasElement,
  rect: Rect,
  pixelRatio: number,
  options: { smoothing: boolean },
): Uint8ClampedArray {
  const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
  ctx.canvas.width = rect.width;
  ctx.canvas.height = rect.height;
  ctx.imageSmoothingEnabled = options.smoothing;
  ctx.drawImage(
    canvas,
    rect.x * pixelRatio,
    rect.y * pixelRatio,
    rect.width * pixelRatio,
    rect.height * pixelRatio,
    0,
    0,
    rect.width,
    rect.height,
  );
  return ctx.getImageData(0, 0, rect.width, rect.height).data;
}
