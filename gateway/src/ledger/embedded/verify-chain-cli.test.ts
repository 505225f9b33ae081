import { expect } from 'chai';
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { openEmbeddedLedger } from './engine';
import { dataDirectory, embeddedDirectories } from '../../config';

/** Runs the ledger:verify command as npm runs it: in gateway/, with INIT_CWD where npm was typed. */
function verifyCommand(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'verify-chain-cli.ts'), ...args], {
        cwd: path.join(__dirname, '..', '..', '..'),
        env: { ...process.env, ...env },
        encoding: 'utf8',
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('ledger:verify command', function () {
    this.timeout(60_000);
    let base: string;

    before(async () => {
        base = mkdtempSync(path.join(tmpdir(), 'xinlian-verify-cli-'));
        // A gateway data directory holding an embedded ledger where the gateway puts it.
        const ledgerDirectory = path.join(base, 'data', 'embedded', 'ledger');
        mkdirSync(ledgerDirectory, { recursive: true });
        const ledger = await openEmbeddedLedger({ directory: ledgerDirectory, contracts: [] });
        await ledger.close();
    });

    after(() => rmSync(base, { recursive: true, force: true }));

    it('reads a relative directory from where npm was run, not from the folder the script runs in', () => {
        const run = verifyCommand([path.join('data', 'embedded', 'ledger')], { INIT_CWD: base });
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout.startsWith(`${path.join(base, 'data', 'embedded', 'ledger')}: height 1 OK (tip `), run.stdout).to.equal(true);
    });

    it("verifies the gateway's own ledger when no directory is given", () => {
        expect(embeddedDirectories(dataDirectory({ GATEWAY_DATA_DIR: path.join(base, 'data') })).ledger).to.equal(path.join(base, 'data', 'embedded', 'ledger'));
        const run = verifyCommand([], { GATEWAY_DATA_DIR: path.join(base, 'data'), INIT_CWD: tmpdir() });
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.match(/: height 1 OK \(tip [0-9a-f]{64}\)\n$/);
    });

    it('says which absolute directory holds no ledger, and exits 2', () => {
        const run = verifyCommand(['nowhere'], { INIT_CWD: base });
        expect(run.status).to.equal(2);
        expect(run.stderr).to.equal(`no ledger in ${path.join(base, 'nowhere')}\n`);
    });

    it('follows a gateway data directory to its ledger in embedded/ledger', () => {
        const run = verifyCommand(['data'], { INIT_CWD: base });
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout.startsWith(`${path.join(base, 'data', 'embedded', 'ledger')}: height 1 OK (tip `), run.stdout).to.equal(true);
    });

    it('refuses a folder holding no ledger, exits 2, and creates no database in it', () => {
        const empty = path.join(base, 'empty');
        mkdirSync(empty);
        const run = verifyCommand([empty], { INIT_CWD: base });
        expect(run.status, run.stdout).to.equal(2);
        expect(run.stdout).to.equal('');
        expect(run.stderr).to.equal(`no ledger in ${empty}: it is neither a ledger directory (one holding a LevelDB CURRENT file) nor a gateway data directory with one in embedded/ledger\n`);
        expect(readdirSync(empty)).to.deep.equal([]);
    });
});
