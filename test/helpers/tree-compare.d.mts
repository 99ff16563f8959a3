export interface TreeItem {
  kind: "dir" | "symlink" | "file" | "other";
  mode: number;
  mtimeMs: number;
  blocks: number;
  size: number;
  sha?: string;
  target?: string;
}
export function describeTree(dir: string): Map<string, TreeItem>;
export function compareTrees(original: Map<string, TreeItem>, restored: Map<string, TreeItem>): string[];
export function allocatedBytes(tree: Map<string, TreeItem>): number;
