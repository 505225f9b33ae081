import * as path from 'path';
import { ATTR_EID, ATTR_ROLE } from '@xinlian/chaincode';
import type { Agreement, CreditLine, Enterprise, Note, Receivable } from '@xinlian/chaincode';
import type { Principal } from '../auth/auth-service';
import { reservedNameReason } from '../auth/reserved-names';
import { ConfigError, FIRST_ADMIN_PASSWORD_REQUIRED } from '../config';
import { AppError } from '../errors';
import { actsAs, describeIdentityAttributes } from '../ledger/fabric-certificate';
import type { LedgerBackend } from '../ledger/ledger-backend';
import { IdentityNotTrustedError } from '../ledger/ledger-errors';
import { readJsonFile, removeStaleTemporaryFiles, writeFileAtomic } from '../storage/atomic-file';
import { DEMO_ENTERPRISES, DEMO_IDS, DEMO_USERS, DemoUser, createDemoUsers } from './demo-seed';
import type { GatewayServices } from './gateway-services';

/**
 * First-start work: the platform operator's user and enterprise, the gateway's read identity, and
 * (unless disabled) the demo data. Each step checks before it acts, so a restart repeats nothing.
 */

export interface BootstrapOptions {
    readonly dataDir: string;
    /**
     * The gateway's organisation (default PlatformMSP). Another organisation's gateway bootstraps only its
     * read identity and, with seedDemo, that organisation's demo users (the ledger is seeded by the platform).
     */
    readonly mspId?: string;
    /**
     * The platform admin's password when bootstrap creates it (GATEWAY_ADMIN_PASSWORD). Without it the
     * admin gets the demo password with seedDemo, and cannot be created (ConfigError) without.
     */
    readonly adminPassword?: string;
    readonly seedDemo: boolean;
    readonly demoPassword: string;
    readonly log: (message: string) => void;
    /** Warnings for the operator (default: log). */
    readonly warn?: (message: string) => void;
    /** The ledger's clock (default: the real time): the demo's dates are counted from it. */
    readonly clock?: () => Date;
}

const ADMIN = DEMO_USERS[0];

async function exists(read: () => Promise<unknown>): Promise<boolean> {
    try {
        await read();
        return true;
    } catch (error) {
        if (error instanceof AppError && error.code === 'NOT_FOUND') {
            return false;
        }
        throw error;
    }
}

function principal(username: string, services: GatewayServices): Principal {
    const user = services.auth.getUser(username);
    if (!user) {
        throw new Error(`bootstrap: user ${username} is missing`);
    }
    return user;
}

/**
 * Throws ConfigError when a user of a demo user's name exists for another role, enterprise or organisation
 * (made by the platform admin while the demo seed was off): the seed would act as that user.
 */
function requireDemoUsers(services: GatewayServices, users: readonly DemoUser[]): void {
    for (const demo of users) {
        const user = services.auth.getUser(demo.username);
        if (user && (user.role !== demo.role || user.enterpriseId !== demo.enterpriseId || user.mspId !== demo.mspId)) {
            throw new ConfigError(
                `user ${demo.username} exists as a ${user.role} of ${user.enterpriseId} (${user.mspId}), but the demo seed (GATEWAY_SEED_DEMO) needs ${demo.username} to be the demo's ${demo.role} of ${demo.enterpriseId} and would act as it: start with GATEWAY_SEED_DEMO=false, or with an empty GATEWAY_DATA_DIR for a demo`,
            );
        }
    }
}

/**
 * Enrolls the gateway's read identity when the wallet holds none that fits it. Its name is reserved
 * (auth/reserved-names.ts), so no user is created with it; a user given it by an older gateway, whose
 * wallet entry would have taken the read identity's place, is named in a warning (disable it).
 */
async function ensureVerifier(services: GatewayServices, backend: LedgerBackend, options: BootstrapOptions): Promise<void> {
    const warn = options.warn ?? options.log;
    for (const user of services.auth.listUsers()) {
        const reserved = reservedNameReason(user.username);
        if (reserved && !user.disabled) {
            warn(
                `user ${user.username} has a reserved name (${reserved}), given to it before such names were refused: its ledger identity is not its own; disable it (POST /api/v1/users/${user.username}/disable) and create the user again under another name`,
            );
        }
    }
    if (!(await backend.hasIdentity(services.verifier))) {
        // The read identity is the gateway's own: whatever the wallet holds under its name is not a user's to keep.
        await backend.enroll(services.verifier, { replace: true });
    }
}

/**
 * Checks that the wallet holds, for each enabled user of users.json, an identity whose certificate carries
 * the user's role and enterprise (xl.role, xl.eid: what the chaincode reads), and warns for each that does not,
 * naming the user, what its record expects and what the certificate carries (the backend refuses its requests);
 * then names each user whose creation did not finish (its identity may be enrolled, but the user was not
 * stored). Users of reserved names are ensureVerifier's to name.
 */
