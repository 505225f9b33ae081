import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { isIP } from 'net';
import * as path from 'path';
import { CERTIFICATE_LIFETIME_DAYS, issuedCertificates } from './ledger/embedded/local-ca';

/**
 * The gateway's configuration. This is the only module that reads the environment; everything
 * else receives a Config.
 */

export type LedgerBackendKind = 'embedded' | 'fabric';
export type DocumentStoreKind = 'embedded' | 'ipfs';

/** scrypt cost parameters (N, r, p). */
export interface ScryptParameters {
    readonly N: number;
    readonly r: number;
    readonly p: number;
}

/** Connection settings of one Fabric organisation's gateway peer. */
export interface FabricOrgConfig {
    readonly mspId: string;
    /** host:port of the org's peer gateway endpoint. */
    readonly peerEndpoint: string;
    /** TLS host name override (the peer certificate's name). */
    readonly peerHostAlias?: string;
    /** Path of the peer's TLS CA certificate (PEM). */
    readonly tlsCaPath: string;
    /** Fabric CA URL for enrolling this org's users. */
    readonly caUrl?: string;
    /** Path of the Fabric CA's TLS certificate (PEM). */
    readonly caTlsPath?: string;
    /** The CA's name (FABRIC_<ORG>_CA_NAME), for a CA server hosting several CAs. */
    readonly caName?: string;
    /** CA registrar identity (for registering users with attributes). */
    readonly caRegistrar?: string;
    readonly caRegistrarSecret?: string;
}

export interface FabricConfig {
    readonly channel: string;
    readonly chaincode: string;
    readonly orgs: readonly FabricOrgConfig[];
    /**
     * Prefix of the enrollment ids the gateway registers with the Fabric CAs (`<prefix><username>`), so a
     * gateway user never collides with a CA's own identities (e.g. its bootstrap registrar "admin").
     */
    readonly caIdentityPrefix: string;
    /** The gateway's own organisation (GATEWAY_MSP_ID): its peer must be reachable for the gateway to be ready. */
    readonly gatewayMspId?: string;
    readonly evaluateTimeoutMs: number;
    readonly endorseTimeoutMs: number;
    readonly submitTimeoutMs: number;
    readonly commitStatusTimeoutMs: number;
    /**
     * The largest gRPC message the gateway sends to or accepts from a peer (FABRIC_MAX_MESSAGE_BYTES), in bytes;
     * default DEFAULT_FABRIC_MAX_MESSAGE_BYTES, the peers' own limit. A larger answer is LEDGER_MESSAGE_TOO_LARGE.
     */
    readonly maxMessageBytes?: number;
}

/** 100 MiB: what a Fabric peer sends and accepts by default (peer.yaml), far above gRPC's 4 MiB client default. */
export const DEFAULT_FABRIC_MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

