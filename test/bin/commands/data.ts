/** The small slice of real data the command tests run on: the first minute of Binance USD-M BTCUSDT. */
import { fixture } from '../../support/fixtures.ts';

export const USDM = fixture('binance/hftbacktest_usdm_btcusdt_20240808.gz');
export const SPOT = fixture('binance/hftbacktest_spot_btcusdt_20240808.gz');
/** The capture starts at 23:54:13 UTC; its first minute of tape. */
export const TO_ISO = '2024-08-08T23:55:15Z';
export const TO_US = Date.parse(TO_ISO) * 1000;
