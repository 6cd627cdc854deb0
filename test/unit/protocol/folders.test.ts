import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderGuard } from '../../../engine/host/folders.js';
import { ProtocolError } from '../../../engine/protocol/index.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ranp-folders-'));
const allowed = path.join(tmp, 'allowed');
const outside = path.join(tmp, 'outside');
mkdirSync(path.join(allowed, 'sub'), { recursive: true });
mkdirSync(outside);
writeFileSync(path.join(outside, 'secret.txt'), 'x');
symlinkSync(outside, path.join(allowed, 'link-out'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof ProtocolError ? error.code : 'other';
  }
}

describe('FolderGuard', () => {
  const guard = new FolderGuard([allowed]);

  it('accepts the folder itself and anything inside it', () => {
    expect(guard.check(allowed)).toBe(allowed);
    expect(guard.check(path.join(allowed, 'sub'))).toBe(path.join(allowed, 'sub'));
  });

  it('refuses paths outside, .. escapes, sibling prefixes and NUL bytes', () => {
    expect(code(() => guard.check(outside))).toBe('forbidden-path');
    expect(code(() => guard.check(path.join(allowed, '..', 'outside')))).toBe('forbidden-path');
    expect(code(() => guard.check(`${allowed}-evil`))).toBe('forbidden-path');
    expect(code(() => guard.check(`${allowed}/sub\0`))).toBe('forbidden-path');
  });

  it('refuses a symlink inside an allowed folder that points outside it', () => {
    expect(code(() => guard.check(path.join(allowed, 'link-out', 'secret.txt')))).toBe('forbidden-path');
  });

  it('accepts a folder once it is allowed (a folder the user picked)', () => {
    const picked = new FolderGuard([allowed]);
    expect(code(() => picked.check(outside))).toBe('forbidden-path');
    picked.allow(outside);
    expect(picked.check(path.join(outside, 'secret.txt'))).toBe(path.join(outside, 'secret.txt'));
  });
});

describe('FolderGuard messages', () => {
  it('lists the allowed folders and how to add one; refuses a relative path as relative', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'ranp-guard-msg-'));
    const guard = new FolderGuard([root], 'start the app with --allow FOLDER');
    const outside = path.join(os.tmpdir(), 'elsewhere');
    expect(() => guard.check(outside)).toThrow(
      `'${outside}' is outside the folders this app may read: ${realpathSync(root)}. To read it, start the app with --allow FOLDER`,
    );
    const relative = (() => {
      try {
        guard.check('data/brats');
      } catch (error) {
        return error as ProtocolError;
      }
    })();
    expect(relative?.code).toBe('invalid-params');
    expect(relative?.message).toBe(
      "'data/brats' is a relative path; give the full path of the folder (e.g. /home/me/data/brats)",
    );
    rmSync(root, { recursive: true, force: true });
  });
});
