import './support/quiet-chaincode-logging';
import { expect } from 'chai';
import { call } from './conformance/api-client';
import { TestGateway, startTestGateway } from './support/test-gateway';

/** GET /health/ready reports the ledger's time, which clients compare maturities and deadlines with. */
describe('readiness and the ledger time', function () {
    this.timeout(60_000);
    let gateway: TestGateway | undefined;

    afterEach(async () => {
        await gateway?.dispose();
        gateway = undefined;
    });

    it('reports the real time as the ledger time when the ledger clock is not moved', async () => {
        gateway = await startTestGateway();
        const before = Date.now();
        const ready = await call(gateway.baseUrl, 'GET', '/health/ready');
        expect(ready.status).to.equal(200);
        expect(ready.body.status).to.equal('ready');
        const ledgerTime = Date.parse(ready.body.ledgerTime);
        expect(ledgerTime).to.be.within(before - 1000, Date.now() + 1000);
    });

    it('reports the embedded ledger clock moved GATEWAY_LEDGER_CLOCK_OFFSET_DAYS ahead', async () => {
        gateway = await startTestGateway({ ledgerClockOffsetDays: 90 });
        const ready = await call(gateway.baseUrl, 'GET', '/health/ready');
        expect(ready.status).to.equal(200);
        const aheadDays = (Date.parse(ready.body.ledgerTime) - Date.now()) / 86_400_000;
        expect(aheadDays).to.be.within(89.9, 90.1);
    });
});
