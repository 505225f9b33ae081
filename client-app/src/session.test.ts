import { expect } from 'chai';
import { DRAFTS_KEY, Drafts, SESSION_WARNING_MS, discardDrafts, draftsOwner, localExpiry, mayKeep, saveDrafts, takeDrafts, timeLeftText, warningLeadMs } from './session';

/** sessionStorage as a browser has it, in memory. */
class MemoryStorage implements Storage {
    private readonly items = new Map<string, string>();
    get length(): number {
        return this.items.size;
    }
    clear(): void {
        this.items.clear();
    }
    getItem(key: string): string | null {
        return this.items.get(key) ?? null;
    }
    key(index: number): string | null {
        return [...this.items.keys()][index] ?? null;
    }
    removeItem(key: string): void {
        this.items.delete(key);
    }
    setItem(key: string, value: string): void {
        this.items.set(key, String(value));
    }
}

describe('session', () => {
    describe('its end by this browser’s clock', () => {
        it('takes the token’s expiry in the gateway’s time to the browser’s', () => {
            // The gateway's clock runs 400 days ahead of the browser's (or the browser's behind).
            const ahead = 400 * 86_400_000;
            expect(localExpiry('2027-01-01T00:15:00.000Z', ahead)).to.equal(Date.parse('2027-01-01T00:15:00.000Z') - ahead);
            expect(localExpiry('2027-01-01T00:15:00.000Z', 0)).to.equal(Date.parse('2027-01-01T00:15:00.000Z'));
        });

        it('knows nothing without the gateway’s clock or a readable expiry (the 401 then says it)', () => {
            expect(localExpiry('2027-01-01T00:15:00.000Z', undefined)).to.equal(undefined);
            expect(localExpiry(undefined, 0)).to.equal(undefined);
            expect(localExpiry('soon', 0)).to.equal(undefined);
        });

        it('warns two minutes before the end, or a quarter of a shorter time left', () => {
            expect(warningLeadMs(15 * 60_000)).to.equal(SESSION_WARNING_MS);
            expect(warningLeadMs(40_000)).to.equal(10_000);
            expect(warningLeadMs(-5)).to.equal(0);
        });

        it('says the time left in whole minutes, rounded up', () => {
            expect(timeLeftText(119_000)).to.equal('2 minutes');
            expect(timeLeftText(60_000)).to.equal('1 minute');
            expect(timeLeftText(59_999)).to.equal('less than a minute');
        });
    });

    describe('what the user typed when it ended', () => {
        const drafts = (extra: Partial<Drafts> = {}): Drafts => ({ username: 'jiangnan', page: '#/credit-lines', fields: [{ key: '#grant-line|limit#0', value: '1,200,000' }], files: 0, ...extra });

        it('keeps no password, secret, one-time code or file', () => {
            expect(mayKeep({ type: 'text', name: 'limit' })).to.equal(true);
            expect(mayKeep({ type: 'textarea', name: 'amounts' })).to.equal(true);
            expect(mayKeep({ type: 'password', name: 'x' })).to.equal(false);
            expect(mayKeep({ type: 'text', name: 'newPassword' })).to.equal(false);
            expect(mayKeep({ type: 'text', name: 'code', autocomplete: 'one-time-code' })).to.equal(false);
            expect(mayKeep({ type: 'text', name: 'x', autocomplete: 'new-password' })).to.equal(false);
            expect(mayKeep({ type: 'text', name: 'apiKey' })).to.equal(false);
            expect(mayKeep({ type: 'text', name: 'label', label: 'Client secret' })).to.equal(false);
            expect(mayKeep({ type: 'file', name: 'document' })).to.equal(false);
        });

        it('gives them back to the same user on the same page, once', () => {
            const storage = new MemoryStorage();
            saveDrafts(storage, drafts());
            expect(draftsOwner(storage)).to.equal('jiangnan');
            expect(takeDrafts(storage, 'jiangnan', '#/credit-lines')).to.deep.equal(drafts());
            expect(takeDrafts(storage, 'jiangnan', '#/credit-lines')).to.equal(undefined);
            expect(storage.getItem(DRAFTS_KEY)).to.equal(null);
        });

        it('never to anyone else, and discards them when someone else signs in', () => {
            const storage = new MemoryStorage();
            saveDrafts(storage, drafts());
            expect(takeDrafts(storage, 'pudong', '#/credit-lines')).to.equal(undefined);
            expect(storage.getItem(DRAFTS_KEY)).to.equal(null);
            expect(takeDrafts(storage, 'jiangnan', '#/credit-lines')).to.equal(undefined);
        });

        it('not on another page, and not after signing out', () => {
            const storage = new MemoryStorage();
            saveDrafts(storage, drafts());
            expect(takeDrafts(storage, 'jiangnan', '#/portfolio')).to.equal(undefined);
            expect(storage.getItem(DRAFTS_KEY)).to.equal(null);
            saveDrafts(storage, drafts());
            discardDrafts(storage);
            expect(draftsOwner(storage)).to.equal(undefined);
        });

        it('keeps nothing when nothing was typed, and ignores what it cannot read', () => {
            const storage = new MemoryStorage();
            saveDrafts(storage, drafts());
            saveDrafts(storage, drafts({ fields: [] }));
            expect(storage.getItem(DRAFTS_KEY)).to.equal(null);
            storage.setItem(DRAFTS_KEY, '{not json');
            expect(takeDrafts(storage, 'jiangnan', '#/credit-lines')).to.equal(undefined);
            expect(storage.getItem(DRAFTS_KEY)).to.equal(null);
            // Only a chosen file: kept, to say that it must be chosen again.
            saveDrafts(storage, drafts({ fields: [], files: 1 }));
            expect(takeDrafts(storage, 'jiangnan', '#/credit-lines')?.files).to.equal(1);
        });
    });
});
