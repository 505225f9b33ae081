import '../../test/support/quiet-chaincode-logging';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { ATTR_EID, ATTR_ROLE } from '@xinlian/chaincode';
import { AppError } from '../errors';
import { connectFabricBackend } from './fabric-backend';
import type { LedgerBackend, LedgerUser } from './ledger-backend';

/**
 * The Fabric backend's wallet keeps one entry per organisation and name. Enrolling a user whose name
 * the wallet already holds for another role or enterprise (another user, or a CA registrar's entry)
 * must leave that entry, and the CA, alone. No CA runs here: the CA URL points at a closed port, so
 * an enrolment that went on to the CA would fail with LEDGER_UNAVAILABLE instead.
 */
describe('Fabric backend enrolment: the wallet entries of others', () => {
    let directory: string;
    let backend: LedgerBackend;
    const wallet = (): string => path.join(directory, 'wallet');
    const entryFile = (username: string): string => path.join(wallet(), 'PlatformMSP', `${username}.json`);
    const alice: LedgerUser = { username: 'alice', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' };

    beforeEach(async () => {
        directory = mkdtempSync(path.join(tmpdir(), 'fabric-backend-'));
        writeFileSync(path.join(directory, 'tls.pem'), 'unused');
        backend = await connectFabricBackend({
            fabric: {
                channel: 'xinlian',
                chaincode: 'xinlian',
                caIdentityPrefix: 'gw-',
                orgs: [{ mspId: 'PlatformMSP', peerEndpoint: '127.0.0.1:1', tlsCaPath: path.join(directory, 'tls.pem'), caUrl: 'http://127.0.0.1:1', caRegistrar: 'admin', caRegistrarSecret: 'adminpw' }],
                evaluateTimeoutMs: 1000,
                endorseTimeoutMs: 1000,
                submitTimeoutMs: 1000,
                commitStatusTimeoutMs: 1000,
            },
            walletDirectory: wallet(),
            walletPassphrase: 'test-passphrase',
            keyScrypt: { N: 1024, r: 8, p: 1 },
        });
        mkdirSync(path.join(wallet(), 'PlatformMSP'), { recursive: true });
        const entry = { mspId: 'PlatformMSP', username: 'alice', attrs: { [ATTR_ROLE]: 'supplier', [ATTR_EID]: 'E1' }, certificate: 'alice-certificate', key: { sealed: 'alice-key' } };
        writeFileSync(entryFile('alice'), JSON.stringify(entry));
        writeFileSync(entryFile('registrar-admin'), JSON.stringify({ ...entry, username: 'admin', attrs: {}, certificate: 'registrar-certificate' }));
    });
    afterEach(async () => {
        await backend.close();
        rmSync(directory, { recursive: true, force: true });
    });

    it('refuses a user of another role or enterprise under a name the wallet holds, and asks the CA nothing', async () => {
        for (const other of [{ ...alice, enterpriseId: 'E2' }, { ...alice, role: 'platform-admin' as const }]) {
            const refused = await backend.enroll(other).catch((e) => e);
            expect(refused).to.be.instanceOf(AppError).and.include({ code: 'ALREADY_EXISTS' });
        }
        expect(JSON.parse(readFileSync(entryFile('alice'), 'utf8')).certificate).to.equal('alice-certificate');
    });

    it("refuses a user named as a registrar's wallet entry, whatever its attributes", async () => {
        const refused = await backend.enroll({ ...alice, username: 'registrar-admin' }).catch((e) => e);
        expect(refused).to.be.instanceOf(AppError).and.include({ code: 'ALREADY_EXISTS' });
        expect(JSON.parse(readFileSync(entryFile('registrar-admin'), 'utf8')).certificate).to.equal('registrar-certificate');
    });

    it('goes on to the CA for the same user again, and for an identity told to replace', async () => {
        // The CA is not there: reaching it (to enroll its registrar first) is LEDGER_UNAVAILABLE, which shows the wallet let the enrolment through.
        rmSync(entryFile('registrar-admin'));
        expect((await backend.enroll(alice).catch((e) => e)).code).to.equal('LEDGER_UNAVAILABLE');
        expect((await backend.enroll({ ...alice, enterpriseId: 'E2' }, { replace: true }).catch((e) => e)).code).to.equal('LEDGER_UNAVAILABLE');
    });
});
