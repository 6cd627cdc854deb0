import type { LayerKind } from '../nn/description.js';
import type { ChannelRole } from '../nn/layer.js';
import { layerDefs } from '../nn/layers/registry.js';

export function channelRoleOfKind(kind: LayerKind): ChannelRole {
  const def = layerDefs[kind];
  if (!def) throw new Error(`unknown layer kind '${String(kind)}'`);
  return def.channelRole;
}