export interface Config {
    readonly port: number;
    readonly host: string;
    readonly dataDir: string;
    readonly ledgerBackend: LedgerBackendKind;
    /**
     * Embedded ledger only, for demos and tests: transactions are stamped this many days after the
     * real time, so maturities, redemptions and overdue notes can be shown without waiting. 0 = off.
     */
    readonly ledgerClockOffsetDays: number;
    /**
     * The organisation this gateway belongs to (GATEWAY_MSP_ID, default PlatformMSP). The platform's
     * gateway bootstraps the operator and seeds the demo ledger; another organisation's gateway (e.g. the
     * foreign partner's, on its own peer) only holds that organisation's users and reads with its identity.
     */
    readonly gatewayMspId: string;
    /** Encrypts every private key the gateway stores (wallet, bureau keys). */
    readonly walletPassphrase: string;
    /** True when the passphrase is the built-in development default. */
    readonly walletPassphraseIsDefault: boolean;
    readonly seedDemo: boolean;
    /** The demo users' password (GATEWAY_DEMO_PASSWORD): public, for demos only. */
    readonly demoPassword: string;
    /**
     * The platform admin's password on the start that creates it (GATEWAY_ADMIN_PASSWORD). Required
     * then without the demo seed; with the seed, the admin gets the demo password when it is unset.
     */
    readonly adminPassword?: string;
    /** Lifetime of an access token, in seconds. */
    readonly tokenTtlSeconds: number;
    /** Cost of password hashing (memory-hard scrypt). */
    readonly passwordScrypt: ScryptParameters;
    /** Cost of private-key encryption at rest. */
    readonly keyScrypt: ScryptParameters;
    readonly documentStore: DocumentStoreKind;
    readonly ipfsApiUrl: string;
    readonly maxDocumentBytes: number;
    /** Directory of the client app's static build; served at / when it exists. */
    readonly clientAppDir: string;
    /** GATEWAY_CLIENT_APP_DIR as set (undefined: the default, client-app/dist), for the messages naming it. */
    readonly clientAppDirSetting?: string;
    /**
     * The proxies whose X-Forwarded-For gives the client address (GATEWAY_TRUST_PROXY), passed to
     * express's `trust proxy`: false (the default) trusts none, so the client address is the socket's;
     * a number trusts that many hops; a list trusts the proxies at those addresses, subnets or address
     * kinds (loopback, linklocal, uniquelocal).
     */
    readonly trustProxy: false | number | readonly string[];
    /** Login attempts allowed per client address and user name within loginWindowSeconds. */
    readonly loginAttempts: number;
    /** Failed login attempts allowed per client address (whatever the user name) within loginWindowSeconds. */
    readonly loginClientAttempts: number;
    readonly loginWindowSeconds: number;
    /**
     * Password checks (scrypt) run at once, and how many more may wait: scrypt runs on libuv's thread
     * pool, which the ledger's LevelDB and file I/O share. A login beyond them is answered 429 at once.
     */
    readonly passwordHashing: { readonly concurrency: number; readonly queue: number };
    /** Read-conflict retries of one write, and the first backoff delay. */
    readonly mvccRetries: number;
    readonly mvccBackoffMs: number;
    /**
     * How long an idempotency record is kept, in hours (GATEWAY_IDEMPOTENCY_TTL_HOURS, default 24): a repeat
     * within it gets the first answer; after it, the key is forgotten and a request with it runs as a new one.
     */
    readonly idempotencyTtlHours: number;
    /**
     * The bearer token /metrics requires, and that lets an operator read the detail of /health/ready
     * (GATEWAY_METRICS_TOKEN). Unset: /metrics is served to anyone.
     */
    readonly metricsToken?: string;
    readonly logLevel: string;
    readonly fabric: FabricConfig;
}

/** The demo users' public password (GATEWAY_DEMO_PASSWORD's default); the gateway warns when the demo seed is on. */
export const DEMO_PASSWORD = 'xinlian-demo';

/** The development passphrase of the embedded demo; the gateway warns loudly when it is in use. */
export const DEV_WALLET_PASSPHRASE = 'xinlian-dev-wallet-passphrase';

/** The shortest password a user may have (also the demo and admin passwords set in the environment). */
export const MIN_PASSWORD_LENGTH = 10;

