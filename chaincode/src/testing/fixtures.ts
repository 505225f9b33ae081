import { createHash } from 'crypto';
import { leiCheckDigits, usccCheckCharacter } from '../enterprise/identifiers';
import { Harness } from './harness';
import { TestIdentity, newTestIdentity, newUser } from './identities';

/** A valid USCC built from 17 characters by appending the GB 32100-2015 check character. */
export function uscc(first17: string): string {
    const check = usccCheckCharacter(first17);
    if (!check) {
        throw new Error(`not a USCC body: ${first17}`);
    }
    return first17 + check;
}

/** A valid LEI built from 18 characters by appending the MOD 97-10 check digits. */
export function lei(first18: string): string {
    return first18 + leiCheckDigits(first18);
}

/** Enterprise ids of the standard cast. */
export const EID = {
    platform: uscc('91110000MA0000001'),
    regulator: uscc('11100000MB0000002'),
    core: uscc('91310000MA1FL0003'),
    core2: uscc('91440300MA5D00004'),
    tier1: uscc('91320500MA1MX0005'),
    tier2: uscc('91330100MA2H00006'),
    tier3: uscc('91350200MA3200007'),
    bank: uscc('91110000100000008'),
    bank2: uscc('91310000100000009'),
    appraiser: uscc('91110108MA0100010'),
    bureau: uscc('91110000MA0200011'),
    partner: lei('5493001KJTIIGC8Y1R'),
} as const;

/** Users of the standard cast, one per role and enterprise, plus misfits for negative tests. */
export interface Cast {
    admin: TestIdentity;
    regulator: TestIdentity;
    core: TestIdentity;
    core2: TestIdentity;
    tier1: TestIdentity;
    tier2: TestIdentity;
    tier3: TestIdentity;
    bank: TestIdentity;
    bank2: TestIdentity;
    appraiser: TestIdentity;
    bureau: TestIdentity;
    partner: TestIdentity;
    /** A certificate with no xl attributes. */
    anonymous: TestIdentity;
    /** A supplier-role certificate issued by the bank's CA: right role, wrong org. */
    wrongOrgSupplier: TestIdentity;
    /** A supplier-role certificate naming an enterprise that is not registered. */
    unregistered: TestIdentity;
}

let castPromise: Promise<Cast> | undefined;

/** Creates (once per process) the certificates of the standard cast. */
export function newCast(): Promise<Cast> {
    castPromise ??= (async () => ({
        admin: await newUser('PlatformMSP', 'admin', 'platform-admin', EID.platform),
        regulator: await newUser('PlatformMSP', 'regulator', 'regulator', EID.regulator),
        core: await newUser('PlatformMSP', 'core', 'core-enterprise', EID.core),
        core2: await newUser('PlatformMSP', 'core2', 'core-enterprise', EID.core2),
        tier1: await newUser('PlatformMSP', 'tier1', 'supplier', EID.tier1),
        tier2: await newUser('PlatformMSP', 'tier2', 'supplier', EID.tier2),
        tier3: await newUser('PlatformMSP', 'tier3', 'supplier', EID.tier3),
        bank: await newUser('BankMSP', 'bank', 'financier', EID.bank),
        bank2: await newUser('BankMSP', 'bank2', 'financier', EID.bank2),
        appraiser: await newUser('BankMSP', 'appraiser', 'appraiser', EID.appraiser),
        bureau: await newUser('PlatformMSP', 'bureau', 'credit-bureau', EID.bureau),
        partner: await newUser('PartnerMSP', 'partner', 'foreign-partner', EID.partner),
        anonymous: await newTestIdentity('PlatformMSP', 'anonymous'),
        wrongOrgSupplier: await newUser('BankMSP', 'mole', 'supplier', EID.tier1),
        unregistered: await newUser('PlatformMSP', 'stranger', 'supplier', uscc('91110000MA9990012')),
    }))();
    return castPromise;
}

/** Registers every enterprise of the standard cast. */
export async function registerCast(harness: Harness, cast: Cast): Promise<void> {
    const enterprises: Array<[string, string, string]> = [
        [EID.regulator, 'National Financial Regulatory Office', 'REGULATOR'],
        [EID.core, 'Huadong Heavy Industries Co., Ltd.', 'CORE_ENTERPRISE'],
        [EID.core2, 'Shenzhen Power Grid Equipment Co., Ltd.', 'CORE_ENTERPRISE'],
        [EID.tier1, 'Suzhou Precision Castings Co., Ltd.', 'SUPPLIER'],
        [EID.tier2, 'Hangzhou Fastener Works Co., Ltd.', 'SUPPLIER'],
        [EID.tier3, 'Xiamen Steel Wire Co., Ltd.', 'SUPPLIER'],
        [EID.bank, 'Bank of Jiangnan', 'FINANCIER'],
        [EID.bank2, 'Pudong Factoring Co., Ltd.', 'FINANCIER'],
        [EID.appraiser, 'Zhongguancun IP Appraisal Co., Ltd.', 'APPRAISER'],
        [EID.bureau, 'Xinlian Credit Services Co., Ltd.', 'CREDIT_BUREAU'],
    ];
    for (const [id, name, kind] of enterprises) {
        await harness.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id, name, kind }]);
    }
    await harness.submit(cast.admin, 'enterprise:RegisterEnterprise', [{ id: EID.partner, name: 'Singapore Trade Credit Agency', kind: 'FOREIGN_PARTNER', country: 'SG' }]);
}

/** A CID in multibase base32 (`b` + RFC 4648 lower case, unpadded) of `header` (version, codec, multihash code and length) and `digest`. */
export function testCid(header: readonly number[], digest: Uint8Array): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    let out = 'b';
    let buffer = 0;
    let bits = 0;
    for (const byte of [...header, ...digest]) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out += alphabet[(buffer >> bits) & 31];
        }
        buffer &= (1 << bits) - 1;
    }
    return bits > 0 ? out + alphabet[(buffer << (5 - bits)) & 31] : out;
}

/**
 * A valid invoice document CID (CIDv1, raw codec, sha-256, multibase base32) derived from `seed`:
 * each receivable needs a document of its own, since one document backs at most one receivable.
 */
export function testDocumentCid(seed: string): string {
    return testCid([0x01, 0x55, 0x12, 0x20], createHash('sha256').update(seed).digest());
}
