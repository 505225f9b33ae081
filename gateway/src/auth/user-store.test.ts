import '../../test/support/quiet-chaincode-logging';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { RunningProcess, STOPPED_PID, startRunningProcess, temporaryFileName } from '../../test/support/temporary-files';
import { PendingUser, StoredUser, openUserStore } from './user-store';

describe('user store', () => {
    let directory: string;
    let running: RunningProcess;
    const alice: StoredUser = { username: 'alice', role: 'supplier', enterpriseId: 'E1', mspId: 'PlatformMSP', passwordHash: 'scrypt$1$2$3$a$b', apiKeys: [], createdAt: '2026-06-01T00:00:00.000Z' };
    const bob: PendingUser = { username: 'bob', role: 'financier', enterpriseId: 'B1', mspId: 'BankMSP', since: '2026-06-02T00:00:00.000Z' };

    before(async () => (running = await startRunningProcess()));
    after(() => running.stop());
    beforeEach(() => (directory = mkdtempSync(path.join(tmpdir(), 'user-store-'))));
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    describe('temporary files of users.json', () => {
        it('deletes those a stopped gateway left when it opens, and keeps those of a running process and of other files', async () => {
            writeFileSync(path.join(directory, 'users.json'), JSON.stringify([alice]));
            const names = {
                stopped: temporaryFileName('users.json', STOPPED_PID),
                // This process has not written yet: an earlier process with the same pid left it.
                earlier: temporaryFileName('users.json', process.pid, 7),
                running: temporaryFileName('users.json', running.pid),
                // The auth service's token secret, not the store's.
                secret: temporaryFileName('token-secret', STOPPED_PID),
            };
            for (const name of Object.values(names)) {
                writeFileSync(path.join(directory, name), '[{"username":');
            }
            const store = await openUserStore(directory);
            expect(readdirSync(directory).sort()).to.deep.equal(['users.json', names.running, names.secret].sort());
            expect(store.list()).to.deep.equal([alice]);
        });

        it('tells onCleanupError of one it cannot delete, and opens all the same', async () => {
            const undeletable = temporaryFileName('users.json', STOPPED_PID);
            mkdirSync(path.join(directory, undeletable));
            writeFileSync(path.join(directory, temporaryFileName('users.json', STOPPED_PID, 1)), '[');
            const errors: unknown[] = [];
            const store = await openUserStore(directory, { onCleanupError: (error) => errors.push(error) });
            expect(errors).to.have.length(1);
            expect((errors[0] as Error).message).to.include(undeletable);
            expect(readdirSync(directory)).to.deep.equal([undeletable]);
            await store.update('alice', () => alice);
            expect(store.get('alice')).to.deep.equal(alice);
        });
    });

    describe('pending users', () => {
        it('keeps a pending user out of the users, across a reopening, until a user is written in its place', async () => {
            const store = await openUserStore(directory);
            await store.update('alice', () => alice);
            await store.beginPending(bob);
            const reopened = await openUserStore(directory);
            expect(reopened.pending('bob')).to.deep.equal(bob);
            expect(reopened.listPending()).to.deep.equal([bob]);
            expect(reopened.get('bob')).to.equal(undefined);
            expect(reopened.list()).to.deep.equal([alice]);
            // users.json holds it as a disabled user with no password: nobody logs in as it, whichever gateway reads it.
            const entry = (JSON.parse(readFileSync(path.join(directory, 'users.json'), 'utf8')) as Record<string, unknown>[]).find((e) => e.username === 'bob');
            expect(entry).to.include({ passwordHash: '', disabledAt: bob.since, pendingSince: bob.since });
            const seen: unknown[] = [];
            const user: StoredUser = { ...alice, username: 'bob', role: 'financier', enterpriseId: 'B1', mspId: 'BankMSP' };
            await reopened.update('bob', (current) => (seen.push(current), user));
            expect(seen, 'a pending user is no user to a change').to.deep.equal([undefined]);
            expect(reopened.pending('bob')).to.equal(undefined);
            expect((await openUserStore(directory)).list()).to.deep.equal([alice, user]);
        });

        it('drops a pending user, and refuses to begin one for a user that exists', async () => {
            const store = await openUserStore(directory);
            await store.update('alice', () => alice);
            expect((await store.beginPending({ ...bob, username: 'alice' }).catch((e) => e)).code).to.equal('INTERNAL');
            await store.beginPending(bob);
            await store.dropPending('bob');
            expect(store.listPending()).to.deep.equal([]);
            expect((await openUserStore(directory)).listPending()).to.deep.equal([]);
        });
    });
});
