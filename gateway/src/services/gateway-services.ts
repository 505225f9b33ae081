import * as path from 'path';
import { AuthService, openAuthService } from '../auth/auth-service';
import { VERIFIER_USERNAME } from '../auth/reserved-names';
import { type Config, DEMO_PASSWORD } from '../config';
import type { DocumentStore } from '../documents/document-store';
import type { LedgerBackend, LedgerStatus, LedgerUser } from '../ledger/ledger-backend';
import { MetricsAccess, newMetricsAccess } from '../operations/metrics';
import { openBureauKeyStore } from '../passports/bureau-key-store';
import { PassportService, newPassportService } from '../passports/passport-service';
import { DEMO_IDS, DEMO_USERS } from './demo-seed';
import { EventsService, newEventsService } from './events-service';
import { IdempotencyStore, openIdempotencyStore } from './idempotency-store';
import { LedgerClient, LedgerObserver, newLedgerClient } from './ledger-client';
import { UserLog, UserService, newUserService } from './user-service';

/** Everything the HTTP layer calls. */
export interface GatewayServices {
    readonly auth: AuthService;
    readonly users: UserService;
    readonly ledger: LedgerClient;
    readonly idempotency: IdempotencyStore;
    readonly documents: DocumentStore;
    readonly passports: PassportService;
    readonly events: EventsService;
    /** Who may read /metrics and the detail of readiness (GATEWAY_METRICS_TOKEN). */
    readonly metricsAccess: MetricsAccess;
    /** The identity the gateway reads public data with (passport verification); never submits. */
    readonly verifier: LedgerUser;
    /** Checks the ledger answers. Throws AppError(LEDGER_UNAVAILABLE). */
    ledgerStatus(): Promise<LedgerStatus>;
    /** The demo users a sign-in page may name, while the demo seed is on (undefined when it is off). */
    demoAccounts(): Promise<DemoAccounts | undefined>;
    /** The ledger's current time, which maturity, grace and expiry are judged by (see GatewayServicesOptions.ledgerClock). */
    ledgerTime(): Date;
}

/** The demo users of this gateway that exist and are enabled, and their password when it is the public one. */
export interface DemoAccounts {
    readonly users: readonly { readonly username: string; readonly role: string; readonly enterpriseId: string }[];
    /**
     * The README's public demo password (DEMO_PASSWORD), given only when GATEWAY_DEMO_PASSWORD is not set
     * to another: a password someone chose is never shown.
     */
    readonly password?: string;
}

/**
 * The demo accounts of a gateway, or undefined without the demo seed. The platform admin is offered
 * only while its password is the demo one: it may have been created with GATEWAY_ADMIN_PASSWORD (a
 * setting read only on the start that creates it), so that is checked against the password itself,
 * once (`adminHasDemoPassword`, one password hash) rather than on every request of a public route.
 */
async function demoAccountsOf(config: Config, auth: AuthService, adminHasDemoPassword: () => Promise<boolean>): Promise<DemoAccounts | undefined> {
    if (!config.seedDemo) {
        return undefined;
    }
    const enabled = new Set(auth.listUsers().filter((user) => !user.disabled).map((user) => user.username));
    const offered = DEMO_USERS.filter((user) => enabled.has(user.username));
    const admin = offered.some((user) => user.role === 'platform-admin') && (await adminHasDemoPassword());
    const users = offered.filter((user) => admin || user.role !== 'platform-admin').map(({ username, role, enterpriseId }) => ({ username, role, enterpriseId }));
    return { users, ...(config.demoPassword === DEMO_PASSWORD ? { password: DEMO_PASSWORD } : {}) };
}

export interface GatewayServicesOptions {
    readonly config: Config;
    readonly backend: LedgerBackend;
    readonly documents: DocumentStore;
    readonly observeLedger?: LedgerObserver;
    /** The real time: tokens, idempotency records (default: the system clock). */
    readonly clock?: () => Date;
    /**
     * The ledger's transaction time (the embedded ledger may run ahead: `ledgerClock(config)`), which
     * credit passports are stamped and judged by (default: `clock`).
     */
    readonly ledgerClock?: () => Date;
    /**
     * Where account security actions (logins, sign-outs, password changes, API keys, users created, disabled
     * or enabled) are logged, one line each (AccountLog in auth/auth-service.ts), temporary files a stopped
     * gateway left that a store could not delete when it opened (TEMPORARY_FILE_NOT_DELETED), failures of the
     * idempotency purge, stale idempotency records discarded, and those the ledger holds only part of (default: nowhere).
     */
    readonly log?: UserLog;
}