/** Configuration errors name the variable at fault. */
export class ConfigError extends Error {
    override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

/** scrypt cost 2^20 with r = 8 takes 1 GiB per hash; beyond that a login would fail for want of memory. */
const MAX_SCRYPT_LOG_N = 20;

function integer(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const raw = env[name];
    if (raw === undefined || raw === '') {
        return fallback;
    }
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
        const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
        throw new ConfigError(`${name} must be an integer ${range}, got ${JSON.stringify(raw)}`);
    }
    return Number(raw);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
    const raw = env[name];
    if (raw === undefined || raw === '') {
        return fallback;
    }
    if (!(allowed as readonly string[]).includes(raw)) {
        throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
    }
    return raw as T;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
    const raw = env[name];
    if (raw === undefined || raw === '') {
        return fallback;
    }
    if (!['true', 'false', '1', '0'].includes(raw)) {
        throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(raw)}`);
    }
    return raw === 'true' || raw === '1';
}

/** Parses a duration in seconds ("900") or with a unit ("15m", "1h", "30s"). */
function duration(env: Env, name: string, fallback: number): number {
    const raw = env[name];
    if (raw === undefined || raw === '') {
        return fallback;
    }
    const match = /^(\d+)\s*(s|m|h)?$/.exec(raw);
    if (!match || Number(match[1]) === 0) {
        throw new ConfigError(`${name} must be a positive duration such as 900, 15m or 1h`);
    }
    return Number(match[1]) * ({ s: 1, m: 60, h: 3600 } as const)[(match[2] ?? 's') as 's' | 'm' | 'h'];
}

/** A password setting: unset, or at least MIN_PASSWORD_LENGTH characters, not white space only (and not `username`). */
function password(env: Env, name: string, username?: string): string | undefined {
    const raw = env[name];
    if (raw === undefined || raw === '') {
        return undefined;
    }
    if (raw.length < MIN_PASSWORD_LENGTH || raw.trim() === '' || raw === username) {
        throw new ConfigError(`${name} must have at least ${MIN_PASSWORD_LENGTH} characters, not white space only${username ? `, and differ from the user name "${username}"` : ''}`);
    }
    return raw;
}

/** The shortest metrics token accepted: long enough not to be guessed. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

/** A bearer token as RFC 6750 writes one (b64token), so it can be sent as `Authorization: Bearer <token>`. */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** GATEWAY_METRICS_TOKEN: unset, or a bearer token of at least MIN_METRICS_TOKEN_LENGTH characters. */
function metricsToken(env: Env, name: string): string | undefined {
    const raw = env[name];
    if (raw === undefined || raw === '') {
        return undefined;
    }
    if (raw.length < MIN_METRICS_TOKEN_LENGTH || !BEARER_TOKEN.test(raw)) {
        throw new ConfigError(`${name} must have at least ${MIN_METRICS_TOKEN_LENGTH} characters, of letters, digits and - . _ ~ + / (then = padding), e.g. from "openssl rand -hex 32"`);
    }
    return raw;
}

/** The longest idempotency retention: a year. */
const MAX_IDEMPOTENCY_TTL_HOURS = 24 * 366;

/** The address kinds express's `trust proxy` knows by name. */
const PROXY_ADDRESS_KINDS = ['loopback', 'linklocal', 'uniquelocal'];

/** One entry of a trusted-proxy list: an address kind, an IP address, or a subnet in CIDR notation. */
function isProxyAddress(entry: string): boolean {
    if (PROXY_ADDRESS_KINDS.includes(entry)) {
        return true;
    }
    const [address, bits, ...rest] = entry.split('/');
    const version = isIP(address);
    if (version === 0 || rest.length > 0) {
        return false;
    }
    // A prefix of 0 (every address) is refused, as express's proxy-addr refuses it.
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) >= 1 && Number(bits) <= (version === 4 ? 32 : 128));
}

/** GATEWAY_TRUST_PROXY: off (default, "false" or 0), a hop count, or a comma-separated list of proxy addresses. */
function trustedProxies(env: Env, name: string): false | number | readonly string[] {
    const raw = (env[name] ?? '').trim();
    if (raw === '' || raw === 'false') {
        return false;
    }
    if (/^\d+$/.test(raw)) {
        return Number(raw) === 0 ? false : Number(raw);
    }
    if (raw === 'true') {
        // express would then take the client address from the first X-Forwarded-For entry, which any client writes.
        throw new ConfigError(`${name}=true would let every client choose its own address; give the number of proxies in front of the gateway, or their addresses`);
    }
    const entries = raw.split(',').map((entry) => entry.trim());
    const bad = entries.filter((entry) => !isProxyAddress(entry));
    if (bad.length > 0) {
        throw new ConfigError(
            `${name} must be false, a number of proxy hops, or a comma-separated list of IP addresses, CIDR subnets, ${PROXY_ADDRESS_KINDS.join(', ')}; got ${bad.map((entry) => JSON.stringify(entry)).join(', ')}`,
        );
    }
    return entries;
}

function fabricOrgs(env: Env, root: string): FabricOrgConfig[] {
    const orgs: FabricOrgConfig[] = [];
    for (const [prefix, mspId] of [
        ['PLATFORM', 'PlatformMSP'],
        ['BANK', 'BankMSP'],
        ['PARTNER', 'PartnerMSP'],
    ] as const) {
        const endpoint = env[`FABRIC_${prefix}_PEER_ENDPOINT`];
        if (!endpoint) {
            continue;
        }
        orgs.push({
            mspId,
            peerEndpoint: endpoint,
            peerHostAlias: env[`FABRIC_${prefix}_PEER_HOST_ALIAS`] || undefined,
            tlsCaPath: path.resolve(root, env[`FABRIC_${prefix}_TLS_CA`] ?? ''),
            caUrl: env[`FABRIC_${prefix}_CA_URL`] || undefined,
            caTlsPath: env[`FABRIC_${prefix}_CA_TLS_CERT`] ? path.resolve(root, env[`FABRIC_${prefix}_CA_TLS_CERT`] as string) : undefined,
            caName: env[`FABRIC_${prefix}_CA_NAME`] || undefined,
            caRegistrar: env[`FABRIC_${prefix}_CA_REGISTRAR`] || undefined,
            caRegistrarSecret: env[`FABRIC_${prefix}_CA_REGISTRAR_SECRET`] || undefined,
        });
    }
    return orgs;
}

const FABRIC_ORG_PREFIXES = { PlatformMSP: 'PLATFORM', BankMSP: 'BANK', PartnerMSP: 'PARTNER' } as const;
const FABRIC_ORG_SETTINGS = ['PEER_ENDPOINT', 'PEER_HOST_ALIAS', 'TLS_CA', 'CA_URL', 'CA_TLS_CERT', 'CA_NAME', 'CA_REGISTRAR', 'CA_REGISTRAR_SECRET'];

/** The line that opens a certificate in a PEM file. */
const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/** A PEM certificate file setting: set, and naming a readable file (not a directory) that holds a PEM certificate. */
function requirePemFile(env: Env, name: string, resolved: string | undefined, what: string): void {
    if (!env[name]) {
        throw new ConfigError(`${name} is required: the path of ${what} (PEM)`);
    }
    let isFile: boolean;
    try {
        isFile = statSync(resolved as string).isFile();
    } catch {
        throw new ConfigError(`${name}=${env[name]}: no such file (${resolved}); it must be the path of ${what} (PEM)`);
    }
    if (!isFile) {
        throw new ConfigError(`${name}=${env[name]} is not a file (${resolved}); it must be the path of ${what} (PEM)`);
    }
    let text: string;
    try {
        text = readFileSync(resolved as string, 'utf8');
    } catch (error) {
        throw new ConfigError(`${name}=${env[name]} cannot be read (${resolved}: ${(error as Error).message}); it must be the path of ${what} (PEM)`);
    }
    if (text.trim() === '') {
        throw new ConfigError(`${name}=${env[name]} is empty (${resolved}); it must hold ${what} (PEM)`);
    }
    if (!text.includes(PEM_CERTIFICATE)) {
        throw new ConfigError(`${name}=${env[name]} holds no PEM certificate (no "${PEM_CERTIFICATE}" line in ${resolved}); it must hold ${what}`);
    }
}

/**
 * Checks the Fabric settings before anything starts: every configured org has its peer's TLS root, a CA
 * with its TLS certificate and registrar where users are enrolled, and every org the gateway enrolls users
 * for (its own; with the demo seed on the platform's gateway, all three) is configured.
 */
function validateFabric(env: Env, orgs: readonly FabricOrgConfig[], gatewayMspId: keyof typeof FABRIC_ORG_PREFIXES, seedDemo: boolean): void {
    for (const [mspId, prefix] of Object.entries(FABRIC_ORG_PREFIXES)) {
        const org = orgs.find((o) => o.mspId === mspId);
        const P = `FABRIC_${prefix}_`;
        if (!org) {
            const stray = FABRIC_ORG_SETTINGS.filter((setting) => env[P + setting]);
            if (stray.length > 0) {
                throw new ConfigError(`${P}PEER_ENDPOINT is required when ${stray.map((setting) => P + setting).join(', ')} ${stray.length === 1 ? 'is' : 'are'} set`);
            }
            continue;
        }
        if (!/^[^\s:/]+:\d{1,5}$/.test(org.peerEndpoint)) {
            throw new ConfigError(`${P}PEER_ENDPOINT must be host:port, got ${JSON.stringify(org.peerEndpoint)}`);
        }
        requirePemFile(env, `${P}TLS_CA`, org.tlsCaPath, `the TLS root certificate of ${mspId}'s peer`);
        if (org.caUrl) {
            if (!/^https?:\/\/[^\s/]+/.test(org.caUrl)) {
                throw new ConfigError(`${P}CA_URL must be an http(s) URL such as https://127.0.0.1:27000, got ${JSON.stringify(org.caUrl)}`);
            }
            if (org.caUrl.startsWith('https:')) {
                requirePemFile(env, `${P}CA_TLS_CERT`, org.caTlsPath, `the TLS certificate of ${mspId}'s Fabric CA`);
            }
            for (const setting of ['CA_REGISTRAR', 'CA_REGISTRAR_SECRET']) {
                if (!env[P + setting]) {
                    throw new ConfigError(`${P}${setting} is required with ${P}CA_URL: the gateway registers its users with ${mspId}'s Fabric CA`);
                }
            }
        } else if (env[`${P}CA_TLS_CERT`]) {
            requirePemFile(env, `${P}CA_TLS_CERT`, org.caTlsPath, `the TLS certificate of ${mspId}'s Fabric CA`);
        }
    }
    // The orgs whose users this gateway enrolls: its own, and with the platform's demo seed every demo org.
    const enrolling = seedDemo && gatewayMspId === 'PlatformMSP' ? Object.keys(FABRIC_ORG_PREFIXES) : [gatewayMspId];
    for (const mspId of enrolling) {
        const P = `FABRIC_${FABRIC_ORG_PREFIXES[mspId as keyof typeof FABRIC_ORG_PREFIXES]}_`;
        const why = mspId === gatewayMspId ? `this gateway belongs to ${mspId} (GATEWAY_MSP_ID)` : `the demo seed (GATEWAY_SEED_DEMO) enrolls users of ${mspId}; or set GATEWAY_SEED_DEMO=false`;
        const org = orgs.find((o) => o.mspId === mspId);
        if (!org) {
            throw new ConfigError(`${P}PEER_ENDPOINT and ${P}TLS_CA are required: ${why}`);
        }
        if (!org.caUrl) {
            throw new ConfigError(`${P}CA_URL is required (with ${P}CA_TLS_CERT, ${P}CA_REGISTRAR, ${P}CA_REGISTRAR_SECRET): ${why}`);
        }
    }
}

