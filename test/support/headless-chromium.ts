/**
 * Headless Chromium for the page checks, from the `@sparticuz/chromium` npm package: the browser
 * binary ships inside the package (brotli-compressed), so `npm ci` is the whole set-up — no system
 * browser, no download. A browser that cannot start FAILS the test that needs it; nothing skips.
 */
import chromiumPackage from '@sparticuz/chromium';
import { type Browser, chromium } from 'playwright-core';

/**
 * Our own flags rather than the package's Lambda set (which turns web security off): a page that
 * reaches outside its origin must show up as a failure, not be allowed. The background-networking
 * flags keep Chromium from dialling out on a closed network.
 */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--no-zygote',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-domain-reliability',
  '--disable-sync',
  '--font-render-hinting=none',
];

/**
 * Unpacks the binary (once per machine: it lands in the temp folder and is reused). Called by the
 * Vitest global set-up, before the workers start, so two suites never unpack it at the same time.
 */
export function chromiumExecutable(): Promise<string> {
  return chromiumPackage.executablePath();
}

async function launchHeadlessChromium(): Promise<Browser> {
  const executablePath = await chromiumExecutable();
  try {
    return await chromium.launch({ executablePath, args: ARGS });
  } catch (err) {
    throw new Error(
      `headless Chromium from @sparticuz/chromium (${executablePath}) did not start — the page checks need it: ${
        (err as Error).message
      }`,
    );
  }
}

/**
 * One browser for a suite, started by the first test that asks for it. Each test awaits it, so a
 * browser that cannot start fails every such test with the reason (a failing beforeAll would only
 * mark them skipped).
 */
export function suiteBrowser(): { get(): Promise<Browser>; close(): Promise<void> } {
  let launched: Promise<Browser> | undefined;
  return {
    get: () => {
      launched ??= launchHeadlessChromium();
      return launched;
    },
    close: async () => {
      await launched?.then(
        (browser) => browser.close(),
        () => undefined,
      );
    },
  };
}
