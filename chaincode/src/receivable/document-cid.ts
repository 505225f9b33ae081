/**
 * Validation of document CIDs: a receivable's invoice document lives off-ledger in a
 * content-addressed store and the ledger keeps its CIDv1 in multibase base32 (the `b…` form IPFS
 * prints by default). We decode it and check the structure, not just the alphabet, so a typo or a
 * truncated CID is refused at registration rather than discovered when the document is needed.
 */

const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const BASE32_CHARS = /^[a-z2-7]+$/;

/** Shortest sensible CID: 1 version + 1 codec + 2 multihash header bytes + a 16-byte digest. */
const MIN_CID_BYTES = 20;
/** Longest accepted: a 64-byte digest (SHA-512, BLAKE2b-512) with multi-byte varints. */
const MAX_CID_LENGTH = 128;
const MIN_DIGEST_BYTES = 16;
const MAX_DIGEST_BYTES = 64;
/** The `identity` multihash embeds the content itself instead of a hash; it addresses nothing. */
const IDENTITY_MULTIHASH = 0x00;

/** Decodes unpadded RFC 4648 base32 (lowercase); undefined when the trailing bits are not zero. */
function decodeBase32(text: string): Uint8Array | undefined {
    const out: number[] = [];
    let buffer = 0;
    let bits = 0;
    for (const char of text) {
        buffer = (buffer << 5) | BASE32_ALPHABET.indexOf(char);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out.push((buffer >> bits) & 0xff);
        }
        buffer &= (1 << bits) - 1;
    }
    // Canonical encodings leave fewer than 5 zero bits over; anything else is a corrupted CID.
    if (bits >= 5 || buffer !== 0) {
        return undefined;
    }
    return Uint8Array.from(out);
}

/** Reads an unsigned LEB128 varint (at most 9 bytes, as multiformats allow). */
function readVarint(bytes: Uint8Array, offset: number): { value: number; next: number } | undefined {
    let value = 0;
    let shift = 0;
    for (let i = offset; i < bytes.length && i < offset + 9; i++) {
        const byte = bytes[i];
        value += (byte & 0x7f) * 2 ** shift;
        if ((byte & 0x80) === 0) {
            // Minimal encoding only: a trailing zero byte would give the same number two spellings.
            if (byte === 0 && i > offset) {
                return undefined;
            }
            return { value, next: i + 1 };
        }
        shift += 7;
    }
    return undefined;
}

/**
 * True for a CIDv1 in multibase base32: `b` then lowercase base32 that decodes to
 * version 1, a content codec, and a multihash whose declared digest length matches.
 */
export function isDocumentCid(value: string): boolean {
    if (typeof value !== 'string' || value.length > MAX_CID_LENGTH || !value.startsWith('b')) {
        return false;
    }
    const body = value.slice(1);
    if (!BASE32_CHARS.test(body)) {
        return false;
    }
    const bytes = decodeBase32(body);
    if (!bytes || bytes.length < MIN_CID_BYTES) {
        return false;
    }
    const version = readVarint(bytes, 0);
    if (!version || version.value !== 1) {
        return false;
    }
    const codec = readVarint(bytes, version.next);
    if (!codec) {
        return false;
    }
    const hashCode = readVarint(bytes, codec.next);
    if (!hashCode || hashCode.value === IDENTITY_MULTIHASH) {
        return false;
    }
    const digestLength = readVarint(bytes, hashCode.next);
    if (!digestLength || digestLength.value < MIN_DIGEST_BYTES || digestLength.value > MAX_DIGEST_BYTES) {
        return false;
    }
    return bytes.length - digestLength.next === digestLength.value;
}
