/**
 * A `fetch` that answers order placements with a recorded venue ack and passes every other request
 * through. With it, an order's whole client-side path (parameters, signing, URL and headers, the
 * response object, parsing the ack, the client's own bookkeeping) runs with no network and no
 * venue, so timing submit → ack measures the client's own CPU. The Response object is built per
 * call, as a real transport would.
 */
export interface CannedAck {
  readonly status: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface CannedAckFetch {
  readonly fetch: typeof fetch;
  /** Order placements answered with the canned ack so far (the bench checks its clients used it). */
  readonly answered: () => number;
}

export function cannedAckFetch(
  isOrderPlacement: (url: string, method: string) => boolean,
  ack: CannedAck,
  passThrough: typeof fetch = globalThis.fetch,
): CannedAckFetch {
  let answered = 0;
  return {
    fetch: (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!isOrderPlacement(url, init?.method ?? 'GET')) return passThrough(input, init);
      answered++;
      return Promise.resolve(new Response(ack.body, { status: ack.status, headers: ack.headers }));
    },
    answered: () => answered,
  };
}

/** Wraps `fetch` to keep the first order-placement answer it sees (to replay it as the canned ack). */
export function recordingFetch(
  isOrderPlacement: (url: string, method: string) => boolean,
  onAck: (ack: CannedAck) => void,
  inner: typeof fetch = globalThis.fetch,
): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!res.ok || !isOrderPlacement(url, init?.method ?? 'GET')) return res;
    const body = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    onAck({ status: res.status, body, headers });
    return new Response(body, { status: res.status, headers });
  };
}
