/* eslint-disable @typescript-eslint/no-explicit-any -- log lines and response bodies are whatever JSON they hold */
import './support/quiet-chaincode-logging';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { expect } from 'chai';
import { Gateway, openGateway } from '../src/app';
import { verifyLedgerDirectory } from '../src/ledger/embedded/verify-ledger-directory';
import { newLogger } from '../src/operations/logger';
import { DEMO_IDS } from '../src/services/demo-seed';
import { TEMPORARY_FILE_NOT_DELETED } from '../src/services/gateway-services';
import { call } from './conformance/api-client';
import { STOPPED_PID, temporaryFileName } from './support/temporary-files';
import { loginToken, testConfig } from './support/test-gateway';
import { suiteDirectories } from './support/temporary-files';

/** A gateway on `dataDir` whose log lines (warn and above) are collected in `lines`. */
async function open(dataDir: string, lines: string[] = []): Promise<{ gateway: Gateway; baseUrl: string }> {
    const gateway = await openGateway(testConfig(dataDir), { logger: newLogger('warn', { write: (line: string) => void lines.push(line) }) });
    return { gateway, baseUrl: `http://127.0.0.1:${await gateway.listen()}/api/v1` };
}

/**
 * A data directory that is not what the gateway left — restored from a copy taken while it ran, files
 * damaged or left behind by a killed process — on the embedded backend: the gateway trusts the ledger
 * over its idempotency records, lets an upload repair a document's bytes, and clears a crash's
 * temporary files when it opens.
 */
