/**
 * A Kinesis record's `data` as the stream functions read it: strict base64 of UTF-8 JSON, then the
 * payload's own schema. Every way the data can be wrong is a zod issue, so the batch processor
 * counts that one record as failed. Powertools' own `base64` transformer is not used: its decoder
 * throws inside the transform on data that is not base64, zod then retries the parse
 * asynchronously, and the Powertools parser leaves that promise's rejection unhandled — which
 * ends the Lambda runtime and fails the whole batch, good records with it.
 */
import { z } from 'zod';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function base64Json<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((data, ctx): unknown => {
      if (!BASE64.test(data)) {
        ctx.addIssue({ code: 'custom', message: 'data is not base64' });
        return z.NEVER;
      }
      let text: string;
      try {
        text = utf8.decode(Buffer.from(data, 'base64'));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'data is not UTF-8 text' });
        return z.NEVER;
      }
      try {
        return JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'data is not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}
