import { createHash } from 'node:crypto';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EDGE_BYTES, fingerprintData } from '../../../engine/data/fingerprint.js';

// The fingerprint of a data folder, checked against hashes worked out here with node:crypto.

const dir = mkdtempSync(join(tmpdir(), 'ranp-fingerprint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** A folder: two small files in two levels, one big file (1 MiB of seeded bytes). */
function makeFolder(name: string): { root: string; big: Buffer } {
  const root = join(dir, name);
  mkdirSync(join(root, 'sub'), { recursive: true });
  writeFileSync(join(root, 'a.txt'), 'alpha\n');
  writeFileSync(join(root, 'sub', 'b.txt'), 'beta\n');
  const big = Buffer.alloc(1 << 20);
  for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
  writeFileSync(join(root, 'sub', 'big.bin'), big);
  return { root, big };
}

describe('fingerprintData', () => {
  it('lists every file with its size and sha256 (big files: first and last 64 KiB) and one digest over them', async () => {
    const { root, big } = makeFolder('one');
    const f = await fingerprintData(root);
    const bigHash = sha256(
      Buffer.concat([big.subarray(0, EDGE_BYTES), big.subarray(big.length - EDGE_BYTES)]),
    );
    expect(f.files).toEqual([
      { path: 'a.txt', size: 6, sha256: sha256('alpha\n'), partial: false },
      { path: 'sub/b.txt', size: 5, sha256: sha256('beta\n'), partial: false },
      { path: 'sub/big.bin', size: 1 << 20, sha256: bigHash, partial: true },
    ]);
    expect([f.fileCount, f.totalBytes]).toEqual([3, 6 + 5 + (1 << 20)]);
    const lines = `a.txt\t6\t${sha256('alpha\n')}\nsub/b.txt\t5\t${sha256('beta\n')}\nsub/big.bin\t${1 << 20}\t${bigHash}\n`;
    expect(f.digest).toBe(sha256(lines));
  });

  it('stays the same when nothing changes (a second read, new modification times, a copy elsewhere)', async () => {
    const { root } = makeFolder('same');
    const first = await fingerprintData(root);
    utimesSync(join(root, 'a.txt'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect((await fingerprintData(root)).digest).toBe(first.digest);
    const { root: copy } = makeFolder('same-copy');
    expect((await fingerprintData(copy)).digest).toBe(first.digest);
  });

  it('changes when one file changes: a byte of a small file, the end of a big one, an added file', async () => {
    const { root } = makeFolder('change');
    const before = await fingerprintData(root);
    writeFileSync(join(root, 'a.txt'), 'alphA\n');
    const edited = await fingerprintData(root);
    expect(edited.digest).not.toBe(before.digest);
    // Only that file's entry differs.
    expect(edited.files.filter((e, i) => e.sha256 !== before.files[i].sha256).map((e) => e.path)).toEqual([
      'a.txt',
    ]);
    appendFileSync(join(root, 'sub', 'big.bin'), Buffer.from([1]));
    const grown = await fingerprintData(root);
    expect(grown.digest).not.toBe(edited.digest);
    writeFileSync(join(root, 'c.txt'), '');
    expect((await fingerprintData(root)).digest).not.toBe(grown.digest);
  });

  it('follows links, listing a folder reached twice once (under its first name), and fingerprints a single file', async () => {
    const { root } = makeFolder('links');
    symlinkSync(join(root, 'sub'), join(root, 'again'));
    symlinkSync(root, join(root, 'sub', 'loop'));
    const f = await fingerprintData(root);
    // 'again' sorts before 'sub' and is the same folder; 'sub/loop' leads back to the root.
    expect(f.files.map((e) => e.path)).toEqual(['a.txt', 'again/b.txt', 'again/big.bin']);
    const single = await fingerprintData(join(root, 'a.txt'));
    expect(single.files).toEqual([
      { path: 'a.txt', size: 6, sha256: sha256(readFileSync(join(root, 'a.txt'))), partial: false },
    ]);
  });
});
