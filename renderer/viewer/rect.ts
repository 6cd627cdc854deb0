/** CSS pixels relative to the canvas' top-left corner. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
