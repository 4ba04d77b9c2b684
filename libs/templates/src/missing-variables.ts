/**
 * A copy of `root` where the value at `path` is null (Liquid's nil), copying only the objects
 * along the path so the caller's event and profile are never touched. Undefined when the path
 * cannot be made present this way (a key containing a dot, an index before the start of a list…),
 * which tells renderTemplate to stop probing.
 */
export function withNullAt(root: object, path: readonly string[]): object | undefined {
  const [head, ...rest] = path;
  if (head === undefined) return undefined;
  const copy: Record<string, unknown> = Array.isArray(root) ? ([...root] as unknown as Record<string, unknown>) : { ...root };
  if (rest.length === 0) {
    if (Array.isArray(root) && !/^\d+$/.test(head)) return undefined;
    copy[head] = null;
    return copy;
  }
  const child = Object.prototype.hasOwnProperty.call(root, head) ? (root as Record<string, unknown>)[head] : undefined;
  if (typeof child !== 'object' || child === null) return undefined;
  const replaced = withNullAt(child, rest);
  if (replaced === undefined) return undefined;
  copy[head] = replaced;
  return copy;
}
