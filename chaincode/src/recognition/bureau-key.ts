import type { Context } from 'fabric-contract-api';
import { ZeroAddress, getAddress } from 'ethers';
import { fail } from '../errors';
import { Input } from '../ledger/input';
import { compositeKey, readRecord } from '../ledger/state';

/**
 * Credit-bureau signing keys: the published issuer keys of credit passports. A key is an Ethereum
 * address (the Keccak-256 of a secp256k1 public key) registered to one CREDIT_BUREAU enterprise.
 * A key is valid from `registeredAt` until `revokedAt`; a revoked address can never be registered
 * again, so a verifier's cached key list can only lose keys, never see one change owner.
 */

export type BureauKeyStatus = 'ACTIVE' | 'REVOKED';

/** A published credit-bureau key. Its id is the EIP-55 checksummed address. */
export interface BureauKey {
    docType: 'bureau-key';
    address: string;
    bureauId: string;
    label?: string;
    status: BureauKeyStatus;
    /** Start of validity: the registering transaction's time. */
    registeredAt: string;
    registeredBy: string;
    /** End of validity: the revoking transaction's time. */
    revokedAt?: string;
    revokedBy?: string;
    revocationReason?: string;
    txId: string;
}

export const BUREAU_KEY = 'bureau-key';
/** Index `bureau-key-by-bureau ~ bureauId ~ address`. */
export const BUREAU_KEY_BY_BUREAU = 'bureau-key-by-bureau';

/** The world-state key of a bureau key. */
export function bureauKeyKey(ctx: Context, address: string): string {
    return compositeKey(ctx, BUREAU_KEY, [address]);
}

/**
 * Parses an Ethereum address into its checksummed form. All-lower or all-upper hex is accepted;
 * mixed case must carry a correct EIP-55 checksum. The zero address is refused. Throws INVALID_ARGUMENT.
 */
export function parseAddress(value: unknown, path: string): string {
    if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(value)) {
        throw fail.invalid(`${path} must be an Ethereum address (0x + 40 hex digits)`);
    }
    let address: string;
    try {
        address = getAddress(value);
    } catch {
        throw fail.invalid(`${path} has a wrong EIP-55 checksum`);
    }
    if (address === ZeroAddress) {
        throw fail.invalid(`${path} must not be the zero address`);
    }
    return address;
}

/** The validated content of a RegisterBureauKey request. */
export interface BureauKeyRequest {
    bureauId: string;
    address: string;
    label?: string;
}

/** Reads `{bureauId, address, label?}`. Throws INVALID_ARGUMENT. */
export function parseBureauKeyRequest(input: Input): BureauKeyRequest {
    const bureauId = input.string('bureauId', { max: 20 });
    const address = parseAddress(input.string('address', { max: 42 }), 'request.address');
    const label = input.optionalString('label', { max: 100 });
    input.done();
    return label === undefined ? { bureauId, address } : { bureauId, address, label };
}

/** Builds the record of a newly registered key. */
export function newBureauKey(request: BureauKeyRequest, registeredBy: string, now: string, txId: string): BureauKey {
    return { docType: 'bureau-key', ...request, status: 'ACTIVE', registeredAt: now, registeredBy, txId };
}

/** Reads a key by checksummed address, or undefined. */
export function readBureauKey(ctx: Context, address: string): Promise<BureauKey | undefined> {
    return readRecord<BureauKey>(ctx, bureauKeyKey(ctx, address));
}