/**
 * Whether GATEWAY_HOST binds only the loopback interface (localhost, 127.0.0.0/8, ::1): then only this
 * host can reach the gateway directly. Any other address, a wildcard (0.0.0.0, ::) or a host name is not.
 */
export function isLoopbackHost(host: string): boolean {
    const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    if (bare === 'localhost' || bare === '::1') {
        return true;
    }
    const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
    return isIP(v4) === 4 && v4.startsWith('127.');
}

/** The repository root: two levels above this file in both src/ and dist/. */
export function repositoryRoot(): string {
    return path.resolve(__dirname, '..', '..');
}

/** The gateway's data directory: GATEWAY_DATA_DIR (relative paths from the repository root), default .xinlian. */
export function dataDirectory(env: Env = process.env): string {
    return path.resolve(repositoryRoot(), env.GATEWAY_DATA_DIR || '.xinlian');
}

/**
 * Makes sure the data directory can be used before anything is written to it: creates it when missing,
 * and checks that it is a directory the gateway can write in (by creating and removing a file). Throws
 * ConfigError naming GATEWAY_DATA_DIR.
 */
export function prepareDataDirectory(dataDir: string): void {
    const refuse = (why: string): never => {
        throw new ConfigError(`GATEWAY_DATA_DIR (${dataDir}) ${why}; it must be a directory the gateway can write in`);
    };
    try {
        mkdirSync(dataDir, { recursive: true });
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
            refuse(`cannot be created: ${(error as Error).message}`);
        }
    }
    let isDirectory = false;
    try {
        isDirectory = statSync(dataDir).isDirectory();
    } catch (error) {
        refuse(`cannot be read: ${(error as Error).message}`);
    }
    if (!isDirectory) {
        refuse('is not a directory');
    }
    const probe = path.join(dataDir, `.write-check-${process.pid}`);
    try {
        writeFileSync(probe, '');
        rmSync(probe, { force: true });
    } catch (error) {
        refuse(`is not writable: ${(error as Error).message}`);
    }
}

