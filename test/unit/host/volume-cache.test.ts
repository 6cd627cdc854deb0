import { describe, expect, it } from 'vitest';
import type { NiftiImage } from '../../../engine/data/index.js';
import { VolumeCache } from '../../../engine/host/volume-cache.js';

/** Only `data` matters to the cache (its byte length is what it counts). */
const image = (bytes: number) => ({ data: new Uint8Array(bytes) }) as unknown as NiftiImage;

describe('VolumeCache', () => {
  it('loads a key once, also for concurrent requests, and drops the least recently used beyond its bytes', async () => {
    const cache = new VolumeCache(250);
    const loads: string[] = [];
    const load = (key: string, bytes: number) => () => {
      loads.push(key);
      return Promise.resolve(image(bytes));
    };
    const [a1, a2] = await Promise.all([cache.get('a', load('a', 100)), cache.get('a', load('a', 100))]);
    expect(a1).toBe(a2);
    await cache.get('b', load('b', 100));
    await cache.get('a', load('a', 100)); // a is now the most recently used
    expect(loads).toEqual(['a', 'b']);
    expect(cache.bytes).toBe(200);
    await cache.get('c', load('c', 100)); // 300 > 250: b, the least recently used, goes
    expect(cache.bytes).toBe(200);
    await cache.get('a', load('a', 100));
    await cache.get('b', load('b', 100));
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('forgets a failed load, so the next request tries again', async () => {
    const cache = new VolumeCache();
    await expect(cache.get('x', () => Promise.reject(new Error('unreadable')))).rejects.toThrow('unreadable');
    expect(cache.size).toBe(0);
    expect((await cache.get('x', () => Promise.resolve(image(8)))).data.byteLength).toBe(8);
    expect(cache.bytes).toBe(8);
  });
});
