import { describe, expect, it } from 'vitest';
import { finalMetricName, isFinalMetric, metricTitle } from '../../../engine/domain/metric-names.js';

describe('metric names', () => {
  it("names a final evaluation 'final <metric>' and labels it as the best epoch's", () => {
    expect(finalMetricName('dice mean')).toBe('final dice mean');
    expect(isFinalMetric('final class mIoU')).toBe(true);
    expect(isFinalMetric('val dice mean')).toBe(false);
    expect(metricTitle('final dice mean')).toBe('dice mean (best epoch)');
    expect(metricTitle('val dice mean')).toBe('val dice mean');
    expect(metricTitle('finalists')).toBe('finalists');
  });
});
