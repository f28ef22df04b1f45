import { chromiumExecutable } from './headless-chromium.ts';

/**
 * Runs once before the test workers: the page checks' browser is unpacked here, not by two suites
 * at once. A failure is left to those suites, which then fail with the reason; the rest still run.
 */
export default async function setup(): Promise<void> {
  await chromiumExecutable().catch(() => undefined);
}
