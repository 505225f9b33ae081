import { expect } from 'chai';
import { ApiError } from './api-client';
import { ISSUER_KEYS_STORAGE_KEY, KeyStore, NoIssuerKeysError, ageText, issuerKeysNow } from './issuer-keys';
import type { BureauKey } from './resources';

function memoryStore(): KeyStore & { data: Map<string, string> } {
    const data = new Map<string, string>();
    return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const KEY_1: BureauKey = { address: '0x1111111111111111111111111111111111111111', bureauId: 'B', status: 'ACTIVE' };
const KEY_2: BureauKey = { address: '0x2222222222222222222222222222222222222222', bureauId: 'B', status: 'ACTIVE' };
const offline = (): Promise<BureauKey[]> => Promise.reject(new ApiError({ status: 0, code: 'NETWORK', detail: 'Failed to fetch' }));

describe('issuer keys for offline passport checks', () => {
    it('reads the keys afresh for every check while online, and remembers each read', async () => {
        const store = memoryStore();
        let published = [KEY_1];
        const first = await issuerKeysNow(async () => published, store, new Date('2026-01-01T00:00:00Z'));
        expect(first).to.deep.equal({ keys: [KEY_1], fetchedAt: '2026-01-01T00:00:00.000Z', fresh: true });
        published = [{ ...KEY_1, status: 'REVOKED' }, KEY_2];
        const second = await issuerKeysNow(async () => published, store, new Date('2026-01-01T01:00:00Z'));
        expect(second.keys).to.deep.equal(published);
        expect(JSON.parse(store.data.get(ISSUER_KEYS_STORAGE_KEY) ?? '{}')).to.deep.equal({ keys: published, fetchedAt: '2026-01-01T01:00:00.000Z' });
    });

    it('checks against the keys last read when the platform cannot be reached, saying when they were read', async () => {
        const store = memoryStore();
        await issuerKeysNow(async () => [KEY_1], store, new Date('2026-01-01T00:00:00Z'));
        const unreachable = await issuerKeysNow(offline, store, new Date('2026-01-01T03:00:00Z'));
        expect(unreachable).to.deep.equal({ keys: [KEY_1], fetchedAt: '2026-01-01T00:00:00.000Z', fresh: false });
        // The browser knows it is offline: no attempt at all.
        let called = false;
        const known = await issuerKeysNow(async () => ((called = true), [KEY_2]), store, new Date('2026-01-02T00:00:00Z'), false);
        expect(called).to.equal(false);
        expect(known.keys).to.deep.equal([KEY_1]);
        expect(ageText(known.fetchedAt, new Date('2026-01-02T00:00:00Z'))).to.equal('24 hours');
    });

    it('says so when offline with no keys ever read, and passes on refusals that are not about the network', async () => {
        let thrown: unknown;
        await issuerKeysNow(offline, memoryStore(), new Date()).catch((e) => (thrown = e));
        expect(thrown).to.be.instanceOf(NoIssuerKeysError);
        const store = memoryStore();
        await issuerKeysNow(async () => [KEY_1], store, new Date());
        thrown = undefined;
        await issuerKeysNow(() => Promise.reject(new ApiError({ status: 500, code: 'INTERNAL' })), store, new Date()).catch((e) => (thrown = e));
        expect((thrown as ApiError).code).to.equal('INTERNAL');
    });
});
