/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever JSON the API returns */
import { execFile } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { expect } from 'chai';
import { call } from '../../gateway/test/conformance/api-client';
import { REPO_DIR, runDirectory } from '../src/endpoints';
import { gatewayUrl, tokenCache } from '../src/rest-gateway';

const run = promisify(execFile);
const CHAINCODE_SCRIPT = path.join(REPO_DIR, 'test-network', 'scripts', 'chaincode.sh');

/** The chaincode server's pid, only if the live process carries this run folder's XINLIAN_PROCESS marker. */
async function chaincodePid(): Promise<number | undefined> {
    const runDir = runDirectory();
    try {
        const pid = Number((await fs.readFile(path.join(runDir, 'pids', 'chaincode.pid'), 'utf8')).trim());
        const environ = (await fs.readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');
        return environ.includes(`XINLIAN_PROCESS=chaincode@${runDir}`) ? pid : undefined;
    } catch {
        return undefined;
    }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
        if (Date.now() > deadline) {
            throw new Error(`timed out waiting for ${what}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
}

/**
 * The chaincode server killed (SIGKILL) under the platform's REST gateway: the peers are up but cannot run
 * the chaincode. Requests answer 503 LEDGER_UNAVAILABLE (not 500 INTERNAL), readiness says 503, and a
 * contract refusal keeps its own code once the server is back.
 */
describe('chaincode outage (REST gateway, fabric backend)', function () {
    this.timeout(180_000);
    const platform = (): string => gatewayUrl('XINLIAN_GATEWAY_URL') as string;
    const token = tokenCache(platform);

    before(async function () {
        if (!gatewayUrl('XINLIAN_GATEWAY_URL') || (await chaincodePid()) === undefined) {
            this.skip();
        }
    });

    after(async () => {
        if ((await chaincodePid()) === undefined) {
            await run(CHAINCODE_SCRIPT, ['start'], { env: process.env, timeout: 120_000 });
        }
    });

    it('answers 503 LEDGER_UNAVAILABLE while the chaincode server is down, and the contract\'s codes again once it is back', async () => {
        const regulator = await token('regulator');
        expect((await call(platform(), 'GET', '/enterprises', { token: regulator })).status).to.equal(200);
        process.kill((await chaincodePid()) as number, 'SIGKILL');
        await waitFor('the chaincode server to exit', async () => (await chaincodePid()) === undefined);

        const read = await call(platform(), 'GET', '/enterprises', { token: regulator });
        expect(read.status, JSON.stringify(read.body)).to.equal(503);
        expect((read.body as any).code).to.equal('LEDGER_UNAVAILABLE');
        const ready = await call(platform(), 'GET', '/health/ready');
        expect(ready.status).to.equal(503);

        await run(CHAINCODE_SCRIPT, ['start'], { env: process.env, timeout: 120_000 });
        await waitFor('readiness', async () => (await call(platform(), 'GET', '/health/ready')).status === 200);
        expect((await call(platform(), 'GET', '/enterprises', { token: regulator })).status).to.equal(200);
        const unknown = await call(platform(), 'GET', '/enterprises/91350100M000100Y44', { token: regulator });
        expect(unknown.status).to.be.oneOf([400, 404]);
    });
});
