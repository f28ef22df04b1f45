/**
 * The reason a kill request gives, from its optional body `{"reason": "…"}`: bounded and on one
 * line, because it goes to the log, the journal, the status and the control item. Nothing in a
 * body is a reason to refuse a kill: an unreadable one gets the default reason, saying why. Shared
 * by the task's HTTP control routes and the cloud's control function, so both read a body alike.
 */

/** The reason a kill gets when the request names none. */
export const DEFAULT_KILL_REASON = 'kill requested over HTTP';

/** Longest kill reason kept. */
const MAX_REASON_CHARS = 200;

export function killReason(body: string): string {
  if (body.length === 0) return DEFAULT_KILL_REASON;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `${DEFAULT_KILL_REASON} (body ignored: not valid JSON)`;
  }
  const reason =
    typeof parsed === 'object' && parsed !== null && 'reason' in parsed
      ? (parsed as { reason: unknown }).reason
      : undefined;
  if (reason === undefined) return DEFAULT_KILL_REASON;
  if (typeof reason !== 'string') return `${DEFAULT_KILL_REASON} (body ignored: reason is not a string)`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const line = reason.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (line.length === 0) return DEFAULT_KILL_REASON;
  return line.length > MAX_REASON_CHARS ? `${line.slice(0, MAX_REASON_CHARS)}…` : line;
}
