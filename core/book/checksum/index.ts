export type { BookChecksum } from './book-checksum.ts';
export { CRC32_INIT, crc32, crc32Ascii, crc32Byte, crc32Finish, crc32FinishSigned } from './crc32.ts';
export { crc32Decimal, crc32DecimalDigits } from './decimal-crc.ts';
export { KrakenChecksum, krakenV1Checksum, krakenV2Checksum } from './kraken-checksum.ts';
export { OkxChecksum, type OkxChecksumOptions, okxChecksum } from './okx-checksum.ts';