describe('a damaged or inconsistently restored data directory (embedded backend)', function () {
    this.timeout(120_000);
    const newDirectory = suiteDirectories();

    it('runs a repeated write anew when its idempotency record is newer than the ledger, instead of confirming a write the ledger lacks', async () => {
        const dataDir = newDirectory('restore-live');
        const first = await open(dataDir);
        await first.gateway.close();
        // The ledger as it was before the write: a consistent copy of the stopped gateway's directory.
        const restored = newDirectory('restore-copy');
        cpSync(dataDir, restored, { recursive: true });
        expect(await verifyLedgerDirectory(restored)).to.include({ ok: true });

        const body = { coreEnterpriseId: DEMO_IDS.huadong, currency: 'CNY', limit: '7300000', expiresAt: '2099-01-01' };
        const headers = { 'Idempotency-Key': 'restored-grant-1' };
        const live = await open(dataDir);
        const granted = await call(live.baseUrl, 'POST', '/credit-lines', { token: await loginToken(live.baseUrl, 'pudong'), body, headers });
        await live.gateway.close();
        expect(granted.status, granted.text).to.equal(201);
        // A copy taken during the write: the idempotency folder after it, the ledger before it.
        rmSync(path.join(restored, 'idempotency'), { recursive: true, force: true });
        cpSync(path.join(dataDir, 'idempotency'), path.join(restored, 'idempotency'), { recursive: true });

        const lines: string[] = [];
        const back = await open(restored, lines);
        try {
            const token = await loginToken(back.baseUrl, 'pudong');
            expect((await call(back.baseUrl, 'GET', `/credit-lines/${granted.body.id}`, { token })).status, 'the restored ledger lacks the first grant').to.equal(404);
            const repeat = await call(back.baseUrl, 'POST', '/credit-lines', { token, body, headers });
            expect(repeat.status, repeat.text).to.equal(201);
            expect(repeat.headers.get('idempotent-replayed'), 'run as a new request').to.equal('false');
            const line = await call(back.baseUrl, 'GET', `/credit-lines/${repeat.body.id}`, { token });
            expect(line.status, line.text).to.equal(200);
            expect(line.body).to.include({ limit: '7300000', financierId: DEMO_IDS.pudong });
            // Its own record answers from now on.
            const third = await call(back.baseUrl, 'POST', '/credit-lines', { token, body, headers });
            expect([third.status, third.headers.get('idempotent-replayed'), third.body.id]).to.deep.equal([201, 'true', repeat.body.id]);
            const warnings = lines.map((l) => JSON.parse(l)).filter((entry: any) => /idempotency record answered for transactions the ledger does not hold/.test(entry.msg));
            expect(warnings, lines.join('')).to.have.length(1);
            expect(warnings[0]).to.deep.include({ username: 'pudong', txIds: [granted.headers.get('x-transaction-id')] });
        } finally {
            await back.gateway.close();
        }
    });

    it("lets an upload of the same bytes repair a document's missing or changed bytes, and tells only its readers of the damage", async () => {
        const dataDir = newDirectory('documents');
        const { gateway, baseUrl } = await open(dataDir);
        try {
            const suzhou = await loginToken(baseUrl, 'suzhou');
            const hangzhou = await loginToken(baseUrl, 'hangzhou');
            const upload = () => call(baseUrl, 'POST', '/documents', { token: suzhou, raw: 'invoice INV-REPAIR-1', headers: { 'Content-Type': 'text/plain' } });
            const uploaded = await upload();
            expect(uploaded.status, uploaded.text).to.equal(201);
            const cid: string = uploaded.body.cid;
            const bin = path.join(dataDir, 'documents', `${cid}.bin`);
            for (const [damage, fault] of [
                [() => rmSync(bin), 'are missing'],
                [() => writeFileSync(bin, 'overwritten'), 'no longer match its CID'],
            ] as const) {
                damage();
                const reader = await call(baseUrl, 'GET', `/documents/${cid}`, { token: suzhou });
                expect(reader.status, reader.text).to.equal(502);
                expect(reader.body).to.include({ code: 'DOCUMENT_CORRUPT', detail: `the stored bytes of document ${cid} ${fault}; uploading the same bytes again (POST /documents) restores them` });
                // Not a reader: the same answer as for a document not stored here.
                const other = await call(baseUrl, 'GET', `/documents/${cid}`, { token: hangzhou });
                expect(other.status, other.text).to.equal(404);
                expect(other.body.code).to.equal('NOT_FOUND');
                const again = await upload();
                expect([again.status, again.body]).to.deep.equal([201, uploaded.body]);
                const repaired = await call(baseUrl, 'GET', `/documents/${cid}`, { token: suzhou });
                expect([repaired.status, repaired.text]).to.deep.equal([200, 'invoice INV-REPAIR-1']);
            }
        } finally {
            await gateway.close();
        }
    });

    it('refuses a misspelt query parameter with 400 naming it instead of answering an empty list', async () => {
        const dataDir = newDirectory('query');
        const { gateway, baseUrl } = await open(dataDir);
        try {
            const regulator = await loginToken(baseUrl, 'regulator');
            const misspelt = await call(baseUrl, 'GET', `/receivables?enterpriseid=${DEMO_IDS.suzhou}`, { token: regulator });
            expect(misspelt.status, misspelt.text).to.equal(400);
            expect(misspelt.body.code).to.equal('INVALID_ARGUMENT');
            expect(misspelt.body.detail).to.match(/^query\.enterpriseid: is not a query parameter of this route \(this route takes enterpriseId, role, limit, cursor\)$/);
            for (const query of [`holderid=${DEMO_IDS.suzhou}`, 'limit[]=1', 'cursor[a]=1']) {
                const refused = await call(baseUrl, 'GET', `/notes?${query}`, { token: regulator });
                expect([refused.status, refused.body.code], query).to.deep.equal([400, 'INVALID_ARGUMENT']);
            }
            const listed = await call(baseUrl, 'GET', `/receivables?enterpriseId=${DEMO_IDS.suzhou}`, { token: regulator });
            expect(listed.status, listed.text).to.equal(200);
            expect(listed.body.items.length).to.be.greaterThan(0);
            // A documented parameter of the event stream still works.
            const events = await fetch(`${baseUrl}/events?access_token=${encodeURIComponent(regulator)}`, { signal: AbortSignal.timeout(2_000) }).catch((e: Error) => e);
            expect(events instanceof Error ? events.name : events.status).to.be.oneOf([200, 'TimeoutError']);
            if (!(events instanceof Error)) {
                await events.body?.cancel();
            }
        } finally {
            await gateway.close();
        }
    });

    it('deletes the temporary files of writes a killed gateway cut off when it opens', async () => {
        const dataDir = newDirectory('temporary');
        const first = await open(dataDir);
        await first.gateway.close();
        // Named as writeFileAtomic names them, by a process that no longer runs.
        const leftovers = [
            ['idempotency', `${'a'.repeat(64)}.json`],
            ['documents', 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy.bin'],
            ['auth', 'users.json'],
            ['auth', 'token-secret'],
            ['bureau-keys', `${DEMO_IDS.bureau}.json`],
            ['embedded/wallet/PlatformMSP', 'ca.json'],
            ['embedded/wallet/BankMSP/users', 'jiangnan.json'],
            ['.', 'demo-seeded.json'],
        ].map(([folder, file], n) => path.join(dataDir, folder, temporaryFileName(file, STOPPED_PID, n)));
        for (const leftover of leftovers) {
            mkdirSync(path.dirname(leftover), { recursive: true });
            writeFileSync(leftover, '{"partial":');
        }
        // One that cannot be deleted (a folder of that name): named in a warning, and the gateway starts.
        const undeletable = path.join(dataDir, 'auth', temporaryFileName('users.json', STOPPED_PID, 99));
        mkdirSync(undeletable);
        const lines: string[] = [];
        const { gateway, baseUrl } = await open(dataDir, lines);
        try {
            await call(baseUrl, 'GET', '/health/ready');
            expect(leftovers.filter((leftover) => readdirSync(path.dirname(leftover)).includes(path.basename(leftover)))).to.deep.equal([]);
            const warnings = lines.map((line) => JSON.parse(line) as { msg: string; err?: { message?: string } }).filter((line) => line.msg === TEMPORARY_FILE_NOT_DELETED);
            expect(warnings.map((line) => line.err?.message)).to.satisfy((messages: string[]) => messages.length === 1 && messages[0].includes(path.basename(undeletable)));
        } finally {
            await gateway.close();
        }
    });
});