async function checkUserIdentities(services: GatewayServices, backend: LedgerBackend, options: BootstrapOptions): Promise<void> {
    const warn = options.warn ?? options.log;
    for (const user of services.auth.listUsers()) {
        if (user.disabled || reservedNameReason(user.username)) {
            continue;
        }
        let found: string;
        try {
            const attrs = await backend.identityAttributes(user);
            if (attrs && actsAs(attrs, user)) {
                continue;
            }
            found = attrs ? `the certificate of its identity in the wallet carries ${describeIdentityAttributes(attrs)}` : `the wallet holds no identity ${user.username} of ${user.mspId}`;
        } catch (error) {
            found = `the certificate of its identity in the wallet cannot be read (${(error as Error).message})`;
        }
        warn(
            `user ${user.username} is ${user.role} of ${user.enterpriseId} (${user.mspId}), so its identity must carry ${describeIdentityAttributes({ [ATTR_ROLE]: user.role, [ATTR_EID]: user.enterpriseId })}, but ${found}: its requests are refused. The wallet and users.json are not of one data directory: restore GATEWAY_DATA_DIR whole from one backup, or disable the user (POST /api/v1/users/${user.username}/disable) and create it again under another name`,
        );
    }
    for (const unfinished of services.auth.unfinishedUsers()) {
        warn(
            `the creation of user ${unfinished.username} as ${unfinished.role} of ${unfinished.enterpriseId} (${unfinished.mspId}), begun at ${unfinished.since}, did not finish: its identity may be enrolled, but no such user exists; create it again with that role and enterprise (POST /api/v1/users) to finish it`,
        );
    }
}

function isoDate(date: Date): string {
    return date.toISOString().slice(0, 10);
}

function addDays(date: Date, days: number): Date {
    return new Date(date.getTime() + days * 86_400_000);
}

/**
 * Ensures the admin user, the platform enterprise and the verifier identity exist. An identity of the data
 * folder that the ledger refuses (a wallet kept across `network.sh clean`) stops the start at once, saying
 * so: it is no outage, waiting would not help.
 */
export async function bootstrapPlatform(services: GatewayServices, backend: LedgerBackend, options: BootstrapOptions): Promise<void> {
    try {
        await bootstrapOrganisation(services, backend, options);
    } catch (error) {
        if (error instanceof IdentityNotTrustedError) {
            throw new AppError(
                'INTERNAL',
                `the identities in GATEWAY_DATA_DIR (${options.dataDir}) are not trusted by this network (was it cleaned?); start with an empty GATEWAY_DATA_DIR`,
                { cause: error },
            );
        }
        throw error;
    }
}

async function bootstrapOrganisation(services: GatewayServices, backend: LedgerBackend, options: BootstrapOptions): Promise<void> {
    if (options.mspId && options.mspId !== ADMIN.mspId) {
        await bootstrapMember(services, backend, { ...options, mspId: options.mspId });
        return;
    }
    await ensureAdmin(services, options);
    const admin = principal(ADMIN.username, services);
    await ensureVerifier(services, backend, options);
    await checkUserIdentities(services, backend, options);
    const platform = DEMO_ENTERPRISES[0];
    if (!(await exists(() => services.ledger.evaluate(admin, 'enterprise:ReadEnterprise', [platform.id])))) {
        await services.ledger.submit(admin, 'enterprise:RegisterEnterprise', [{ id: platform.id, name: platform.name, kind: platform.kind }]);
    }
    // The admin and the read identity are enrolled before the platform enterprise exists: their
    // enrolments are recorded now (a record the ledger holds already is left as it is).
    await services.users.recordEnrolment(admin, admin);
    await services.users.recordEnrolment(admin, services.verifier);
    if (options.seedDemo) {
        await seedDemo(services, options);
    }
}

/**
 * Creates the platform admin on first start: with GATEWAY_ADMIN_PASSWORD, else (demo seed only) with
 * the public demo password, saying so. Without either it throws ConfigError: an operator's platform must
 * not start with a password everybody knows. On a later start without the seed, it warns when the admin
 * still has the demo password.
 */
