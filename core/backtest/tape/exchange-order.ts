/**
 * Stable ordering of tape rows by exchange time. Rows arrive in receive order, and exchange time
 * differs from it only by feed-latency jitter, so the input is nearly sorted: an insertion sort does
 * it in close to one pass. A work budget falls back to a general stable sort for inputs that are not
 * (tapes merged from sources whose clocks disagree badly).
 */
export function exchangeOrder(exchTs: Float64Array, n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let budget = 64 * n + 1024;
  for (let i = 1; i < n; i++) {
    const row = order[i]!;
    const t = exchTs[row]!;
    let j = i - 1;
    // Strictly greater only: equal times keep receive order (stability keeps messages whole).
    while (j >= 0 && exchTs[order[j]!]! > t) {
      order[j + 1] = order[j]!;
      j--;
      if (--budget < 0) return generalSort(exchTs, n);
    }
    order[j + 1] = row;
  }
  return order;
}

function generalSort(exchTs: Float64Array, n: number): Int32Array {
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => exchTs[a]! - exchTs[b]! || a - b);
  return Int32Array.from(idx);
}
