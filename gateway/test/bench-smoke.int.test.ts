import { expect } from 'chai';
import { execFile } from 'child_process';
import * as path from 'path';

/**
 * `npm run bench:embedded` (bench/embedded-bench.ts) runs every phase to the end on a small load:
 * the benchmark is not part of the build, so only running it shows that it still works against the
 * chaincode's current rules. Its figures are not checked here (speed is for the benchmark itself).
 */
describe('the embedded-ledger benchmark, on a small load', function () {
    this.timeout(120_000);

    it('runs every phase, without conflicts in the issue and transfer phases, and verifies the chain', async () => {
        const output = await new Promise<string>((resolve, reject) => {
            execFile(
                process.execPath,
                ['-r', 'ts-node/register/transpile-only', path.join(__dirname, '..', 'bench', 'embedded-bench.ts')],
                { cwd: path.join(__dirname, '..'), env: { ...process.env, BENCH_CLIENTS: '4', BENCH_NOTES_PER_CLIENT: '3', BENCH_HOT_ROUNDS: '1' }, timeout: 100_000 },
                (error, stdout, stderr) => (error ? reject(new Error(`the benchmark failed: ${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout)),
            );
        });
        for (const phase of ['issue', 'warm-up', 'transfer']) {
            expect(output, phase).to.match(new RegExp(`^${phase} .* conflicts 0, failures 0`, 'm'));
        }
        expect(output).to.match(/^hot key .* other failures 0/m);
        expect(output).to.match(/^verify\s+OK$/m);
    });
});
