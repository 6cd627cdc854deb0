import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSplit } from '../../../engine/experiment/open-data.js';
import { pruneForTraining } from '../../../engine/experiment/prune-net.js';
import { resolveConfig } from '../../../engine/experiment/config.js';
import { scoreOnData, type ScoringSpec } from '../../../engine/experiment/score-on-data.js';
import { buildModel } from '../../../engine/nn/model.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import { scoreWeights } from '../../../engine/prune/score.js';

const SHAPENET = join(import.meta.dirname, '../../../assets/samples/shapenet');

describe('scoreOnData: open data, fit the net, score (real ShapeNet sample shapes)', () => {
  it('scores the net built for the data, the same from a folder, an open split and by hand', async () => {
    const spec: Omit<ScoringSpec, 'data'> = {
      task: 'shapenet',
      net: 'unet3d-shapenet',
      width: 0.125,
      inputSize: [8, 8, 8],
      seed: 4,
    };
    const fromFolder = await scoreOnData({ ...spec, data: SHAPENET, samples: 2 });
    const split = await openSplit('shapenet', SHAPENET, 'train', [8, 8, 8]);
    expect(fromFolder.net.classes).toBe(split.classes);
    expect(fromFolder.net.inputChannels).toBe(split.inputChannels);
    expect(fromFolder.net.inputSize).toEqual([8, 8, 8]);
    expect(fromFolder.scores).toMatchObject({ task: 'shapenet', samples: 2, inputSize: [8, 8, 8] });

    const fromSplit = await scoreOnData({ ...spec, data: split, samples: 2 });
    // The route each caller took before scoreOnData existed: build, fit to the data, score.
    const net = buildNet('unet3d-shapenet', {
      width: 0.125,
      inputSize: [8, 8, 8],
      classes: split.classes,
      inputChannels: split.inputChannels,
    });
    const model = buildModel(net, { seed: 4 });
    const byHand = await scoreWeights(model, split, { samples: 2, seed: 4 });
    model.dispose();
    for (const scored of [fromSplit, fromFolder]) {
      expect([...scored.scores.layers.keys()]).toEqual([...byHand.layers.keys()]);
      for (const [layer, { values }] of byHand.layers)
        expect(scored.scores.layers.get(layer)!.values).toEqual(values);
    }
    expect([...byHand.layers.values()].some((l) => l.values.some((v) => v > 0))).toBe(true);
  });
});

describe('pruneForTraining', () => {
  it('refuses prune.inherit with transfer before any data is read', async () => {
    const config = resolveConfig({
      task: 'brats',
      data: '/nonexistent/brats',
      prune: { inherit: true, widen: 2 },
    });
    await expect(pruneForTraining(config, undefined as never, [16, 16, 16])).rejects.toThrow(
      'prune.inherit cannot be combined with transfer (prune.from) or prune.widen: the shapes change',
    );
  });
});
