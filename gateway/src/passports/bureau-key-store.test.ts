import '../../test/support/quiet-chaincode-logging';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { RunningProcess, STOPPED_PID, startRunningProcess, temporaryFileName } from '../../test/support/temporary-files';
import { openBureauKeyStore } from './bureau-key-store';

const COST = { N: 1024, r: 8, p: 1 };
const BUREAU = '91310000MA1K000003';

describe('bureau key store: temporary files of a stopped gateway', () => {
    let directory: string;
    let running: RunningProcess;

    before(async () => (running = await startRunningProcess()));
    after(() => running.stop());
    beforeEach(() => (directory = mkdtempSync(path.join(tmpdir(), 'bureau-keys-'))));
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    it("deletes those of its bureaus' files when it opens, keeping a running process's and other files', and tells onCleanupError of one it cannot delete", async () => {
        const names = {
            stopped: temporaryFileName(`${BUREAU}.json`, STOPPED_PID),
            earlier: temporaryFileName(`${BUREAU}.json`, process.pid, 5),
            running: temporaryFileName(`${BUREAU}.json`, running.pid),
            // Not a bureau's file: not the store's to delete.
            foreign: temporaryFileName('notes.json', STOPPED_PID),
            undeletable: temporaryFileName(`${BUREAU}.json`, STOPPED_PID, 1),
        };
        for (const name of [names.stopped, names.earlier, names.running, names.foreign]) {
            writeFileSync(path.join(directory, name), '{"bureauId":');
        }
        mkdirSync(path.join(directory, names.undeletable));
        const errors: unknown[] = [];
        const store = openBureauKeyStore(directory, 'pass', COST, { onCleanupError: (error) => errors.push(error) });
        expect(await store.addresses(BUREAU)).to.deep.equal([]);
        expect(readdirSync(directory).sort()).to.deep.equal([names.running, names.foreign, names.undeletable].sort());
        expect(errors).to.have.length(1);
        expect((errors[0] as Error).message).to.include(names.undeletable);
        const address = await store.createKey(BUREAU);
        expect(await openBureauKeyStore(directory, 'pass', COST).addresses(BUREAU)).to.deep.equal([address]);
    });
});
