/**
 * Comparing a reset token with the admin token in time that does not depend on where they first
 * differ (no early exit), so response timing does not leak the token character by character.
 * Pure code rather than node:crypto `timingSafeEqual`: core imports no Node modules. An empty admin
 * token never matches: an unset secret must not mean "anyone may reset".
 */
export function adminTokenMatches(given: string, admin: string): boolean {
  if (admin.length === 0) return false;
  let diff = given.length ^ admin.length;
  for (let i = 0; i < admin.length; i++) {
    // charCodeAt past the end is NaN, and NaN | 0 = 0: a shorter token still walks the whole length.
    diff |= (given.charCodeAt(i) | 0) ^ admin.charCodeAt(i);
  }
  return diff === 0;
}
