import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { CorruptFileError, readJsonFile, readJsonFileSync, removeStaleTemporaryFiles, writeFileAtomic } from './atomic-file';

describe('atomic file', () => {
    let directory: string;
    beforeEach(() => (directory = mkdtempSync(path.join(tmpdir(), 'atomic-'))));
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    it('lets many concurrent writes of one path all succeed, leaving one written content whole and no temporary file', async () => {
        const file = path.join(directory, 'sub', 'record.json');
        // Large enough that a write takes several I/O steps, so the writes interleave.
        const contents = Array.from({ length: 40 }, (_, i) => String.fromCharCode(65 + (i % 26)).repeat(64 * 1024 + i));
        const outcomes = await Promise.allSettled(contents.map((content) => writeFileAtomic(file, content)));
        expect(outcomes.filter((o) => o.status === 'rejected')).to.deep.equal([]);
        expect(contents).to.include(readFileSync(file, 'utf8'));
        expect(readdirSync(path.dirname(file))).to.deep.equal(['record.json']);
    });

    it('writes bytes and text with the given mode, replacing the previous content', async () => {
        const file = path.join(directory, 'doc.bin');
        await writeFileAtomic(file, Buffer.from([1, 2, 3]), 0o644);
        await writeFileAtomic(file, Uint8Array.from([4, 5]), 0o644);
        expect([...readFileSync(file)]).to.deep.equal([4, 5]);
        await writeFileAtomic(path.join(directory, 'a.json'), JSON.stringify({ a: 1 }));
        expect(await readJsonFile(path.join(directory, 'a.json'))).to.deep.equal({ a: 1 });
        expect(await readJsonFile(path.join(directory, 'missing.json'))).to.equal(undefined);
    });

    it('names a corrupt JSON file, what is wrong with it and what to do, without quoting what it holds', async () => {
        const cases: [string, string][] = [
            ['{"broken\n', 'not valid JSON: Bad control character in string literal in JSON at position 8'],
            ['garbage\n', "not valid JSON: Unexpected token 'g'"],
            // V8's own message would quote the text around the fault, here the secret.
            ['["0123456789abcdef", oops]', "not valid JSON: Unexpected token 'o'"],
            ['{"a":1', "not valid JSON: Expected ',' or '}' after property value in JSON at position 6"],
            ['', 'it is empty'],
            [' \n', 'it is empty'],
            ['42', 'it holds a number, not a JSON object or array'],
            ['"text"', 'it holds a string, not a JSON object or array'],
            ['null', 'it holds null, not a JSON object or array'],
        ];
        for (const [content, reason] of cases) {
            const file = path.join(directory, 'record.json');
            writeFileSync(file, content);
            for (const read of [() => readJsonFile(file), async () => readJsonFileSync(file)]) {
                const error = await read().catch((e: unknown) => e);
                expect(error, content).to.be.instanceOf(CorruptFileError);
                expect((error as CorruptFileError).file).to.equal(file);
                expect((error as Error).message, content).to.equal(`the file ${file} is corrupt (${reason}): restore it from a backup of the data directory`);
            }
        }
        writeFileSync(path.join(directory, 'marker.json'), 'xx');
        const custom = await readJsonFile(path.join(directory, 'marker.json'), { ifCorrupt: 'remove it' }).catch((e: Error) => e);
        expect((custom as Error).message).to.equal(`the file ${path.join(directory, 'marker.json')} is corrupt (not valid JSON: Unexpected token 'x'): remove it`);
        expect(readJsonFileSync(path.join(directory, 'missing.json'))).to.equal(undefined);
        writeFileSync(path.join(directory, 'list.json'), '[1, 2]');
        expect(readJsonFileSync(path.join(directory, 'list.json'))).to.deep.equal([1, 2]);
    });

    it('removes its temporary file when the write fails, and rejects with the I/O error', async () => {
        // A non-empty directory in the way: the rename fails after the temporary file was written.
        const file = path.join(directory, 'taken');
        mkdirSync(file);
        writeFileSync(path.join(file, 'inside'), 'x');
        const error = await writeFileAtomic(file, 'content').catch((e: NodeJS.ErrnoException) => e);
        expect(error).to.be.instanceOf(Error);
        expect((error as NodeJS.ErrnoException).code).to.be.oneOf(['EISDIR', 'ENOTEMPTY', 'EEXIST', 'EPERM']);
        expect(readdirSync(directory)).to.deep.equal(['taken']);
    });

    it('deletes the temporary files a killed writer left, judged by their pid and age, only among the files it owns', async () => {
        const names = {
            // No process runs with a pid above 2^22 (Linux's largest).
            dead: 'a.json.4194305.0.0123abcd.tmp',
            // This process has not written here: an earlier process with the same pid left it.
            reused: `b.json.${process.pid}.3.89abcdef.tmp`,
            // A running process (the parent), writing now.
            running: `c.json.${process.ppid}.1.deadbeef.tmp`,
            // A running pid, but not modified for two hours: the pid was reused.
            old: `d.json.${process.ppid}.2.feedf00d.tmp`,
            // Another store's file, and files of other names.
            foreign: 'users.json.4194305.0.00000000.tmp',
            plain: 'a.json',
            other: 'notes.tmp',
        };
        for (const name of Object.values(names)) {
            writeFileSync(path.join(directory, name), 'x');
        }
        const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
        utimesSync(path.join(directory, names.old), twoHoursAgo, twoHoursAgo);
        const removed = await removeStaleTemporaryFiles(directory, { owns: (written) => written !== 'users.json' });
        expect(removed.sort()).to.deep.equal([names.dead, names.reused, names.old].sort());
        expect(readdirSync(directory).sort()).to.deep.equal([names.running, names.foreign, names.plain, names.other].sort());
        expect(await removeStaleTemporaryFiles(path.join(directory, 'missing'))).to.deep.equal([]);
    });
});
