/** Anything that holds a resource (a DB handle, a process, a tensor set, a socket) and must be released. */
export interface Disposable {
  dispose(): void;
}

/** Collects disposables and releases them in reverse order. */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
      return item;
    }
    this.items.push(item);
    return item;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const item of this.items.reverse()) {
      try {
        item.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    this.items.length = 0;
    if (errors.length) throw new AggregateError(errors, 'some resources failed to release');
  }
}

export function toDisposable(release: () => void): Disposable {
  let done = false;
  return {
    dispose() {
      if (!done) {
        done = true;
        release();
      }
    },
  };
}