async function ensureAdmin(services: GatewayServices, options: BootstrapOptions): Promise<void> {
    const warn = options.warn ?? options.log;
    if (services.auth.getUser(ADMIN.username)) {
        if (options.adminPassword !== undefined) {
            options.log('GATEWAY_ADMIN_PASSWORD is used only when the admin is created; it exists already (change its password with POST /api/v1/auth/password)');
        } else if (!options.seedDemo && (await services.auth.passwordMatches(ADMIN.username, options.demoPassword))) {
            warn('the platform admin "admin" still has the public demo password: change it now with POST /api/v1/auth/password');
        }
        return;
    }
    if (options.adminPassword !== undefined) {
        await services.auth.createUser({ ...ADMIN, password: options.adminPassword });
        options.log('created the platform admin user "admin" with the password of GATEWAY_ADMIN_PASSWORD');
        return;
    }
    if (!options.seedDemo) {
        throw new ConfigError(FIRST_ADMIN_PASSWORD_REQUIRED);
    }
    await services.auth.createUser({ ...ADMIN, password: options.demoPassword });
    warn('created the platform admin user "admin" with the public demo password (GATEWAY_SEED_DEMO is on): for demos only; set GATEWAY_ADMIN_PASSWORD on the first start of a real platform, or change it with POST /api/v1/auth/password');
}

/** A member organisation's gateway: its read identity and, with seedDemo, its own demo users. */
async function bootstrapMember(services: GatewayServices, backend: LedgerBackend, options: BootstrapOptions & { mspId: string }): Promise<void> {
    await ensureVerifier(services, backend, options);
    await checkUserIdentities(services, backend, options);
    // One read with the read identity: a ledger that does not trust the data folder's identities, or is not
    // reachable yet, shows now rather than at the first request. A refusal by the contract is an answer.
    try {
        await services.ledger.evaluate(services.verifier, 'enterprise:ReadEnterprise', [services.verifier.enterpriseId]);
    } catch (error) {
        if (error instanceof IdentityNotTrustedError || (error instanceof AppError && (error.code === 'LEDGER_UNAVAILABLE' || error.code === 'LEDGER_TIMEOUT'))) {
            throw error;
        }
    }
    if (options.seedDemo) {
        requireDemoUsers(services, DEMO_USERS.filter((user) => user.mspId === options.mspId));
        const mine = DEMO_USERS.filter((user) => user.mspId === options.mspId && !services.auth.getUser(user.username));
        await Promise.all(mine.map((user) => services.auth.createUser({ ...user, password: options.demoPassword })));
        if (mine.length > 0) {
            options.log(`created the demo users of ${options.mspId}: ${mine.map((u) => u.username).join(', ')}`);
        }
    }
}

