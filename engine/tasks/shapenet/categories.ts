/** The 16 ShapeNet part-segmentation categories, alphabetical, with their standard part counts and synsets. */
export interface ShapenetCategory {
  name: string;
  synset: string;
  parts: number;
  /** Global id of the category's first part (0-based); part p (1-based in .seg files) is offset + p - 1. */
  offset: number;
}

const TABLE: [string, string, number][] = [
  ['Airplane', '02691156', 4],
  ['Bag', '02773838', 2],
  ['Cap', '02954340', 2],
  ['Car', '02958343', 4],
  ['Chair', '03001627', 4],
  ['Earphone', '03261776', 3],
  ['Guitar', '03467517', 3],
  ['Knife', '03624134', 2],
  ['Lamp', '03636649', 4],
  ['Laptop', '03642806', 2],
  ['Motorbike', '03790512', 6],
  ['Mug', '03797390', 2],
  ['Pistol', '03948459', 3],
  ['Rocket', '04099429', 3],
  ['Skateboard', '04225987', 3],
  ['Table', '04379243', 3],
];

export const SHAPENET_CATEGORIES: readonly ShapenetCategory[] = TABLE.map(([name, synset, parts], index) => ({
  name,
  synset,
  parts,
  offset: TABLE.slice(0, index).reduce((sum, [, , n]) => sum + n, 0),
}));

export const SHAPENET_PARTS = 50;

/** Global part ids of a category (for per-shape mIoU over its own parts). */
export function categoryPartIds(category: ShapenetCategory): number[] {
  return Array.from({ length: category.parts }, (_, p) => category.offset + p);
}
