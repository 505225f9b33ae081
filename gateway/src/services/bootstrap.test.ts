import { expect } from 'chai';
import { bootstrapPlatform, whileLedgerUnavailable } from './bootstrap';
import { IdentityNotTrustedError } from '../ledger/ledger-errors';
import { AppError } from '../errors';

describe('whileLedgerUnavailable', () => {
    it('retries while the ledger is unavailable and returns the first success', async () => {
        let calls = 0;
        const retries: number[] = [];
        const result = await whileLedgerUnavailable(
            async () => {
                calls++;
                if (calls < 3) {
                    throw new AppError('LEDGER_UNAVAILABLE', 'not yet');
                }
                return 'ready';
            },
            (_error, attempt) => retries.push(attempt),
            5,
            0,
        );
        expect(result).to.equal('ready');
        expect(retries).to.deep.equal([1, 2]);
    });

    it('gives up after the last attempt and never retries other errors', async () => {
        let calls = 0;
        const unavailable = await whileLedgerUnavailable(async () => {
            calls++;
            throw new AppError('LEDGER_UNAVAILABLE', 'down');
        }, () => undefined, 3, 0).catch((e) => e);
        expect(unavailable.code).to.equal('LEDGER_UNAVAILABLE');
        expect(calls).to.equal(3);
        calls = 0;
        const refused = await whileLedgerUnavailable(async () => {
            calls++;
            throw new AppError('FORBIDDEN', 'no');
        }, () => undefined, 3, 0).catch((e) => e);
        expect(refused.code).to.equal('FORBIDDEN');
        expect(calls).to.equal(1);
    });
});

describe('bootstrapPlatform on a ledger that refuses the data folder\'s identities', () => {
    it('fails at once with what to do, instead of waiting for the ledger', async () => {
        const refused = new IdentityNotTrustedError('the ledger refused the identity that signed the request (access denied)', undefined, new Error('access denied: channel [xinlian] creator org unknown'));
        let evaluations = 0;
        const admin = { username: 'admin', role: 'platform-admin', enterpriseId: 'E', mspId: 'PlatformMSP' };
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const services: any = {
            auth: { getUser: () => admin },
            verifier: { username: 'verifier' },
            ledger: {
                evaluate: async () => {
                    evaluations++;
                    throw refused;
                },
            },
        };
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const backend: any = { hasIdentity: async () => true };
        const options = { dataDir: '/data/gw', adminPassword: 'p', seedDemo: true, demoPassword: 'p', log: () => undefined };
        const error = await whileLedgerUnavailable(() => bootstrapPlatform(services, backend, options), () => undefined, 5, 0).catch((e) => e);
        expect(error).to.be.instanceOf(AppError);
        expect(error.message).to.equal('the identities in GATEWAY_DATA_DIR (/data/gw) are not trusted by this network (was it cleaned?); start with an empty GATEWAY_DATA_DIR');
        expect(error.cause).to.equal(refused);
        expect(evaluations).to.equal(1);
        // A member org's gateway (e.g. the partner's) checks its read identity the same way.
        evaluations = 0;
        const member = await bootstrapPlatform(services, backend, { ...options, mspId: 'PartnerMSP' }).catch((e) => e);
        expect(member.message).to.match(/^the identities in GATEWAY_DATA_DIR \(\/data\/gw\) are not trusted by this network/);
        expect(evaluations).to.equal(1);
    });

    it("lets a member org's gateway start when the contract refuses its read identity's query", async () => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const services: any = {
            auth: { getUser: () => undefined, createUser: async () => undefined },
            verifier: { username: 'gateway-verifier', enterpriseId: 'P', mspId: 'PartnerMSP' },
            ledger: { evaluate: async () => Promise.reject(new AppError('FORBIDDEN', 'no')) },
        };
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const backend: any = { hasIdentity: async () => true };
        await bootstrapPlatform(services, backend, { dataDir: '/d', mspId: 'PartnerMSP', adminPassword: 'p', seedDemo: false, demoPassword: 'p', log: () => undefined });
    });
});