/** Where the embedded backend keeps its ledger (block store and world state) and its wallet (local CA and users) in a data directory. */
export function embeddedDirectories(dataDir: string): { readonly ledger: string; readonly wallet: string } {
    return { ledger: path.join(dataDir, 'embedded', 'ledger'), wallet: path.join(dataDir, 'embedded', 'wallet') };
}

/**
 * The largest GATEWAY_LEDGER_CLOCK_OFFSET_DAYS: the embedded ledger refuses a transaction stamped after
 * its creator's certificate expires, and its local CA issues each user's certificate at the real time for
 * CERTIFICATE_LIFETIME_DAYS. With this offset a certificate issued now still works for a day.
 */
export const MAX_LEDGER_CLOCK_OFFSET_DAYS = CERTIFICATE_LIFETIME_DAYS - 1;

const OFFSET_LIMIT_REASON = `the embedded ledger refuses a transaction stamped after its signer's certificate expires, and its local CA's certificates last ${CERTIFICATE_LIFETIME_DAYS} days from their issue at the real time`;

const DAY_MS = 86_400_000;

/**
 * With GATEWAY_LEDGER_CLOCK_OFFSET_DAYS on the embedded ledger, checks the certificates its wallet already
 * holds (a data directory of earlier starts) before anything is opened: a certificate issued long enough
 * ago expires before the ledger's time, and the ledger would refuse every transaction of its user. Throws
 * ConfigError naming the variable, the first certificate to expire and the largest offset that works with
 * this data directory; CorruptFileError for a wallet file that cannot be read. Reads only.
 */
