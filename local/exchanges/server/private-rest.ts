/**
 * How a venue server hands REST requests to its simulated private API: the API claims the paths it
 * serves (its signed endpoints and `/sim/state`), the server answers the rest.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface PrivateRestApi {
  handles(path: string): boolean;
  rest(method: string, url: URL, body: string, headers: RequestHeaders, res: ServerResponse): void;
}

/** Answers the request from `api` when it claims the path; false when the public server should. */
export function servePrivateRest(
  api: PrivateRestApi,
  method: string,
  url: URL,
  body: string,
  res: ServerResponse,
  headers: IncomingMessage['headers'] | undefined,
): boolean {
  if (!api.handles(url.pathname)) return false;
  api.rest(method, url, body, headers ?? {}, res);
  return true;
}
