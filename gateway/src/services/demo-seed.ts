import { Role, leiCheckDigits, usccCheckCharacter } from '@xinlian/chaincode';
import type { Principal } from '../auth/auth-service';
import type { GatewayServices } from './gateway-services';

/**
 * The demo data seeded on first start (unless GATEWAY_SEED_DEMO=false): a core enterprise, two
 * tiers of suppliers, two financiers, a credit bureau, an appraiser, a foreign partner and the
 * regulator, one user each. Ids are fixed, valid USCCs and an LEI, so tests and the client app can
 * name them.
 */

function uscc(first17: string): string {
    return first17 + usccCheckCharacter(first17);
}

function lei(first18: string): string {
    return first18 + leiCheckDigits(first18);
}

/** Enterprise ids of the demo. */
export const DEMO_IDS = {
    platform: uscc('91110000MA0000001'),
    regulator: uscc('11100000MB0000002'),
    huadong: uscc('91310000MA1FL0003'),
    suzhou: uscc('91320500MA1MX0005'),
    hangzhou: uscc('91330100MA2H00006'),
    jiangnan: uscc('91110000100000008'),
    pudong: uscc('91310000100000009'),
    appraiser: uscc('91110108MA0100010'),
    bureau: uscc('91110000MA0200011'),
    singapore: lei('5493001KJTIIGC8Y1R'),
} as const;

export type DemoEnterpriseKey = keyof typeof DEMO_IDS;

export interface DemoEnterprise {
    readonly key: DemoEnterpriseKey;
    readonly id: string;
    readonly name: string;
    readonly kind: string;
    readonly mspId: string;
    readonly country?: string;
}

export const DEMO_ENTERPRISES: readonly DemoEnterprise[] = [
    { key: 'platform', id: DEMO_IDS.platform, name: 'Xinlian Platform Operations', kind: 'PLATFORM', mspId: 'PlatformMSP' },
    { key: 'regulator', id: DEMO_IDS.regulator, name: 'National Financial Regulatory Office', kind: 'REGULATOR', mspId: 'PlatformMSP' },
    { key: 'huadong', id: DEMO_IDS.huadong, name: 'Huadong Heavy Industries Co., Ltd.', kind: 'CORE_ENTERPRISE', mspId: 'PlatformMSP' },
    { key: 'suzhou', id: DEMO_IDS.suzhou, name: 'Suzhou Precision Castings Co., Ltd.', kind: 'SUPPLIER', mspId: 'PlatformMSP' },
    { key: 'hangzhou', id: DEMO_IDS.hangzhou, name: 'Hangzhou Fastener Works Co., Ltd.', kind: 'SUPPLIER', mspId: 'PlatformMSP' },
    { key: 'jiangnan', id: DEMO_IDS.jiangnan, name: 'Bank of Jiangnan', kind: 'FINANCIER', mspId: 'BankMSP' },
    { key: 'pudong', id: DEMO_IDS.pudong, name: 'Pudong Factoring Co., Ltd.', kind: 'FINANCIER', mspId: 'BankMSP' },
    { key: 'bureau', id: DEMO_IDS.bureau, name: 'Xinlian Credit Services Co., Ltd.', kind: 'CREDIT_BUREAU', mspId: 'PlatformMSP' },
    { key: 'appraiser', id: DEMO_IDS.appraiser, name: 'Zhongguancun IP Appraisal Co., Ltd.', kind: 'APPRAISER', mspId: 'BankMSP' },
    { key: 'singapore', id: DEMO_IDS.singapore, name: 'Singapore Trade Credit Agency', kind: 'FOREIGN_PARTNER', mspId: 'PartnerMSP', country: 'SG' },
];

export interface DemoUser {
    readonly username: string;
    readonly role: Role;
    readonly enterpriseId: string;
    readonly mspId: string;
}

/** One user per demo enterprise; the user name is the enterprise's key. */
export const DEMO_USERS: readonly DemoUser[] = [
    { username: 'admin', role: 'platform-admin', enterpriseId: DEMO_IDS.platform, mspId: 'PlatformMSP' },
    { username: 'regulator', role: 'regulator', enterpriseId: DEMO_IDS.regulator, mspId: 'PlatformMSP' },
    { username: 'huadong', role: 'core-enterprise', enterpriseId: DEMO_IDS.huadong, mspId: 'PlatformMSP' },
    { username: 'suzhou', role: 'supplier', enterpriseId: DEMO_IDS.suzhou, mspId: 'PlatformMSP' },
    { username: 'hangzhou', role: 'supplier', enterpriseId: DEMO_IDS.hangzhou, mspId: 'PlatformMSP' },
    { username: 'jiangnan', role: 'financier', enterpriseId: DEMO_IDS.jiangnan, mspId: 'BankMSP' },
    { username: 'pudong', role: 'financier', enterpriseId: DEMO_IDS.pudong, mspId: 'BankMSP' },
    { username: 'bureau', role: 'credit-bureau', enterpriseId: DEMO_IDS.bureau, mspId: 'PlatformMSP' },
    { username: 'appraiser', role: 'appraiser', enterpriseId: DEMO_IDS.appraiser, mspId: 'BankMSP' },
    { username: 'singapore', role: 'foreign-partner', enterpriseId: DEMO_IDS.singapore, mspId: 'PartnerMSP' },
];

/** The demo user of a role's first holder (e.g. 'supplier' → suzhou). */
export function demoUserOf(role: Role): DemoUser {
    const user = DEMO_USERS.find((u) => u.role === role);
    if (!user) {
        throw new Error(`no demo user holds ${role}`);
    }
    return user;
}

/**
 * Creates those of `users` that do not exist yet, each through UserService.createUser, so the
 * enrolment of every demo identity is recorded on the ledger by `admin` like any other user's.
 * Returns the names created. Throws what createUser throws.
 */
export async function createDemoUsers(services: Pick<GatewayServices, 'auth' | 'users'>, admin: Principal, users: readonly DemoUser[], password: string): Promise<string[]> {
    const missing = users.filter((user) => !services.auth.getUser(user.username));
    // scrypt runs on libuv's thread pool: hashing and sealing the users' keys in parallel halves the first start.
    await Promise.all(missing.map((user) => services.users.createUser(admin, { username: user.username, password, role: user.role, enterpriseId: user.enterpriseId })));
    return missing.map((user) => user.username);
}
