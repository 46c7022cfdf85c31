/**
 * Run `fn` over `items` with at most `limit` in flight, results in input order. A rejected item
 * rejects the whole call: callers that must survive bad devices return Result values instead.
 */
export const mapLimit = async <T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> => {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next;
      next += 1;
      // Index is in range by the loop condition; noUncheckedIndexedAccess cannot see it.
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
};
