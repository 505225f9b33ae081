import './support/quiet-chaincode-logging';
import { DEMO_IDS } from '../src/services/demo-seed';
import { defineConformanceSuite } from './conformance/conformance-suite';
import { TEST_PASSWORD, TestGateway, loginToken, startTestGateway } from './support/test-gateway';

describe('API conformance (embedded backend)', function () {
    this.timeout(60_000);
    let gateway: TestGateway;
    const tokens = new Map<string, Promise<string>>();

    before(async () => {
        gateway = await startTestGateway();
    });

    after(async () => {
        await gateway?.dispose();
    });

    defineConformanceSuite({
        baseUrl: () => gateway.baseUrl,
        token: (username) => {
            let token = tokens.get(username);
            if (!token) {
                token = loginToken(gateway.baseUrl, username);
                tokens.set(username, token);
            }
            return token;
        },
        password: TEST_PASSWORD,
        ids: DEMO_IDS,
    });
});
