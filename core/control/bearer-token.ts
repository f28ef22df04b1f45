/** The token of an `Authorization: Bearer <token>` header; undefined when the header is absent or another scheme. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}
