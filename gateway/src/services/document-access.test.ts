import { expect } from 'chai';
import { AppError } from '../errors';
import type { LedgerUser } from '../ledger/ledger-backend';
import { mayDownloadDocument, requireCitableDocument } from './document-access';

const CID = 'bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4';

function user(role: string, enterpriseId: string): LedgerUser {
    return { username: `${role}-user`, role, enterpriseId, mspId: 'PlatformMSP' };
}

/** A ledger that answers each read with `answers[fn]`: a value, or an error code to throw. */
function ledger(answers: Record<string, unknown>) {
    const calls: Array<{ user: string; fn: string; args: readonly unknown[] }> = [];
    return {
        calls,
        async evaluate<T>(who: LedgerUser, fn: string, args: readonly unknown[]): Promise<T> {
            calls.push({ user: who.username, fn, args });
            const answer = answers[fn] ?? 'NOT_FOUND';
            if (typeof answer === 'string') {
                throw new AppError(answer as never, `${fn} refused`);
            }
            return answer as T;
        },
    };
}

describe('mayDownloadDocument', () => {
    it('lets an uploader, the regulator and the platform admin download without asking the ledger', async () => {
        const fake = ledger({});
        expect(await mayDownloadDocument(fake, user('supplier', 'E1'), CID, ['E0', 'E1'])).to.equal(true);
        expect(await mayDownloadDocument(fake, user('regulator', 'R'), CID, [])).to.equal(true);
        expect(await mayDownloadDocument(fake, user('platform-admin', 'P'), CID, [])).to.equal(true);
        expect(fake.calls).to.deep.equal([]);
    });

    it('lets whoever may read a receivable or an IP asset citing the document download it, asking as the caller', async () => {
        const byReceivable = ledger({ 'receivable:ReadReceivableByDocument': { id: 'RCV-1' } });
        expect(await mayDownloadDocument(byReceivable, user('core-enterprise', 'BUYER'), CID, ['SELLER'])).to.equal(true);
        expect(byReceivable.calls).to.deep.equal([{ user: 'core-enterprise-user', fn: 'receivable:ReadReceivableByDocument', args: [CID] }]);
        const byReport = ledger({ 'ip:ReadIpAssetByReport': { id: 'ip-1' } });
        expect(await mayDownloadDocument(byReport, user('financier', 'BANK'), CID, [])).to.equal(true);
        expect(byReport.calls.map((c) => c.fn)).to.deep.equal(['receivable:ReadReceivableByDocument', 'ip:ReadIpAssetByReport']);
    });

    it('refuses everyone else, whether the reads answer NOT_FOUND, FORBIDDEN or INVALID_ARGUMENT', async () => {
        for (const code of ['NOT_FOUND', 'FORBIDDEN', 'INVALID_ARGUMENT']) {
            const fake = ledger({ 'receivable:ReadReceivableByDocument': code, 'ip:ReadIpAssetByReport': code });
            expect(await mayDownloadDocument(fake, user('foreign-partner', 'SG'), CID, ['SELLER'])).to.equal(false);
        }
    });

    it('passes on a ledger that cannot answer instead of refusing', async () => {
        const fake = ledger({ 'receivable:ReadReceivableByDocument': 'LEDGER_UNAVAILABLE' });
        const error = await mayDownloadDocument(fake, user('supplier', 'E2'), CID, []).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(AppError);
        expect((error as AppError).code).to.equal('LEDGER_UNAVAILABLE');
    });
});

describe('requireCitableDocument', () => {
    /** A store holding CID, uploaded by `uploaderIds`. */
    function store(uploaderIds: readonly string[]) {
        return {
            async get(cid: string) {
                return cid === CID ? { document: { cid, size: 1, mediaType: 'text/plain' }, uploaderIds, bytes: async () => Buffer.from('x') } : undefined;
            },
        };
    }

    it('lets an uploader, a supervisor and a reader of a citing record cite the document', async () => {
        await requireCitableDocument(store(['E1']), ledger({}), user('supplier', 'E1'), CID);
        await requireCitableDocument(store([]), ledger({}), user('platform-admin', 'P'), CID);
        await requireCitableDocument(store(['E1']), ledger({ 'ip:ReadIpAssetByReport': { id: 'ip-1' } }), user('appraiser', 'A2'), CID);
    });

    it('answers NOT_FOUND alike for a document not stored and one the caller may not read', async () => {
        const other = `${CID.slice(0, -1)}a`;
        for (const [documents, cid] of [
            [store(['E1']), other],
            [store(['E1']), CID],
        ] as const) {
            const error = await requireCitableDocument(documents, ledger({}), user('appraiser', 'A'), cid).catch((e: unknown) => e);
            expect(error).to.be.instanceOf(AppError);
            expect((error as AppError).code).to.equal('NOT_FOUND');
            expect((error as AppError).message).to.equal(`document ${cid} does not exist`);
        }
    });
});
