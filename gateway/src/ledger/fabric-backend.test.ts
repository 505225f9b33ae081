import '../../test/support/quiet-chaincode-logging';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { ATTR_EID, ATTR_ROLE } from '@xinlian/chaincode';
import { unreachableFabric, writeFabricWalletEntry } from '../../test/support/fabric-wallet';
import { STOPPED_PID, startRunningProcess, temporaryFileName } from '../../test/support/temporary-files';
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
        backend = await connectFabricBackend({
            fabric: unreachableFabric(directory),
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

/**
 * The certificate of a wallet entry is what the chaincode reads (xl.role, xl.eid), whatever the entry's own
 * `attrs` say. Real enrolment certificates, as the Fabric CA issues them; no peer or CA runs.
 */
describe("Fabric backend: what the wallet entries' certificates carry", () => {
    let directory: string;
    let backend: LedgerBackend;
    const wallet = (): string => path.join(directory, 'wallet');
    const alice: LedgerUser = { username: 'alice', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' };
    const bob: LedgerUser = { username: 'bob', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP' };
    const attrsOf = (user: LedgerUser): Record<string, string> => ({ [ATTR_ROLE]: user.role, [ATTR_EID]: user.enterpriseId });

    beforeEach(async () => {
        directory = mkdtempSync(path.join(tmpdir(), 'fabric-certified-'));
        await writeFabricWalletEntry(wallet(), path.join(directory, 'ca'), 'test-passphrase', { mspId: 'PlatformMSP', username: 'alice', attrs: attrsOf(alice) });
        // The entry says bob is a supplier of E1; its certificate makes it a financier of E2.
        await writeFabricWalletEntry(wallet(), path.join(directory, 'ca'), 'test-passphrase', {
            mspId: 'PlatformMSP',
            username: 'bob',
            attrs: attrsOf(bob),
            certified: { [ATTR_ROLE]: 'financier', [ATTR_EID]: 'E2' },
        });
        backend = await connectFabricBackend({ fabric: unreachableFabric(directory), walletDirectory: wallet(), walletPassphrase: 'test-passphrase', keyScrypt: { N: 1024, r: 8, p: 1 } });
    });
    afterEach(async () => {
        await backend.close();
        rmSync(directory, { recursive: true, force: true });
    });

    it("reads the attributes of an identity's certificate, whoever they name", async () => {
        expect(await backend.identityAttributes(alice)).to.include({ [ATTR_ROLE]: 'supplier', [ATTR_EID]: 'E1', 'hf.EnrollmentID': 'alice' });
        expect(await backend.identityAttributes({ ...alice, role: 'financier' }), 'by name, not by role').to.include({ [ATTR_ROLE]: 'supplier' });
        expect(await backend.identityAttributes(bob)).to.include({ [ATTR_ROLE]: 'financier', [ATTR_EID]: 'E2' });
        expect(await backend.identityAttributes({ ...alice, username: 'carol' })).to.equal(undefined);
    });

    it('holds an identity for a user only when its certificate carries the user\'s role and enterprise', async () => {
        expect(await backend.hasIdentity(alice)).to.equal(true);
        expect(await backend.hasIdentity({ ...alice, enterpriseId: 'E2' })).to.equal(false);
        expect(await backend.hasIdentity(bob), "the entry's attrs say bob, its certificate does not").to.equal(false);
    });

    it("refuses a request as a user whose identity's certificate carries another role or enterprise, naming them, before reaching the peer", async () => {
        const refused = await backend.evaluate(bob, 'enterprise:ReadEnterprise', ['E1']).catch((e) => e);
        expect(refused).to.be.instanceOf(AppError).and.include({ code: 'UNAUTHENTICATED' });
        expect(refused.message).to.equal(`the enrolled identity of bob does not match the user: it is supplier of E1, but the identity's certificate carries ${ATTR_ROLE}=financier, ${ATTR_EID}=E2`);
        expect((await backend.submit(bob, 'note:TransferNote', ['N1']).catch((e) => e)).code).to.equal('UNAUTHENTICATED');
        // Alice's identity fits: the request goes on to the peer, which is not there.
        expect((await backend.evaluate(alice, 'enterprise:ReadEnterprise', ['E1']).catch((e) => e)).code).to.be.oneOf(['LEDGER_UNAVAILABLE', 'LEDGER_TIMEOUT']);
    });
});

describe('Fabric backend: temporary files of a stopped gateway in the wallet', () => {
    let directory: string;

    beforeEach(() => (directory = mkdtempSync(path.join(tmpdir(), 'fabric-temporary-'))));
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    it("deletes those of each organisation's wallet when it connects, keeping a running process's, and tells onCleanupError of one it cannot delete", async () => {
        const running = await startRunningProcess();
        try {
            const folder = path.join(directory, 'wallet', 'PlatformMSP');
            mkdirSync(folder, { recursive: true });
            const names = {
                stopped: temporaryFileName('alice.json', STOPPED_PID),
                earlier: temporaryFileName('registrar-admin.json', process.pid, 1),
                running: temporaryFileName('bob.json', running.pid, 2),
                undeletable: temporaryFileName('carol.json', STOPPED_PID, 3),
            };
            for (const name of [names.stopped, names.earlier, names.running]) {
                writeFileSync(path.join(folder, name), '{"mspId":');
            }
            mkdirSync(path.join(folder, names.undeletable));
            const errors: unknown[] = [];
            const backend = await connectFabricBackend({
                fabric: unreachableFabric(directory),
                walletDirectory: path.join(directory, 'wallet'),
                walletPassphrase: 'test-passphrase',
                keyScrypt: { N: 1024, r: 8, p: 1 },
                onCleanupError: (error) => errors.push(error),
            });
            await backend.close();
            expect(readdirSync(folder).sort()).to.deep.equal([names.running, names.undeletable].sort());
            expect(errors).to.have.length(1);
            expect((errors[0] as Error).message).to.include(names.undeletable);
        } finally {
            await running.stop();
        }
    });
});
