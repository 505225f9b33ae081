import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { ConfigError, DEV_WALLET_PASSPHRASE, MAX_LEDGER_CLOCK_OFFSET_DAYS, checkLedgerClockOffset, embeddedDirectories, isLoopbackHost, loadConfig, repositoryRoot } from './config';
import { CERTIFICATE_LIFETIME_DAYS, openLocalCa } from './ledger/embedded/local-ca';
import { CorruptFileError } from './storage/atomic-file';

/** Files the tests name as certificates: the configuration checks that the path is a file holding a PEM certificate. */
const pemDirectory = mkdtempSync(path.join(tmpdir(), 'xinlian-config-pem-'));
after(() => rmSync(pemDirectory, { recursive: true, force: true }));
function pemFile(name: string, text: string): string {
    const file = path.join(pemDirectory, name);
    writeFileSync(file, text);
    return file;
}
const PEM = pemFile('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUXinlianTestCertificate\n-----END CERTIFICATE-----\n');

describe('config', () => {
    it('defaults to the embedded demo on 127.0.0.1:8080 with data in .xinlian', () => {
        const config = loadConfig({});
        expect(config).to.include({ port: 8080, host: '127.0.0.1', ledgerBackend: 'embedded', seedDemo: true, documentStore: 'embedded', walletPassphraseIsDefault: true });
        expect(config.dataDir).to.equal(path.join(repositoryRoot(), '.xinlian'));
        expect(config.walletPassphrase).to.equal(DEV_WALLET_PASSPHRASE);
        expect(config.fabric).to.include({ channel: 'xinlian', chaincode: 'xinlian' });
    });

    it('reads durations, flags and the fabric orgs', () => {
        const config = loadConfig({
            GATEWAY_TOKEN_TTL: '1h',
            GATEWAY_SEED_DEMO: 'false',
            LEDGER_BACKEND: 'fabric',
            GATEWAY_WALLET_PASSPHRASE: 'p',
            FABRIC_PLATFORM_PEER_ENDPOINT: 'localhost:7051',
            FABRIC_PLATFORM_TLS_CA: PEM,
            FABRIC_PLATFORM_CA_URL: 'https://localhost:7054',
            FABRIC_PLATFORM_CA_TLS_CERT: PEM,
            FABRIC_PLATFORM_CA_REGISTRAR: 'admin',
            FABRIC_PLATFORM_CA_REGISTRAR_SECRET: 'adminpw',
        });
        expect(config).to.include({ tokenTtlSeconds: 3600, seedDemo: false, ledgerBackend: 'fabric' });
        expect(config.fabric.orgs.map((o) => o.mspId)).to.deep.equal(['PlatformMSP']);
    });

    it('refuses a fabric backend without a wallet passphrase, and malformed values', () => {
        expect(() => loadConfig({ LEDGER_BACKEND: 'fabric', FABRIC_PLATFORM_PEER_ENDPOINT: 'x' })).to.throw(ConfigError, /GATEWAY_WALLET_PASSPHRASE/);
        expect(() => loadConfig({ GATEWAY_PORT: 'eighty' })).to.throw(ConfigError, /GATEWAY_PORT/);
        expect(() => loadConfig({ DOCUMENT_STORE: 's3' })).to.throw(ConfigError, /DOCUMENT_STORE/);
        expect(() => loadConfig({ GATEWAY_MSP_ID: 'OrdererMSP' })).to.throw(ConfigError, /GATEWAY_MSP_ID/);
        expect(() => loadConfig({ GATEWAY_PORT: '70000' })).to.throw(ConfigError, 'GATEWAY_PORT must be an integer from 0 to 65535, got "70000"');
        expect(loadConfig({ GATEWAY_PORT: '65535' }).port).to.equal(65_535);
        expect(() => loadConfig({ GATEWAY_LOG_LEVEL: 'loud' })).to.throw(ConfigError, /GATEWAY_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/);
        expect(loadConfig({ GATEWAY_LOG_LEVEL: 'debug' }).logLevel).to.equal('debug');
        expect(() => loadConfig({ GATEWAY_KEY_SCRYPT_LOG_N: '40' })).to.throw(ConfigError, 'GATEWAY_KEY_SCRYPT_LOG_N must be an integer from 10 to 20, got "40"');
    });

    it("reads the gRPC message limit toward the Fabric peers (default: the peers' own 100 MiB)", () => {
        expect(loadConfig({}).fabric.maxMessageBytes).to.equal(100 * 1024 * 1024);
        expect(loadConfig({ FABRIC_MAX_MESSAGE_BYTES: '209715200' }).fabric.maxMessageBytes).to.equal(209_715_200);
        expect(() => loadConfig({ FABRIC_MAX_MESSAGE_BYTES: '1000' })).to.throw(ConfigError, 'FABRIC_MAX_MESSAGE_BYTES must be an integer from 1048576 to 2147483647, got "1000"');
        expect(() => loadConfig({ FABRIC_MAX_MESSAGE_BYTES: '4294967296' })).to.throw(ConfigError, /^FABRIC_MAX_MESSAGE_BYTES must be an integer/);
    });

    it('reads the admin and demo passwords, refusing ones shorter than 10 characters', () => {
        expect(loadConfig({})).to.include({ demoPassword: 'xinlian-demo', adminPassword: undefined });
        expect(loadConfig({ GATEWAY_ADMIN_PASSWORD: 'operator-chosen-1', GATEWAY_DEMO_PASSWORD: 'another-demo-pw' })).to.include({ adminPassword: 'operator-chosen-1', demoPassword: 'another-demo-pw' });
        expect(() => loadConfig({ GATEWAY_ADMIN_PASSWORD: 'short-pw9' })).to.throw(ConfigError, /^GATEWAY_ADMIN_PASSWORD must have at least 10 characters/);
        expect(() => loadConfig({ GATEWAY_DEMO_PASSWORD: 'demo' })).to.throw(ConfigError, /^GATEWAY_DEMO_PASSWORD must have at least 10 characters/);
        expect(() => loadConfig({ GATEWAY_ADMIN_PASSWORD: ' '.repeat(12) })).to.throw(ConfigError, /^GATEWAY_ADMIN_PASSWORD must have at least 10 characters, not white space only/);
    });

    it('reads the login limits and the bound on password hashing', () => {
        expect(loadConfig({})).to.deep.include({ loginAttempts: 10, loginClientAttempts: 30, passwordHashing: { concurrency: 2, queue: 16 } });
        const config = loadConfig({ GATEWAY_LOGIN_CLIENT_ATTEMPTS: '5', GATEWAY_PASSWORD_HASH_CONCURRENCY: '1', GATEWAY_PASSWORD_HASH_QUEUE: '0' });
        expect(config).to.deep.include({ loginClientAttempts: 5, passwordHashing: { concurrency: 1, queue: 0 } });
        expect(() => loadConfig({ GATEWAY_PASSWORD_HASH_CONCURRENCY: '0' })).to.throw(ConfigError, /^GATEWAY_PASSWORD_HASH_CONCURRENCY must be an integer from 1 to 64/);
        expect(() => loadConfig({ GATEWAY_LOGIN_CLIENT_ATTEMPTS: '0' })).to.throw(ConfigError, /^GATEWAY_LOGIN_CLIENT_ATTEMPTS/);
    });

    it('moves the embedded ledger clock only when asked, and never on a Fabric network', () => {
        expect(loadConfig({}).ledgerClockOffsetDays).to.equal(0);
        expect(loadConfig({ GATEWAY_LEDGER_CLOCK_OFFSET_DAYS: '91' }).ledgerClockOffsetDays).to.equal(91);
        expect(() => loadConfig({ GATEWAY_LEDGER_CLOCK_OFFSET_DAYS: '-3' })).to.throw(ConfigError, /GATEWAY_LEDGER_CLOCK_OFFSET_DAYS/);
        const fabric = { LEDGER_BACKEND: 'fabric', GATEWAY_WALLET_PASSPHRASE: 'p', FABRIC_PLATFORM_PEER_ENDPOINT: 'x', FABRIC_PLATFORM_TLS_CA: 'ca.pem' };
        expect(() => loadConfig({ ...fabric, GATEWAY_LEDGER_CLOCK_OFFSET_DAYS: '1' })).to.throw(ConfigError, /only with the embedded ledger/);
    });

    it("refuses a ledger clock offset past the local CA's certificate lifetime, saying why", () => {
        expect(MAX_LEDGER_CLOCK_OFFSET_DAYS).to.equal(CERTIFICATE_LIFETIME_DAYS - 1).and.to.equal(1824);
        expect(loadConfig({ GATEWAY_LEDGER_CLOCK_OFFSET_DAYS: '1824' }).ledgerClockOffsetDays).to.equal(1824);
        for (const value of ['1825', '99999999']) {
            expect(() => loadConfig({ GATEWAY_LEDGER_CLOCK_OFFSET_DAYS: value })).to.throw(
                ConfigError,
                `GATEWAY_LEDGER_CLOCK_OFFSET_DAYS must be at most 1824, got "${value}": the embedded ledger refuses a transaction stamped after its signer's certificate expires, and its local CA's certificates last 1825 days from their issue at the real time`,
            );
        }
    });

    describe("the ledger clock offset and the certificates an older data directory's wallet holds", () => {
        const DAY = 86_400_000;
        let dataDir: string;
        beforeEach(() => (dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-config-wallet-'))));
        afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
        const embedded = (offsetDays: number) => ({ dataDir, ledgerBackend: 'embedded' as const, ledgerClockOffsetDays: offsetDays });
        /** Enrolls users in the data directory's wallet as the local CA did `daysAgo` days ago. */
        async function enrolledAgo(daysAgo: number, mspId: string, ...names: string[]): Promise<void> {
            const ca = openLocalCa({ directory: embeddedDirectories(dataDir).wallet, passphrase: 'test-passphrase', scryptCost: { N: 2 ** 10, r: 8, p: 1 }, clock: () => new Date(Date.now() - daysAgo * DAY) });
            for (const name of names) {
                await ca.enroll(mspId, name);
            }
        }

        it('passes a new data directory, and certificates still valid at the ledger time', async () => {
            checkLedgerClockOffset(embedded(MAX_LEDGER_CLOCK_OFFSET_DAYS));
            await enrolledAgo(1000, 'PlatformMSP', 'admin');
            checkLedgerClockOffset(embedded(800));
            checkLedgerClockOffset(embedded(824));
        });

        it('refuses an offset at which certificates issued on earlier starts have expired, naming the first and the largest offset that works', async () => {
            await enrolledAgo(1000, 'PlatformMSP', 'admin', 'regulator');
            await enrolledAgo(900, 'BankMSP', 'jiangnan');
            const now = new Date();
            const wallet = embeddedDirectories(dataDir).wallet;
            const refusal = (() => {
                try {
                    checkLedgerClockOffset(embedded(900), now);
                } catch (error) {
                    return error as Error;
                }
                return undefined;
            })();
            expect(refusal).to.be.instanceOf(ConfigError);
            const message = (refusal as Error).message;
            const expires = new Date(now.getTime() + 825 * DAY);
            expect(message).to.match(
                new RegExp(
                    `^GATEWAY_LEDGER_CLOCK_OFFSET_DAYS=900 puts the ledger's time at ${new Date(now.getTime() + 900 * DAY).toISOString()}, after 2 of the 3 certificates in ${wallet} have expired \\(the first, admin of PlatformMSP, on (\\S+)\\): ` +
                        "the embedded ledger refuses a transaction stamped after its signer's certificate expires, and these were issued on earlier starts, for 1825 days. " +
                        // Issued 1000 days ago for 1825 days: it expires a moment before 825 days from now, so 824 works and 825 does not.
                        'With this data directory the offset can be at most 824; or start on a new GATEWAY_DATA_DIR$',
                ),
            );
            const firstExpiry = Date.parse(/on (\S+)\): /.exec(message)?.[1] ?? '');
            expect(firstExpiry).to.be.within(expires.getTime() - 60_000, expires.getTime());
            expect(() => checkLedgerClockOffset(embedded(825), now)).to.throw(ConfigError, /after 2 of the 3 certificates/);
            checkLedgerClockOffset(embedded(824), now);
            // Without an offset the gateway does not look.
            checkLedgerClockOffset(embedded(0), now);
        });

        it('says when a certificate has expired before the real time already', async () => {
            await enrolledAgo(CERTIFICATE_LIFETIME_DAYS + 10, 'PlatformMSP', 'admin');
            expect(() => checkLedgerClockOffset(embedded(1))).to.throw(ConfigError, /have expired \(the first, admin of PlatformMSP, on \S+\): .*\. That is before the real time already: start on a new GATEWAY_DATA_DIR$/);
        });

        it('names a wallet file that cannot be read', async () => {
            await enrolledAgo(10, 'PlatformMSP', 'admin');
            const users = path.join(embeddedDirectories(dataDir).wallet, 'PlatformMSP', 'users');
            expect(readdirSync(users)).to.deep.equal(['admin.json']);
            writeFileSync(path.join(users, 'admin.json'), '{"certificate": "not a certificate"}');
            expect(() => checkLedgerClockOffset(embedded(1))).to.throw(CorruptFileError, `the file ${path.join(users, 'admin.json')} is corrupt (its certificate cannot be read): restore it from a backup of the data directory`);
            writeFileSync(path.join(users, 'admin.json'), '{"certificate": ');
            expect(() => checkLedgerClockOffset(embedded(1))).to.throw(CorruptFileError, /admin\.json is corrupt \(not valid JSON/);
            // Only the embedded ledger's wallet is looked at.
            expect(() => checkLedgerClockOffset({ ...embedded(1), ledgerBackend: 'fabric' })).not.to.throw();
        });
    });

    it('trusts no proxy unless GATEWAY_TRUST_PROXY names a hop count or the proxies, and refuses to trust every one', () => {
        expect(loadConfig({}).trustProxy).to.equal(false);
        expect(loadConfig({ GATEWAY_TRUST_PROXY: 'false' }).trustProxy).to.equal(false);
        expect(loadConfig({ GATEWAY_TRUST_PROXY: '0' }).trustProxy).to.equal(false);
        expect(loadConfig({ GATEWAY_TRUST_PROXY: '2' }).trustProxy).to.equal(2);
        expect(loadConfig({ GATEWAY_TRUST_PROXY: 'loopback' }).trustProxy).to.deep.equal(['loopback']);
        expect(loadConfig({ GATEWAY_TRUST_PROXY: ' 10.0.0.0/8, 192.168.1.7 ,uniquelocal,::1,fd00::/8' }).trustProxy).to.deep.equal(['10.0.0.0/8', '192.168.1.7', 'uniquelocal', '::1', 'fd00::/8']);
        expect(() => loadConfig({ GATEWAY_TRUST_PROXY: 'true' })).to.throw(ConfigError, /GATEWAY_TRUST_PROXY=true/);
        expect(() => loadConfig({ GATEWAY_TRUST_PROXY: 'loopback,proxy.example' })).to.throw(ConfigError, /GATEWAY_TRUST_PROXY .*"proxy\.example"/);
        expect(() => loadConfig({ GATEWAY_TRUST_PROXY: '10.0.0.0/33' })).to.throw(ConfigError, /GATEWAY_TRUST_PROXY/);
        expect(() => loadConfig({ GATEWAY_TRUST_PROXY: '0.0.0.0/0' })).to.throw(ConfigError, /GATEWAY_TRUST_PROXY/);
        expect(() => loadConfig({ GATEWAY_TRUST_PROXY: '10.0.0.1,' })).to.throw(ConfigError, /GATEWAY_TRUST_PROXY/);
        expect(() => loadConfig({ GATEWAY_TRUST_PROXY: '-1' })).to.throw(ConfigError, /GATEWAY_TRUST_PROXY/);
    });

    it('keeps idempotency records 24 hours unless GATEWAY_IDEMPOTENCY_TTL_HOURS says otherwise (1 hour to a year)', () => {
        expect(loadConfig({}).idempotencyTtlHours).to.equal(24);
        expect(loadConfig({ GATEWAY_IDEMPOTENCY_TTL_HOURS: '1' }).idempotencyTtlHours).to.equal(1);
        expect(loadConfig({ GATEWAY_IDEMPOTENCY_TTL_HOURS: '168' }).idempotencyTtlHours).to.equal(168);
        expect(() => loadConfig({ GATEWAY_IDEMPOTENCY_TTL_HOURS: '0' })).to.throw(ConfigError, 'GATEWAY_IDEMPOTENCY_TTL_HOURS must be an integer from 1 to 8784, got "0"');
        expect(() => loadConfig({ GATEWAY_IDEMPOTENCY_TTL_HOURS: '1.5' })).to.throw(ConfigError, /^GATEWAY_IDEMPOTENCY_TTL_HOURS must be an integer/);
        expect(() => loadConfig({ GATEWAY_IDEMPOTENCY_TTL_HOURS: '24h' })).to.throw(ConfigError, /^GATEWAY_IDEMPOTENCY_TTL_HOURS/);
        expect(() => loadConfig({ GATEWAY_IDEMPOTENCY_TTL_HOURS: '9000' })).to.throw(ConfigError, /^GATEWAY_IDEMPOTENCY_TTL_HOURS/);
    });

    it('reads the metrics token: unset by default, else a bearer token of at least 16 characters', () => {
        expect(loadConfig({}).metricsToken).to.equal(undefined);
        expect(loadConfig({ GATEWAY_METRICS_TOKEN: '' }).metricsToken).to.equal(undefined);
        const token = '3f9a0c1d2e4b5a6978c0d1e2f3a4b5c6';
        expect(loadConfig({ GATEWAY_METRICS_TOKEN: token }).metricsToken).to.equal(token);
        expect(loadConfig({ GATEWAY_METRICS_TOKEN: 'abc-DEF_123.456~+/xyz==' }).metricsToken).to.equal('abc-DEF_123.456~+/xyz==');
        expect(() => loadConfig({ GATEWAY_METRICS_TOKEN: 'short-token' })).to.throw(ConfigError, /^GATEWAY_METRICS_TOKEN must have at least 16 characters/);
        expect(() => loadConfig({ GATEWAY_METRICS_TOKEN: 'has a space in the middle' })).to.throw(ConfigError, /^GATEWAY_METRICS_TOKEN/);
        expect(() => loadConfig({ GATEWAY_METRICS_TOKEN: 'token"with"quotes!!' })).to.throw(ConfigError, /^GATEWAY_METRICS_TOKEN/);
    });

    it('tells a loopback GATEWAY_HOST from one other hosts can reach', () => {
        for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1']) {
            expect(isLoopbackHost(host), host).to.equal(true);
        }
        for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'gateway.example', '127.0.0.1.example', '::ffff:10.0.0.1']) {
            expect(isLoopbackHost(host), host).to.equal(false);
        }
    });

    it("reads a member org's gateway: its MSP, its one peer and CA, and the CA enrollment-id prefix", () => {
        const config = loadConfig({
            LEDGER_BACKEND: 'fabric',
            GATEWAY_WALLET_PASSPHRASE: 'p',
            GATEWAY_MSP_ID: 'PartnerMSP',
            FABRIC_CA_ID_PREFIX: 'partner-gw-',
            FABRIC_PARTNER_PEER_ENDPOINT: '127.0.0.1:27071',
            FABRIC_PARTNER_TLS_CA: PEM,
            FABRIC_PARTNER_CA_URL: 'https://127.0.0.1:27002',
            FABRIC_PARTNER_CA_NAME: 'ca-partner',
            FABRIC_PARTNER_CA_TLS_CERT: PEM,
            FABRIC_PARTNER_CA_REGISTRAR: 'admin',
            FABRIC_PARTNER_CA_REGISTRAR_SECRET: 'adminpw',
        });
        expect(config.gatewayMspId).to.equal('PartnerMSP');
        expect(config.fabric.caIdentityPrefix).to.equal('partner-gw-');
        expect(config.fabric.orgs).to.have.length(1);
        expect(config.fabric.orgs[0]).to.include({ mspId: 'PartnerMSP', peerEndpoint: '127.0.0.1:27071', caUrl: 'https://127.0.0.1:27002', caName: 'ca-partner' });
        expect(loadConfig({}).gatewayMspId).to.equal('PlatformMSP');
        expect(loadConfig({}).fabric.caIdentityPrefix).to.equal('gw-');
    });

    describe('Fabric settings are checked at start, naming the variable', () => {
        const org = (prefix: string, port: number) => ({
            [`FABRIC_${prefix}_PEER_ENDPOINT`]: `127.0.0.1:${port}`,
            [`FABRIC_${prefix}_TLS_CA`]: PEM,
            [`FABRIC_${prefix}_CA_URL`]: `https://127.0.0.1:${port + 1}`,
            [`FABRIC_${prefix}_CA_TLS_CERT`]: PEM,
            [`FABRIC_${prefix}_CA_REGISTRAR`]: 'admin',
            [`FABRIC_${prefix}_CA_REGISTRAR_SECRET`]: 'adminpw',
        });
        const all = { LEDGER_BACKEND: 'fabric', GATEWAY_WALLET_PASSPHRASE: 'p', ...org('PLATFORM', 27051), ...org('BANK', 27061), ...org('PARTNER', 27071) };

        it('accepts the three orgs with their CAs', () => {
            expect(loadConfig(all).fabric.orgs.map((o) => o.mspId)).to.deep.equal(['PlatformMSP', 'BankMSP', 'PartnerMSP']);
        });

        it('refuses an empty, missing or directory TLS root', () => {
            expect(() => loadConfig({ ...all, FABRIC_PLATFORM_TLS_CA: '' })).to.throw(ConfigError, /^FABRIC_PLATFORM_TLS_CA is required/);
            expect(() => loadConfig({ ...all, FABRIC_PLATFORM_TLS_CA: '/nonexistent/ca.pem' })).to.throw(ConfigError, /^FABRIC_PLATFORM_TLS_CA=\/nonexistent\/ca.pem: no such file/);
            expect(() => loadConfig({ ...all, FABRIC_BANK_TLS_CA: path.dirname(PEM) })).to.throw(ConfigError, /^FABRIC_BANK_TLS_CA=.* is not a file/);
            expect(() => loadConfig({ ...all, FABRIC_BANK_CA_TLS_CERT: '/nonexistent/ca-cert.pem' })).to.throw(ConfigError, /^FABRIC_BANK_CA_TLS_CERT=/);
        });

        it('refuses an empty TLS root or CA certificate, and one without a PEM certificate', () => {
            const empty = pemFile('empty.pem', '');
            const blank = pemFile('blank.pem', '\n  \n');
            const notPem = pemFile('key.der', 'MIIBszCCAVmgAwIBAgIU not a PEM file\n');
            expect(() => loadConfig({ ...all, FABRIC_PLATFORM_TLS_CA: empty })).to.throw(ConfigError, `FABRIC_PLATFORM_TLS_CA=${empty} is empty (${empty}); it must hold the TLS root certificate`);
            expect(() => loadConfig({ ...all, FABRIC_BANK_CA_TLS_CERT: blank })).to.throw(ConfigError, /^FABRIC_BANK_CA_TLS_CERT=.* is empty/);
            expect(() => loadConfig({ ...all, FABRIC_PARTNER_TLS_CA: notPem })).to.throw(ConfigError, /^FABRIC_PARTNER_TLS_CA=.* holds no PEM certificate \(no "-----BEGIN CERTIFICATE-----" line in /);
            expect(() => loadConfig({ ...all, FABRIC_PARTNER_CA_TLS_CERT: notPem })).to.throw(ConfigError, /^FABRIC_PARTNER_CA_TLS_CERT=.* holds no PEM certificate/);
            expect(() => loadConfig({ ...all, FABRIC_BANK_PEER_ENDPOINT: 'peer0.bank' })).to.throw(ConfigError, /^FABRIC_BANK_PEER_ENDPOINT must be host:port/);
        });

        it('refuses a gateway without its CA, and a CA without its registrar', () => {
            expect(() => loadConfig({ ...all, FABRIC_PLATFORM_CA_URL: '' })).to.throw(ConfigError, /^FABRIC_PLATFORM_CA_URL is required .*GATEWAY_MSP_ID/);
            expect(() => loadConfig({ ...all, FABRIC_PARTNER_CA_REGISTRAR_SECRET: '' })).to.throw(ConfigError, /^FABRIC_PARTNER_CA_REGISTRAR_SECRET is required with FABRIC_PARTNER_CA_URL/);
        });

        it("refuses the platform's demo seed without the other orgs, and settings of an org without its peer", () => {
            const platformOnly = { LEDGER_BACKEND: 'fabric', GATEWAY_WALLET_PASSPHRASE: 'p', ...org('PLATFORM', 27051) };
            expect(() => loadConfig(platformOnly)).to.throw(ConfigError, /^FABRIC_BANK_PEER_ENDPOINT and FABRIC_BANK_TLS_CA are required: the demo seed/);
            expect(loadConfig({ ...platformOnly, GATEWAY_SEED_DEMO: 'false' }).fabric.orgs).to.have.length(1);
            expect(() => loadConfig({ ...platformOnly, GATEWAY_SEED_DEMO: 'false', FABRIC_BANK_TLS_CA: PEM })).to.throw(ConfigError, /^FABRIC_BANK_PEER_ENDPOINT is required when FABRIC_BANK_TLS_CA is set/);
            expect(() => loadConfig({ ...all, GATEWAY_MSP_ID: 'BankMSP', FABRIC_BANK_PEER_ENDPOINT: '' , FABRIC_BANK_TLS_CA: '', FABRIC_BANK_CA_URL: '', FABRIC_BANK_CA_TLS_CERT: '', FABRIC_BANK_CA_REGISTRAR: '', FABRIC_BANK_CA_REGISTRAR_SECRET: '' })).to.throw(ConfigError, /FABRIC_BANK_PEER_ENDPOINT and FABRIC_BANK_TLS_CA are required: this gateway belongs to BankMSP/);
        });
    });
});
