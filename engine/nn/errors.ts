/** A problem with one layer of a net description: always names the layer and what was expected. */
export class LayerError extends Error {
  constructor(
    readonly layer: string,
    readonly problem: string,
  ) {
    super(`layer '${layer}': ${problem}`);
    this.name = 'LayerError';
  }
}
