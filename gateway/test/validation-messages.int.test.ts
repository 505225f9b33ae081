import { expect } from 'chai';
import { DEMO_IDS } from '../src/services/demo-seed';
import { call } from './conformance/api-client';
import { loginToken, startTestGateway, TestGateway } from './support/test-gateway';

/** What a refused request says over HTTP, through the API's own routes on a real gateway. */
describe('validation messages over HTTP', function () {
    this.timeout(60_000);
    let gateway: TestGateway;
    let token: string;

    before(async () => {
        gateway = await startTestGateway({ seedDemo: false });
        token = await loginToken(gateway.baseUrl, 'admin');
    });
    after(() => gateway?.dispose());

    it('answers 400 INVALID_ARGUMENT naming each field in plain words', async () => {
        const body = {
            holderId: DEMO_IDS.suzhou,
            amount: 1050,
            currency: 'CNY',
            maturityDate: '2027-01-01',
            creditLineId: 'L-1',
            receivableIds: Array.from({ length: 51 }, (_, i) => `R-${i}`),
            foo: 'bar',
        };
        const refused = await call(gateway.baseUrl, 'POST', '/notes', { token, body, headers: { 'Idempotency-Key': 'bad-note-1' } });
        expect(refused.status, refused.text).to.equal(400);
        expect(refused.headers.get('content-type')).to.match(/^application\/problem\+json/);
        expect(refused.body).to.include({
            code: 'INVALID_ARGUMENT',
            status: 400,
            detail: 'body.amount: must be a string (received 1050); body.receivableIds: at most 50 items; body: "foo" is not a field of this request',
        });

        const listed = await call(gateway.baseUrl, 'GET', '/receivables?role=owner', { token });
        expect([listed.status, listed.body.code, listed.body.detail]).to.deep.equal([400, 'INVALID_ARGUMENT', 'query.role: must be one of seller, buyer']);
    });
});