export function checkLedgerClockOffset(config: Pick<Config, 'dataDir' | 'ledgerBackend' | 'ledgerClockOffsetDays'>, now: Date = new Date()): void {
    if (config.ledgerBackend !== 'embedded' || config.ledgerClockOffsetDays === 0) {
        return;
    }
    const wallet = embeddedDirectories(config.dataDir).wallet;
    const ledgerTime = new Date(now.getTime() + config.ledgerClockOffsetDays * DAY_MS);
    const certificates = issuedCertificates(wallet);
    const expired = certificates.filter((c) => c.validTo < ledgerTime).sort((a, b) => a.validTo.getTime() - b.validTo.getTime());
    if (expired.length === 0) {
        return;
    }
    const first = expired[0];
    const largest = Math.floor((first.validTo.getTime() - now.getTime()) / DAY_MS);
    const what = `GATEWAY_LEDGER_CLOCK_OFFSET_DAYS=${config.ledgerClockOffsetDays} puts the ledger's time at ${ledgerTime.toISOString()}, after ${expired.length} of the ${certificates.length} certificates in ${wallet} have expired (the first, ${first.name} of ${first.mspId}, on ${first.validTo.toISOString()})`;
    const why = `the embedded ledger refuses a transaction stamped after its signer's certificate expires, and these were issued on earlier starts, for ${CERTIFICATE_LIFETIME_DAYS} days`;
    const remedy = largest < 0 ? 'that is before the real time already: start on a new GATEWAY_DATA_DIR' : `with this data directory the offset can be at most ${largest}; or start on a new GATEWAY_DATA_DIR`;
    throw new ConfigError(`${what}: ${why}. ${remedy[0].toUpperCase()}${remedy.slice(1)}`);
}

