import { expect } from 'chai';
import { createHash } from 'crypto';
import { testCid } from '../testing/fixtures';
import { isDocumentCid } from './document-cid';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const cid = testCid;

const sha256 = createHash('sha256').update('invoice').digest();
const sha512 = createHash('sha512').update('invoice').digest();

describe('isDocumentCid', () => {
    it('accepts CIDv1 base32 for raw and dag-pb SHA-256, BLAKE2b-256 and SHA-512 content', () => {
        expect(isDocumentCid('bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi')).to.equal(true);
        expect(isDocumentCid(cid([0x01, 0x55, 0x12, 0x20], sha256))).to.equal(true);
        expect(isDocumentCid(cid([0x01, 0x70, 0x12, 0x20], sha256))).to.equal(true);
        expect(isDocumentCid(cid([0x01, 0x55, 0xa0, 0xe4, 0x02, 0x20], sha256))).to.equal(true);
        expect(isDocumentCid(cid([0x01, 0x55, 0x13, 0x40], sha512))).to.equal(true);
    });

    it('rejects CIDv0, other multibases, upper case and characters outside base32', () => {
        for (const value of [
            'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG',
            'zdj7WWeQ43G6JJvLWQWZpyHuAMq6uYWRjkBXFad11vE2LHhQ7',
            'BAFYBEIGDYRZT5SFP7UDM7HU76UH7Y26NF3EFUYLQABF3OCLGTQY55FBZDI',
            'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzd1',
            'bafy beigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi',
            '',
            'b',
        ]) {
            expect(isDocumentCid(value), value).to.equal(false);
        }
    });

    it('rejects truncated or extended CIDs, a wrong version, an identity hash and a digest length mismatch', () => {
        const good = cid([0x01, 0x55, 0x12, 0x20], sha256);
        expect(isDocumentCid(good.slice(0, -1))).to.equal(false);
        expect(isDocumentCid(good.slice(0, -8))).to.equal(false);
        expect(isDocumentCid(cid([0x01, 0x55, 0x12, 0x20], Uint8Array.from([...sha256, 0])))).to.equal(false);
        expect(isDocumentCid(cid([0x02, 0x55, 0x12, 0x20], sha256))).to.equal(false);
        expect(isDocumentCid(cid([0x01, 0x55, 0x00, 0x20], sha256))).to.equal(false);
        expect(isDocumentCid(cid([0x01, 0x55, 0x12, 0x10], sha256))).to.equal(false);
        expect(isDocumentCid(cid([0x01, 0x55, 0x12, 0x08], sha256.subarray(0, 8)))).to.equal(false);
    });

    it('rejects non-zero padding bits and over-long input', () => {
        const good = cid([0x01, 0x55, 0x12, 0x20], sha256);
        // 36 bytes = 288 bits → 58 characters with 2 padding bits in the last one.
        const last = ALPHABET.indexOf(good[good.length - 1]);
        expect(isDocumentCid(good.slice(0, -1) + ALPHABET[last | 1])).to.equal(false);
        expect(isDocumentCid('b' + 'a'.repeat(200))).to.equal(false);
    });
});
