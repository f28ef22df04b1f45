/** URLs safe to log: query parameters that carry credentials (KuCoin's connect token) are masked. */
const SECRET_PARAMS = /([?&](?:token|listenKey|signature|apiKey|api_key)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1***');
}
