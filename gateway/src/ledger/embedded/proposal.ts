/** The fields of a proposal that its creator signs. */
export interface SignedFields {
    readonly channelId: string;
    readonly txId: string;
    readonly nonce: string;
    readonly mspId: string;
    readonly certificateHash: string;
    readonly timestamp: string;
    readonly function: string;
    readonly args: readonly string[];
}

/** The canonical bytes a creator signs (and a verifier re-creates from the block). */
export function proposalBytes(fields: SignedFields): Buffer {
    return Buffer.from(
        JSON.stringify([fields.channelId, fields.txId, fields.nonce, fields.mspId, fields.certificateHash, fields.timestamp, fields.function, fields.args]),
        'utf8',
    );
}
