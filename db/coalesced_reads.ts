/**
 * Reads asked while an earlier read of the same kind is in the database wait for it to end, then
 * go together as one statement: group commit's shape, for a read. Each read still starts after it
 * was asked, so it sees everything committed before; a lone read waits for nothing.
 */

interface Pending<K, V> {
  key: K;
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * A function that looks `key` up through `lookup`, which answers many keys at once (by `idOf`);
 * at most `perLookupMax` keys a lookup. A failed lookup fails each read it carried.
 */
export function coalescedReads<K, V>(
  lookup: (keys: K[]) => Promise<Map<string, V>>,
  idOf: (key: K) => string,
  perLookupMax: number,
): (key: K) => Promise<V | undefined> {
  const waiting: Pending<K, V>[] = [];
  let inFlight = false;
  const drain = async () => {
    inFlight = true;
    while (waiting.length > 0) {
      const reads = waiting.splice(0, perLookupMax);
      const distinct = [...new Map(reads.map((read) => [idOf(read.key), read.key])).values()];
      try {
        const found = await lookup(distinct);
        for (const read of reads) read.resolve(found.get(idOf(read.key)));
      } catch (error) {
        for (const read of reads) read.reject(error);
      }
    }
    inFlight = false;
  };
  return (key) => {
    const { promise, resolve, reject } = Promise.withResolvers<V | undefined>();
    waiting.push({ key, resolve, reject });
    if (!inFlight) void drain();
    return promise;
  };
}
