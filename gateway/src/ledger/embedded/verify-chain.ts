import { X509Certificate } from 'crypto';
import { Block, ZERO_HASH, decodeBlock, hashHeader, storedDataHash } from './block';
import { certificateFingerprint, deriveTxId, pemTextHash, verifySignature } from './creator';
import type { Database } from './database';
import { blockKey, certificateKey } from './keys';
import { proposalBytes } from './proposal';
import { readTip } from './tip';

/** The outcome of verifying a ledger's block chain. */
export type ChainVerification =
    | { readonly ok: true; readonly height: number; readonly tipHash: string | undefined }
    | { readonly ok: false; readonly height: number; readonly brokenBlock: number; readonly reason: string };

/**
 * Verifies the whole block chain: numbers are contiguous, each block's data hash and header hash
 * are right, each links to the previous block's hash, the tip record names the last block, each
 * creator certificate in the store matches the hash its blocks record (its fingerprint, or in blocks
 * written before the fingerprint, the SHA-256 of its PEM text: no block says which, none needs to),
 * each transaction id derives from its nonce and creator, and each signature verifies with the
 * creator's certificate. Reports the first broken block.
 */
export async function verifyChain(db: Database): Promise<ChainVerification> {
    const tip = await readTip(db);
    const height = tip?.height ?? 0;
    /** Creator certificates by the hash blocks record, each read, parsed and matched once. */
    const creators = new Map<string, { readonly pem: string; readonly certificate: X509Certificate }>();
    let previous: Block | undefined;
    let channelId = '';
    for (let number = 0; number < height; number++) {
        const broken = (reason: string): ChainVerification => ({ ok: false, height, brokenBlock: number, reason });
        const raw = await db.get(blockKey(number));
        if (!raw) {
            return broken('block is missing');
        }
        let block: Block;
        try {
            block = decodeBlock(raw);
        } catch {
            return broken('block is not readable');
        }
        if (block.header?.number !== number) {
            return broken(`block carries number ${block.header?.number}`);
        }
        if (block.header.previousHash !== (previous ? previous.hash : ZERO_HASH)) {
            return broken('previous hash does not match the previous block');
        }
        if (storedDataHash(raw) !== block.header.dataHash) {
            return broken('data hash does not match the data');
        }
        if (hashHeader(block.header) !== block.hash) {
            return broken('block hash does not match the header');
        }
        channelId = block.data.config?.channelId ?? channelId;
        for (const tx of block.data.transactions) {
            const hash = tx.creator.certificateHash;
            let creator = creators.get(hash);
            if (creator === undefined) {
                const pem = (await db.get(certificateKey(hash)))?.toString('utf8');
                if (pem === undefined) {
                    return broken(`transaction ${tx.txId}: creator certificate is missing`);
                }
                let certificate: X509Certificate;
                try {
                    certificate = new X509Certificate(pem);
                } catch {
                    return broken(`transaction ${tx.txId}: creator certificate is not readable`);
                }
                // The fingerprint (SHA-256 of the DER), or in blocks written before it, SHA-256 of the PEM text.
                if (certificateFingerprint(certificate) !== hash && pemTextHash(pem) !== hash) {
                    return broken(`transaction ${tx.txId}: creator certificate does not match the hash the block records`);
                }
                creator = { pem, certificate };
                creators.set(hash, creator);
            }
            if (deriveTxId(Buffer.from(tx.nonce, 'hex'), tx.creator.mspId, creator.pem) !== tx.txId) {
                return broken(`transaction ${tx.txId}: id does not derive from its nonce and creator`);
            }
            if (tx.signature !== undefined) {
                const message = proposalBytes({ ...tx, channelId, certificateHash: hash, mspId: tx.creator.mspId });
                if (!verifySignature(creator.certificate, message, Buffer.from(tx.signature, 'base64'))) {
                    return broken(`transaction ${tx.txId}: signature does not verify`);
                }
            }
        }
        previous = block;
    }
    if (height > 0 && (await db.get(blockKey(height)))) {
        return { ok: false, height, brokenBlock: height, reason: 'a block exists beyond the recorded height' };
    }
    if (tip && previous && tip.hash !== previous.hash) {
        return { ok: false, height, brokenBlock: height - 1, reason: 'the tip record does not name the last block' };
    }
    return { ok: true, height, tipHash: previous?.hash };
}
