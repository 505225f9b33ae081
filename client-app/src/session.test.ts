import { expect } from 'chai';
import { readFileSync } from 'fs';
import * as path from 'path';
import {
    DRAFTS_KEY,
    Drafts,
    PAGES_KEPT,
    PageDrafts,
    SESSION_WARNING_MS,
    discardDrafts,
    draftsOwner,
    localExpiry,
    mayKeep,
    mergeDrafts,
    saveDrafts,
    sessionEndReason,
    sessionEndWords,
    takeDrafts,
    timeLeftText,
    warningLeadMs,
} from './session';

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

    describe('why it ended', () => {
        /** The reasons the API documents for a refused credential (the Problem schema's `reason` in docs/api/openapi.json). */
        function documentedReasons(): string[] {
            const document = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'api', 'openapi.json'), 'utf8')) as {
                components: { schemas: { Problem: { properties: { reason: { enum: string[] } } } } };
            };
            return document.components.schemas.Problem.properties.reason.enum;
        }

        it('reads the reason the gateway gives in its 401, knowing every reason the API documents', () => {
            expect(documentedReasons()).to.have.members(['expired', 'password-changed', 'disabled', 'removed', 'signed-out']);
            for (const reason of documentedReasons()) {
                expect(sessionEndReason(reason), reason).to.equal(reason);
            }
            // No reason (a request without a credential, an older gateway) or an unknown one reads as an ended session.
            expect(sessionEndReason('locked')).to.equal('expired');
            expect(sessionEndReason(undefined)).to.equal('expired');
            expect(sessionEndReason('')).to.equal('expired');
        });

        it('says the reason in the dialog and on the sign-in page, and what to do', () => {
            const changed = sessionEndWords('password-changed', 'hangzhou');
            expect(changed.title).to.equal('Your password was changed');
            expect(changed.explanation).to.contain('password of hangzhou was changed').and.contain('Sign in again with the new password').and.not.contain('limited time');
            expect(sessionEndWords('disabled', 'hangzhou').title).to.equal('Your account has been disabled');
            expect(sessionEndWords('disabled', 'hangzhou').explanation).to.contain('platform administrator disabled hangzhou');
            expect(sessionEndWords('signed-out', 'hangzhou').title).to.equal('You were signed out');
            expect(sessionEndWords('removed', 'hangzhou').title).to.equal('Your account no longer exists');
            expect(sessionEndWords('expired', 'hangzhou').title).to.equal('Your session has ended');
            expect(sessionEndWords('expired', 'hangzhou').explanation).to.contain('a session lasts a limited time');
            expect(sessionEndWords('expired', 'hangzhou').notice).to.equal('Your session has expired; sign in again.');
        });
    });

    describe('what the user typed on the pages of the session', () => {
        const field = (key: string, value: string) => ({ key, value });

        it('keeps each page\'s values while other pages are visited, and forgets them all at once', () => {
            const kept = new PageDrafts();
            kept.keep('#/receivables', [field('#register-receivable|invoiceNumber#0', 'INV-1')]);
            kept.keep('#/issue', [field('#issue-note|amount#0', '12.34')]);
            expect(kept.get('#/receivables')).to.deep.equal([field('#register-receivable|invoiceNumber#0', 'INV-1')]);
            // Given out as a copy: what the caller does with it changes nothing kept.
            kept.get('#/issue').pop();
            expect(kept.get('#/issue')).to.have.length(1);
            // Left again with nothing typed: nothing kept for it.
            kept.keep('#/issue', []);
            expect(kept.get('#/issue')).to.deep.equal([]);
            kept.clear();
            expect(kept.size).to.equal(0);
            expect(kept.get('#/receivables')).to.deep.equal([]);
        });

        it('keeps the pages left most recently, at most PAGES_KEPT', () => {
            const kept = new PageDrafts();
            for (let i = 0; i <= PAGES_KEPT; i++) {
                kept.keep(`#/notes/N-${i}`, [field('k', String(i))]);
            }
            expect(kept.size).to.equal(PAGES_KEPT);
            expect(kept.get('#/notes/N-0')).to.deep.equal([]);
            expect(kept.get(`#/notes/N-${PAGES_KEPT}`)).to.deep.equal([field('k', String(PAGES_KEPT))]);
        });

        it('keeps the values of a panel not opened again, unless the page has a newer value for the same control', () => {
            expect(mergeDrafts([field('a', '1')], [field('a', 'old'), field('panel|reason#0', 'pending')])).to.deep.equal([field('a', '1'), field('panel|reason#0', 'pending')]);
        });
    });
});
