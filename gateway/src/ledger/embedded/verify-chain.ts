import { X509Certificate } from 'crypto';
import { Block, ZERO_HASH, decodeBlock, hashHeader, storedDataHash } from './block';
import { deriveTxId, verifySignature } from './creator';
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
 * transaction id derives from its nonce and creator, and each signature verifies with the creator's
 * certificate. Reports the first broken block.
 */
export async function verifyChain(db: Database): Promise<ChainVerification> {
    const tip = await readTip(db);
    const height = tip?.height ?? 0;
    const certificates = new Map<string, string>();
    const parsed = new Map<string, X509Certificate>();
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
            let pem = certificates.get(tx.creator.certificateHash);
            if (pem === undefined) {
                pem = (await db.get(certificateKey(tx.creator.certificateHash)))?.toString('utf8');
                if (pem === undefined) {
                    return broken(`transaction ${tx.txId}: creator certificate is missing`);
                }
                certificates.set(tx.creator.certificateHash, pem);
            }
            if (deriveTxId(Buffer.from(tx.nonce, 'hex'), tx.creator.mspId, pem) !== tx.txId) {
                return broken(`transaction ${tx.txId}: id does not derive from its nonce and creator`);
            }
            if (tx.signature !== undefined) {
                const message = proposalBytes({ ...tx, channelId, certificateHash: tx.creator.certificateHash, mspId: tx.creator.mspId });
                let certificate = parsed.get(tx.creator.certificateHash);
                if (!certificate) {
                    certificate = new X509Certificate(pem);
                    parsed.set(tx.creator.certificateHash, certificate);
                }
                if (!verifySignature(certificate, message, Buffer.from(tx.signature, 'base64'))) {
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
