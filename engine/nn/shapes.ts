import type { FeatureShape, LayerNode, NetDescription, Triple } from './description.js';
import { LayerError } from './errors.js';
import { inputSizeError } from './input-sizes.js';
import { layerDef } from './layers/registry.js';

/**
 * Checks the graph (unique names, inputs defined before use, output/classifier present) and
 * returns every node's output shape (batch 1, no batch axis) for an input of spatial size
 * `inputSize` (default: the net's training size). Throws a LayerError naming the first bad layer;
 * an InputSizeError (a LayerError) when another size would fit, with the sizes that work.
 */
export function inferShapes(
  net: NetDescription,
  inputSize: Triple = net.inputSize,
): Map<string, FeatureShape> {
  if (inputSize.length !== 3 || inputSize.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(
      `net '${net.name}': input size must be three positive integers, got [${inputSize.join(',')}]`,
    );
  try {
    return shapesAt(net, inputSize);
  } catch (error) {
    // A layer that does not fit this size may fit another: say which sizes work.
    if (!(error instanceof LayerError)) throw error;
    const fits = (size: Triple) => {
      try {
        shapesAt(net, size);
        return true;
      } catch {
        return false;
      }
    };
    throw inputSizeError(net.name, inputSize, error, fits, net.inputSize) ?? error;
  }
}

function shapesAt(net: NetDescription, inputSize: Triple): Map<string, FeatureShape> {
  const shapes = new Map<string, FeatureShape>();
  for (const node of net.nodes) {
    if (shapes.has(node.name)) throw new LayerError(node.name, 'name is used by more than one layer');
    shapes.set(node.name, layerDef(node).outputShape(node, inputShapesOf(node, shapes, net, inputSize)));
  }
  for (const [role, name] of [
    ['output', net.output],
    ['classifier', net.classifier],
  ] as const)
    if (!shapes.has(name)) throw new Error(`net '${net.name}': ${role} '${name}' is not a layer of the net`);
  return shapes;
}

/** The shapes a node receives, in input order; the input node receives the net's input. */
export function inputShapesOf(
  node: LayerNode,
  shapes: ReadonlyMap<string, FeatureShape>,
  net: NetDescription,
  inputSize: Triple,
): FeatureShape[] {
  if (node.kind === 'input') return [{ channels: net.inputChannels, spatial: inputSize }];
  return node.inputs.map((input) => {
    const shape = shapes.get(input);
    if (!shape) throw new LayerError(node.name, `input '${input}' is not an earlier layer of the net`);
    return shape;
  });
}

/** Names of the nodes `target` depends on (itself included), in node order. */
export function ancestorsOf(net: NetDescription, target: string): LayerNode[] {
  const needed = new Set([target]);
  for (let i = net.nodes.length - 1; i >= 0; i--) {
    const node = net.nodes[i];
    if (needed.has(node.name)) for (const input of node.inputs) needed.add(input);
  }
  return net.nodes.filter((node) => needed.has(node.name));
}