/** The warning for a temporary file of the data directory, left by a stopped gateway, that a store could not delete when it opened. */
export const TEMPORARY_FILE_NOT_DELETED = 'a temporary file that a stopped gateway left in the data directory could not be deleted (delete it by hand)';

/** The platform enterprise's id, which the operator's users act for. */
export const PLATFORM_ID = DEMO_IDS.platform;

/**
 * The read identity of a gateway of `mspId`: the operator's on the platform's gateway; on another
 * organisation's gateway, one acting for that organisation's (first) demo enterprise, since the
 * chaincode accepts a role only from the organisations allowed to hold it.
 */
export function verifierOf(mspId: string): LedgerUser {
    if (mspId === 'PlatformMSP') {
        return { username: VERIFIER_USERNAME, role: 'platform-admin', enterpriseId: PLATFORM_ID, mspId };
    }
    const member = DEMO_USERS.find((u) => u.mspId === mspId);
    if (!member) {
        throw new Error(`no demo enterprise belongs to ${mspId}`);
    }
    return { username: VERIFIER_USERNAME, role: member.role, enterpriseId: member.enterpriseId, mspId };
}

export async function openGatewayServices(options: GatewayServicesOptions): Promise<GatewayServices> {
    const { config, backend } = options;
    const ledger = newLedgerClient(backend, { retry: { retries: config.mvccRetries, backoffMs: config.mvccBackoffMs }, observe: options.observeLedger });
    const auth = await openAuthService({
        directory: path.join(config.dataDir, 'auth'),
        tokenTtlSeconds: config.tokenTtlSeconds,
        passwordScrypt: config.passwordScrypt,
        loginAttempts: config.loginAttempts,
        loginWindowSeconds: config.loginWindowSeconds,
        loginClientAttempts: config.loginClientAttempts,
        passwordHashing: config.passwordHashing,
        enroll: (user) => backend.enroll(user),
        clock: options.clock,
        log: options.log,
        onCleanupError: (error) => options.log?.warn({ err: error }, TEMPORARY_FILE_NOT_DELETED),
    });
    const verifier = verifierOf(config.gatewayMspId);
    const keys = openBureauKeyStore(path.join(config.dataDir, 'bureau-keys'), config.walletPassphrase, config.keyScrypt, {
        clock: options.clock,
        onCleanupError: (error) => options.log?.warn({ err: error }, TEMPORARY_FILE_NOT_DELETED),
    });
    const ledgerTime = options.ledgerClock ?? options.clock ?? ((): Date => new Date());
    const idempotency = openIdempotencyStore(path.join(config.dataDir, 'idempotency'), {
        clock: options.clock,
        // Looked up with the gateway's read identity: the user may have been disabled since.
        outcomeOf: (submission) => backend.submissionOutcome(verifier, submission),
        retentionMs: config.idempotencyTtlHours * 60 * 60 * 1000,
        onPurgeError: (error) => options.log?.warn({ err: error }, 'purging expired idempotency records failed; the next purge tries again'),
        onStaleRecord: (stale) =>
            options.log?.warn(
                { username: stale.username, txIds: stale.txIds },
                'an idempotency record answered for transactions the ledger does not hold (was the data directory restored from a copy taken while the gateway ran?); discarded it, and the request runs as a new one',
            ),
        onPartialRecord: (partial) =>
            options.log?.warn(
                { username: partial.username, committed: partial.committed, missing: partial.missing },
                'an idempotency record answered for transactions of which the ledger holds only some (was the data directory restored from a copy taken while the gateway ran?); refused the repeat with 409 CONFLICT, neither replaying nor running it again',
            ),
    });
    // The records that expired while the gateway was stopped; later ones go on a timer.
    await idempotency.purgeExpired();
    let adminChecked: Promise<boolean> | undefined;
    const adminHasDemoPassword = (): Promise<boolean> => (adminChecked ??= auth.passwordMatches('admin', config.demoPassword).catch(() => false));
    return {
        ledgerTime,
        auth,
        users: newUserService(auth, ledger, { log: options.log }),
        ledger,
        idempotency,
        documents: options.documents,
        passports: newPassportService({ ledger, keys, verifier, clock: ledgerTime }),
        events: newEventsService(backend),
        metricsAccess: newMetricsAccess(config.metricsToken),
        verifier,
        ledgerStatus: () => backend.status(),
        demoAccounts: () => demoAccountsOf(config, auth, adminHasDemoPassword),
    };
}