/** Seeds the demo enterprises, users and state once (a marker file records that it ran). */
export async function seedDemo(services: GatewayServices, options: BootstrapOptions): Promise<void> {
    const marker = path.join(options.dataDir, 'demo-seeded.json');
    // Before the marker is written: a temporary file named with this process's pid is then an earlier process's.
    await removeStaleTemporaryFiles(options.dataDir, {
        owns: (written) => written === path.basename(marker),
        onError: (error) => (options.warn ?? options.log)(`a temporary file of ${marker} that a stopped gateway left could not be deleted (delete it by hand): ${(error as Error).message}`),
    });
    // The marker only records that the seed ran: without it the next start looks for each demo step on the ledger again.
    if (await readJsonFile(marker, { ifCorrupt: 'remove it, and the next start checks the demo data again, adding only what the ledger lacks' })) {
        return;
    }
    const clock = options.clock ?? (() => new Date());
    const admin = principal(ADMIN.username, services);
    for (const enterprise of DEMO_ENTERPRISES.slice(1)) {
        if (!(await exists(() => services.ledger.evaluate<Enterprise>(admin, 'enterprise:ReadEnterprise', [enterprise.id])))) {
            await services.ledger.submit(admin, 'enterprise:RegisterEnterprise', [
                { id: enterprise.id, name: enterprise.name, kind: enterprise.kind, ...(enterprise.country ? { country: enterprise.country } : {}) },
            ]);
        }
    }
    requireDemoUsers(services, DEMO_USERS);
    // Through UserService.createUser, so each demo user's enrolment is recorded on the ledger like any other's.
    await createDemoUsers(services, admin, DEMO_USERS.slice(1), options.demoPassword);
    const as = (username: string): Principal => principal(username, services);
    const now = clock();

    // Each ledger step looks first: another gateway (or this one, before it lost its data folder) may
    // have seeded this ledger already, and what is there is used instead of written twice.
    const lines = await services.ledger.evaluate<CreditLine[]>(as('jiangnan'), 'credit-line:ListCreditLines', [DEMO_IDS.huadong]);
    const existingLine = lines.find((l) => l.financierId === DEMO_IDS.jiangnan && l.coreEnterpriseId === DEMO_IDS.huadong && l.status === 'ACTIVE');
    const lineId = existingLine?.id ?? (
        await services.ledger.submit<CreditLine>(as('jiangnan'), 'credit-line:GrantCreditLine', [
            { coreEnterpriseId: DEMO_IDS.huadong, currency: 'CNY', limit: '500000000', expiresAt: isoDate(addDays(now, 365)) },
        ])
    ).result.id;
    const sold = await services.ledger.evaluate<Receivable[]>(as('suzhou'), 'receivable:ListReceivables', [DEMO_IDS.suzhou, 'seller']);
    const receivables: Receivable[] = [];
    let alreadySeeded = true;
    for (const [number, amount] of [
        ['SPC-2026-0417', '18000000'],
        ['SPC-2026-0418', '7500000'],
    ] as const) {
        let receivable = sold.find((r) => r.invoiceNumber === number && r.buyerId === DEMO_IDS.huadong && r.status !== 'CANCELLED');
        if (!receivable) {
            alreadySeeded = false;
            const invoice = Buffer.from(
                `Commercial invoice ${number}\nSeller: Suzhou Precision Castings Co., Ltd. (${DEMO_IDS.suzhou})\nBuyer: Huadong Heavy Industries Co., Ltd. (${DEMO_IDS.huadong})\nAmount: CNY ${(Number(amount) / 100).toFixed(2)}\nGoods: ductile iron castings, lot ${number.slice(-4)}\n`,
            );
            const document = await services.documents.put(invoice, 'text/plain', DEMO_IDS.suzhou);
            const registered = await services.ledger.submit<Receivable>(as('suzhou'), 'receivable:RegisterReceivable', [
                {
                    buyerId: DEMO_IDS.huadong,
                    invoiceNumber: number,
                    amount,
                    currency: 'CNY',
                    issueDate: isoDate(addDays(now, -14)),
                    dueDate: isoDate(addDays(now, 76)),
                    documentCid: document.cid,
                },
            ]);
            receivable = registered.result;
        }
        if (receivable.status === 'REGISTERED') {
            receivable = (await services.ledger.submit<Receivable>(as('huadong'), 'receivable:ConfirmReceivable', [receivable.id])).result;
        }
        receivables.push(receivable);
    }
    if (receivables.every((r) => r.status === 'CONFIRMED')) {
        await services.ledger.submit<Note>(as('huadong'), 'note:IssueNote', [
            {
                holderId: DEMO_IDS.suzhou,
                amount: '25500000',
                currency: 'CNY',
                maturityDate: isoDate(addDays(now, 90)),
                creditLineId: lineId,
                receivableIds: receivables.map((r) => r.id),
            },
        ]);
    }
    if (!alreadySeeded) {
        // The bureau's passport key is held by the gateway that seeded the ledger.
        await services.passports.registerGatewayKey(admin, DEMO_IDS.bureau, 'Xinlian Credit Services passport key 1');
        await services.passports.issue(as('bureau'), { subjectId: DEMO_IDS.suzhou });
    }
    const agreements = await services.ledger.evaluate<Agreement[]>(admin, 'recognition:ListAgreements', [DEMO_IDS.singapore]);
    let agreement = agreements.find((a) => a.partnerMspId === 'PartnerMSP' && (a.status === 'ACTIVE' || a.status === 'PROPOSED'));
    if (!agreement) {
        agreement = (
            await services.ledger.submit<Agreement>(admin, 'recognition:ProposeAgreement', [
                {
                    partnerId: DEMO_IDS.singapore,
                    partnerMspId: 'PartnerMSP',
                    gradeScale: [
                        { minScore: 850, grade: 'A1' },
                        { minScore: 700, grade: 'A2' },
                        { minScore: 550, grade: 'B1' },
                        { minScore: 400, grade: 'B2' },
                        { minScore: 0, grade: 'C' },
                    ],
                    validFrom: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
                    validUntil: isoDate(addDays(now, 730)),
                },
            ])
        ).result;
    }
    if (agreement.status === 'PROPOSED') {
        await services.ledger.submit(as('singapore'), 'recognition:AcceptAgreement', [agreement.id]);
    }
    await writeFileAtomic(marker, JSON.stringify({ seededAt: clock().toISOString() }));
    options.log(
        alreadySeeded
            ? 'the demo data is already on this ledger (seeded by another gateway or an earlier data folder): created the local demo users only'
            : 'seeded the demo data',
    );
}

/** Retries `work` while it fails with LEDGER_UNAVAILABLE or LEDGER_TIMEOUT, at most `attempts` times. */
export async function whileLedgerUnavailable<T>(work: () => Promise<T>, onRetry: (error: AppError, attempt: number) => void, attempts = 20, delayMs = 3000): Promise<T> {
    for (let attempt = 1; ; attempt++) {
        try {
            return await work();
        } catch (error) {
            const transient = error instanceof AppError && (error.code === 'LEDGER_UNAVAILABLE' || error.code === 'LEDGER_TIMEOUT');
            if (!transient || attempt >= attempts) {
                throw error;
            }
            onRetry(error, attempt);
            await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
    }
}
