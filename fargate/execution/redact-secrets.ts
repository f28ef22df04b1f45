/**
 * Masks every configured secret and every signature sent from text before it may reach a log line
 * or an error message. Signatures are remembered as they are made (bounded ring), so a venue error
 * that echoes the request cannot leak one.
 */
import { redactUrl } from '../connectors/redact.ts';

const MAX_SIGNATURES = 256;

export class SecretRedactor {
  private readonly secrets: string[] = [];
  private readonly signatures: string[] = [];
  private next = 0;

  /** A value that must never be printed (API key, secret, passphrase, private key). */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 4 && !this.secrets.includes(value)) this.secrets.push(value);
  }

  /** A signature just put on the wire. */
  addSignature(signature: string): void {
    if (this.signatures.length < MAX_SIGNATURES) this.signatures.push(signature);
    else this.signatures[this.next] = signature;
    this.next = (this.next + 1) % MAX_SIGNATURES;
  }

  redact(text: string): string {
    let out = redactUrl(text);
    for (const s of this.secrets) out = out.split(s).join('***');
    for (const s of this.signatures) {
      out = out.split(s).join('***');
      const encoded = encodeURIComponent(s);
      if (encoded !== s) out = out.split(encoded).join('***');
    }
    return out;
  }
}
