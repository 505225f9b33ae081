import type { Context } from 'fabric-contract-api';
import { Role, getCaller } from '../ledger/caller';
import { compositeKey, readRecord, writeRecord } from '../ledger/state';
import { txId } from '../ledger/tx';
import { creatorFingerprint } from './certificate-fingerprint';

/**
 * Who signed a transaction. Fabric's key history gives a change's transaction id and time, never its
 * creator, so a transaction that changes state records its creator under `txCreator ~ txId`: the
 * audit pack then names, for each change of a record, the certificate that made it, and the
 * certificate's fingerprint leads to the user enrolment the platform recorded for it.
 */

/** The world-state type of creator records. */
export const TX_CREATOR = 'txCreator';

/** The signer of a transaction, as its certificate and organisation prove it. */
export interface TransactionCreator {
    mspId: string;
    /** The certificate's `xl.role`. */
    role: Role;
    /** The certificate's `xl.eid`: the enterprise the signer acts for. */
    enterpriseId: string;
    /** SHA-256 (hex) of the certificate's DER (see certificateFingerprint). */
    certificateFingerprint: string;
}

/** The transaction's signer. Throws UNAUTHENTICATED, FORBIDDEN (a certificate without valid xl attributes). */
export function transactionCreator(ctx: Context): TransactionCreator {
    const caller = getCaller(ctx);
    return { mspId: caller.mspId, role: caller.role, enterpriseId: caller.eid, certificateFingerprint: creatorFingerprint(ctx) };
}

const RECORDED = Symbol('xinlian.transactionCreatorRecorded');

/**
 * Records the transaction's signer under its transaction id, once per transaction however often it
 * is called. XinlianContract.afterTransaction calls it for every transaction that changed state. Throws UNAUTHENTICATED, FORBIDDEN.
 */
export async function recordTransactionCreator(ctx: Context): Promise<void> {
    const holder = ctx as unknown as Record<symbol, boolean>;
    if (holder[RECORDED]) {
        return;
    }
    holder[RECORDED] = true;
    await writeRecord(ctx, compositeKey(ctx, TX_CREATOR, [txId(ctx)]), transactionCreator(ctx));
}

/** The recorded signer of a committed transaction, or undefined when its transaction recorded none. */
export async function readTransactionCreator(ctx: Context, id: string): Promise<TransactionCreator | undefined> {
    return readRecord<TransactionCreator>(ctx, compositeKey(ctx, TX_CREATOR, [id]));
}
