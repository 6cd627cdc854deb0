/** Every error the store raises on purpose; the message says which run/file/field and what was expected. */
export class StoreError extends Error {
  override name = 'StoreError';
}

export class RunNotFoundError extends StoreError {
  override name = 'RunNotFoundError';
  constructor(readonly runId: number) {
    super(`run ${runId} not found`);
  }
}

/** The database was written by a newer RANP Studio (a schema this build does not know). */
export class SchemaVersionError extends StoreError {
  override name = 'SchemaVersionError';
}

/** An artifact file is missing, has the wrong size or the wrong content hash. */
export class ArtifactIntegrityError extends StoreError {
  override name = 'ArtifactIntegrityError';
  constructor(
    readonly file: string,
    readonly problem: 'missing' | 'size' | 'hash',
    /** What is wrong, without the file name (for messages that add context). */
    readonly detail: string,
  ) {
    super(`artifact file ${file}: ${detail}`);
  }
}

/** A bundle is malformed, fails verification, or names a path outside itself. */
export class BundleError extends StoreError {
  override name = 'BundleError';
}