/**
 * Refuses, before anything is written, the first start of a platform gateway without the demo seed and
 * without GATEWAY_ADMIN_PASSWORD: it would create the platform admin with no password to give it (the
 * bootstrap refuses it too, but only after the ledger and wallet were made). A first start is one whose
 * data directory holds no users yet. Throws ConfigError.
 */
export function checkFirstStartAdmin(config: Pick<Config, 'dataDir' | 'gatewayMspId' | 'seedDemo' | 'adminPassword'>): void {
    if (config.gatewayMspId !== 'PlatformMSP' || config.seedDemo || config.adminPassword !== undefined || existsSync(path.join(config.dataDir, 'auth', 'users.json'))) {
        return;
    }
    throw new ConfigError(FIRST_ADMIN_PASSWORD_REQUIRED);
}

/** Why a first start without the demo seed needs GATEWAY_ADMIN_PASSWORD. */
export const FIRST_ADMIN_PASSWORD_REQUIRED =
    'GATEWAY_ADMIN_PASSWORD is required on the first start without the demo seed (GATEWAY_SEED_DEMO=false): it is the password of the platform admin "admin" this start creates (at least 10 characters)';

/** Reads the configuration from `env` (default: process.env). Throws ConfigError. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
    const root = repositoryRoot();
    const ledgerBackend = oneOf(env, 'LEDGER_BACKEND', ['embedded', 'fabric'] as const, 'embedded');
    const passphrase = env.GATEWAY_WALLET_PASSPHRASE ?? '';
    if (ledgerBackend === 'fabric' && passphrase === '') {
        throw new ConfigError('GATEWAY_WALLET_PASSPHRASE is required with LEDGER_BACKEND=fabric');
    }
    const gatewayMspId = oneOf(env, 'GATEWAY_MSP_ID', ['PlatformMSP', 'BankMSP', 'PartnerMSP'] as const, 'PlatformMSP');
    const fabric: FabricConfig = {
        channel: env.FABRIC_CHANNEL || 'xinlian',
        gatewayMspId,
        chaincode: env.FABRIC_CHAINCODE || 'xinlian',
        orgs: fabricOrgs(env, root),
        caIdentityPrefix: env.FABRIC_CA_ID_PREFIX ?? 'gw-',
        evaluateTimeoutMs: integer(env, 'FABRIC_EVALUATE_TIMEOUT_MS', 5_000, 1),
        endorseTimeoutMs: integer(env, 'FABRIC_ENDORSE_TIMEOUT_MS', 15_000, 1),
        submitTimeoutMs: integer(env, 'FABRIC_SUBMIT_TIMEOUT_MS', 5_000, 1),
        commitStatusTimeoutMs: integer(env, 'FABRIC_COMMIT_STATUS_TIMEOUT_MS', 60_000, 1),
        // gRPC's message lengths are 32-bit.
        maxMessageBytes: integer(env, 'FABRIC_MAX_MESSAGE_BYTES', DEFAULT_FABRIC_MAX_MESSAGE_BYTES, 1024 * 1024, 2 ** 31 - 1),
    };
    const ledgerClockOffsetDays = integer(env, 'GATEWAY_LEDGER_CLOCK_OFFSET_DAYS', 0);
    if (ledgerBackend === 'fabric' && ledgerClockOffsetDays !== 0) {
        throw new ConfigError('GATEWAY_LEDGER_CLOCK_OFFSET_DAYS works only with the embedded ledger: on Fabric the transaction time is the timestamp in each proposal, and a peer refuses one more than its time window (peer.authentication.timewindow, 15 minutes) away from its clock');
    }
    if (ledgerClockOffsetDays > MAX_LEDGER_CLOCK_OFFSET_DAYS) {
        throw new ConfigError(
            `GATEWAY_LEDGER_CLOCK_OFFSET_DAYS must be at most ${MAX_LEDGER_CLOCK_OFFSET_DAYS}, got ${JSON.stringify(env.GATEWAY_LEDGER_CLOCK_OFFSET_DAYS)}: ${OFFSET_LIMIT_REASON}, so a larger offset stamps even the first transaction of a user enrolled a moment ago after its certificate's end`,
        );
    }
    if (ledgerBackend === 'fabric' && fabric.orgs.length === 0) {
        throw new ConfigError('LEDGER_BACKEND=fabric needs at least FABRIC_PLATFORM_PEER_ENDPOINT and FABRIC_PLATFORM_TLS_CA (test-network/network.sh gateway-env prints them for the test network)');
    }

    const seedDemo = flag(env, 'GATEWAY_SEED_DEMO', true);
    if (ledgerBackend === 'fabric') {
        validateFabric(env, fabric.orgs, gatewayMspId, seedDemo);
    }
    const config: Config = {
        port: integer(env, 'GATEWAY_PORT', 8080, 0, 65_535),
        host: env.GATEWAY_HOST || '127.0.0.1',
        dataDir: dataDirectory(env),
        ledgerBackend,
        ledgerClockOffsetDays,
        gatewayMspId,
        walletPassphrase: passphrase || DEV_WALLET_PASSPHRASE,
        walletPassphraseIsDefault: passphrase === '',
        seedDemo,
        demoPassword: password(env, 'GATEWAY_DEMO_PASSWORD') ?? DEMO_PASSWORD,
        adminPassword: password(env, 'GATEWAY_ADMIN_PASSWORD', 'admin'),
        tokenTtlSeconds: duration(env, 'GATEWAY_TOKEN_TTL', 15 * 60),
        passwordScrypt: { N: 2 ** integer(env, 'GATEWAY_PASSWORD_SCRYPT_LOG_N', 15, 10, MAX_SCRYPT_LOG_N), r: 8, p: 1 },
        keyScrypt: { N: 2 ** integer(env, 'GATEWAY_KEY_SCRYPT_LOG_N', 15, 10, MAX_SCRYPT_LOG_N), r: 8, p: 1 },
        documentStore: oneOf(env, 'DOCUMENT_STORE', ['embedded', 'ipfs'] as const, 'embedded'),
        ipfsApiUrl: env.IPFS_API_URL || 'http://127.0.0.1:5001',
        maxDocumentBytes: integer(env, 'GATEWAY_MAX_DOCUMENT_BYTES', 20 * 1024 * 1024, 1),
        clientAppDir: path.resolve(root, env.GATEWAY_CLIENT_APP_DIR || 'client-app/dist'),
        clientAppDirSetting: env.GATEWAY_CLIENT_APP_DIR || undefined,
        trustProxy: trustedProxies(env, 'GATEWAY_TRUST_PROXY'),
        loginAttempts: integer(env, 'GATEWAY_LOGIN_ATTEMPTS', 10, 1),
        loginClientAttempts: integer(env, 'GATEWAY_LOGIN_CLIENT_ATTEMPTS', 30, 1),
        loginWindowSeconds: integer(env, 'GATEWAY_LOGIN_WINDOW_SECONDS', 60, 1),
        passwordHashing: {
            concurrency: integer(env, 'GATEWAY_PASSWORD_HASH_CONCURRENCY', 2, 1, 64),
            queue: integer(env, 'GATEWAY_PASSWORD_HASH_QUEUE', 16, 0, 10_000),
        },
        mvccRetries: integer(env, 'GATEWAY_MVCC_RETRIES', 3),
        mvccBackoffMs: integer(env, 'GATEWAY_MVCC_BACKOFF_MS', 50),
        idempotencyTtlHours: integer(env, 'GATEWAY_IDEMPOTENCY_TTL_HOURS', 24, 1, MAX_IDEMPOTENCY_TTL_HOURS),
        metricsToken: metricsToken(env, 'GATEWAY_METRICS_TOKEN'),
        logLevel: oneOf(env, 'GATEWAY_LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
        fabric,
    };
    return { ...config, ...overrides };
}
