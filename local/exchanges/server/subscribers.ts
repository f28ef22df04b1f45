/** Entries created on first use (subscriber sets per symbol, topics per depth). */
export function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

/** The subscriber set of `key`, created on first use. */
export function subscribersOf<T>(map: Map<string, Set<T>>, key: string): Set<T> {
  return getOrCreate(map, key, () => new Set<T>());
}
