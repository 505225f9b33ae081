/* eslint-disable @typescript-eslint/no-explicit-any -- log lines and response bodies are whatever JSON they hold */
import './support/quiet-chaincode-logging';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { Gateway, openGateway } from '../src/app';
import { newLogger } from '../src/operations/logger';
import { DEMO_IDS } from '../src/services/demo-seed';
import { call } from './conformance/api-client';
import { loginToken, testConfig } from './support/test-gateway';

/**
 * A file of the data directory found corrupt while the gateway runs (start-up: startup-failures.int.test.ts):
 * the request is answered like any internal fault, a 500 problem that names no path, and the log names the
 * file and what to do.
 */
describe('a corrupt file of the data directory at request time', function () {
    this.timeout(60_000);
    let dataDir: string;
    let gateway: Gateway;
    let baseUrl: string;
    const lines: string[] = [];

    before(async () => {
        dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-corrupt-at-request-'));
        const config = testConfig(dataDir);
        gateway = await openGateway(config, { logger: newLogger('error', { write: (line: string) => void lines.push(line) }) });
        baseUrl = `http://127.0.0.1:${await gateway.listen()}/api/v1`;
    });
    after(async () => {
        await gateway?.close();
        rmSync(dataDir, { recursive: true, force: true });
    });

    it("a bureau's key file: POST /attestations answers a generic 500, and the log names the file", async () => {
        const bureau = await loginToken(baseUrl, 'bureau');
        const file = path.join(dataDir, 'bureau-keys', `${DEMO_IDS.bureau}.json`);
        writeFileSync(file, 'garbage\n');
        lines.length = 0;
        const answer = await call(baseUrl, 'POST', '/attestations', { token: bureau, body: { subjectId: DEMO_IDS.suzhou, validDays: 30 } });
        expect(answer.status, answer.text).to.equal(500);
        expect(answer.body).to.include({ code: 'INTERNAL', detail: 'an unexpected error occurred; it has been logged' });
        expect(answer.text).not.to.include(dataDir);
        const errors = lines.map((line) => JSON.parse(line)).filter((entry: any) => entry.level === 50);
        expect(errors, lines.join('')).to.have.length(1);
        expect(errors[0]).to.include({ code: 'INTERNAL', method: 'POST', url: '/api/v1/attestations' });
        expect(errors[0].err.message).to.include(`the file ${file} is corrupt (not valid JSON: Unexpected token 'g'): restore it from a backup of the data directory`);
    });
});
