import './support/quiet-chaincode-logging';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { openGateway } from '../src/app';
import { newLogger } from '../src/operations/logger';
import { testConfig } from './support/test-gateway';

/** A gateway whose GATEWAY_CLIENT_APP_DIR has no client app says so at start and on its page at /. */
describe('GATEWAY_CLIENT_APP_DIR without a client app', function () {
    this.timeout(60_000);
    let dataDir: string;

    beforeEach(() => {
        dataDir = mkdtempSync(path.join(tmpdir(), 'xinlian-client-app-dir-'));
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    /** Opens the gateway with `setting` as GATEWAY_CLIENT_APP_DIR; its start-up warnings and its page at /. */
    async function open(setting: string): Promise<{ warnings: string[]; page: string }> {
        const lines: string[] = [];
        const config = testConfig(dataDir, { seedDemo: false, logLevel: 'warn', clientAppDir: path.resolve(setting), clientAppDirSetting: setting });
        const gateway = await openGateway(config, { logger: newLogger(config.logLevel, { write: (line: string) => lines.push(line) }) });
        try {
            const port = await gateway.listen();
            const page = await (await fetch(`http://127.0.0.1:${port}/`, { headers: { Accept: 'text/html' } })).text();
            return { warnings: lines.map((line) => (JSON.parse(line) as { msg: string }).msg).filter((msg) => msg.includes('GATEWAY_CLIENT_APP_DIR')), page };
        } finally {
            await gateway.close();
        }
    }

    it('warns at start naming the setting and its folder, and the page at / names the setting', async () => {
        const wrong = path.join(dataDir, 'client-app', 'build');
        const { warnings, page } = await open(wrong);
        expect(warnings).to.deep.equal([
            `GATEWAY_CLIENT_APP_DIR=${wrong}: no index.html in ${wrong}, so / serves only a pointer to the API docs; set it to the client app's build folder (client-app/dist)`,
        ]);
        expect(page).to.include('The client app is not where GATEWAY_CLIENT_APP_DIR points').and.not.include('npm run build').and.not.include(wrong);
    });

    it('neither warns nor says so when the folder holds the client app', async () => {
        const built = path.join(dataDir, 'dist');
        mkdirSync(built);
        writeFileSync(path.join(built, 'index.html'), '<!doctype html><title>Xinlian client</title>');
        const { warnings, page } = await open(built);
        expect(warnings).to.deep.equal([]);
        expect(page).to.equal('<!doctype html><title>Xinlian client</title>');
    });
});
