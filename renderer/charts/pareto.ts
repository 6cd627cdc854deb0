/** A point of an accuracy-against-cost chart: cost on x (lower is better), accuracy on y (higher is better). */
export interface CostPoint {
  id: string;
  cost: number;
  accuracy: number;
}

/**
 * The ids of the Pareto-optimal points: those no other point beats on both axes (at most the cost
 * and at least the accuracy, strictly better on one). Ordered by cost, so they draw as the front line.
 */
export function paretoFront(points: readonly CostPoint[]): string[] {
  const front = points.filter(
    (p) =>
      !points.some(
        (q) =>
          q !== p &&
          q.cost <= p.cost &&
          q.accuracy >= p.accuracy &&
          (q.cost < p.cost || q.accuracy > p.accuracy),
      ),
  );
  return [...front].sort((a, b) => a.cost - b.cost).map((p) => p.id);
}
