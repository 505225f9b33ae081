import { createHash } from 'crypto';
import { CreditLineContract } from '../credit-line/credit-line-contract';
import { EnterpriseContract } from '../enterprise/enterprise-contract';
import { ReceivableContract } from '../receivable/receivable-contract';
import { Cast, EID, newCast, registerCast, testDocumentCid } from '../testing/fixtures';
import { Harness, newHarness } from '../testing/harness';
import type { TestIdentity } from '../testing/identities';
import type { DiscountQuote, DiscountRequest } from './discount';
import type { Note } from './note';
import { NoteContract } from './note-contract';
import type { NoteOffer } from './transfer';

/**
 * Test helpers for the note contract: a ledger with the standard cast and a credit line, backing
 * receivables registered and confirmed, and one-call issuance, so each test states only what it is about.
 */

export const NOTE_CONTRACTS = [EnterpriseContract, CreditLineContract, ReceivableContract, NoteContract];

/** The default maturity of test notes: 100 days after the harness start (2026-01-05). */
export const MATURITY = '2026-04-15';

/** A ledger ready for notes: cast registered, the bank has granted the core enterprise a CNY line. */
export interface NoteWorld {
    h: Harness;
    cast: Cast;
    /** The bank's CNY line to the core enterprise: 10^12 fen, expiring 2027-12-31. */
    lineId: string;
}

let invoiceCounter = 0;

/** A fresh ledger with the standard cast and a large CNY credit line from the bank to the core enterprise. */
export async function newNoteWorld(): Promise<NoteWorld> {
    const h = await newHarness(NOTE_CONTRACTS);
    const cast = await newCast();
    await registerCast(h, cast);
    const lineId = await grantLine(h, cast.bank, EID.core, '1000000000000');
    return { h, cast, lineId };
}

/** Grants a credit line; returns its id. */
export async function grantLine(h: Harness, financier: TestIdentity, coreEnterpriseId: string, limit: string, currency = 'CNY', expiresAt = '2027-12-31T00:00:00Z'): Promise<string> {
    const line = await h.submit<{ id: string }>(financier, 'credit-line:GrantCreditLine', [{ coreEnterpriseId, currency, limit, expiresAt }]);
    return line.id;
}

/** Registers receivables of `seller` on `buyerId` and has `buyer` confirm them; returns their ids. */
export async function confirmedReceivables(h: Harness, seller: TestIdentity, buyer: TestIdentity, amounts: readonly string[], currency = 'CNY'): Promise<string[]> {
    const ids: string[] = [];
    for (const amount of amounts) {
        invoiceCounter += 1;
        const receivable = await h.submit<{ id: string }>(seller, 'receivable:RegisterReceivable', [
            {
                buyerId: buyer.attrs['xl.eid'],
                invoiceNumber: `INV-2026-${String(invoiceCounter).padStart(6, '0')}`,
                amount,
                currency,
                issueDate: '2026-01-02',
                dueDate: '2026-06-30',
                documentCid: testDocumentCid(`invoice ${invoiceCounter}`),
            },
        ]);
        await h.submit(buyer, 'receivable:ConfirmReceivable', [receivable.id]);
        ids.push(receivable.id);
    }
    return ids;
}

/** Options of `issue`; every field has a default. */
export interface IssueOptions {
    holder?: TestIdentity;
    issuer?: TestIdentity;
    amount?: string;
    currency?: string;
    maturityDate?: string;
    lineId?: string;
    /** Backing amounts; defaults to one receivable of `amount`. */
    backing?: readonly string[];
}

/** Registers and confirms backing receivables, then issues a note; returns the root. */
export async function issue(world: NoteWorld, options: IssueOptions = {}): Promise<Note> {
    const { h, cast } = world;
    const holder = options.holder ?? cast.tier1;
    const issuer = options.issuer ?? cast.core;
    const amount = options.amount ?? '100000000';
    const currency = options.currency ?? 'CNY';
    const receivableIds = await confirmedReceivables(h, holder, issuer, options.backing ?? [amount], currency);
    return h.submit<Note>(issuer, 'note:IssueNote', [
        { holderId: holder.attrs['xl.eid'], amount, currency, maturityDate: options.maturityDate ?? MATURITY, creditLineId: options.lineId ?? world.lineId, receivableIds },
    ]);
}

/** An expiry one week after the harness clock. */
export function inAWeek(h: Harness): string {
    return new Date(h.now().getTime() + 7 * 86_400_000).toISOString();
}

/** Offers `amount` of a note and returns the offer. */
export async function offer(h: Harness, from: TestIdentity, noteId: string, to: string, amount: string, expiresAt = inAWeek(h)): Promise<NoteOffer> {
    return h.submit<NoteOffer>(from, 'note:OfferTransfer', [{ noteId, toId: to, amount, expiresAt }]);
}

/** Offers and has the recipient accept; returns the accepted offer with the new note ids. */
export async function transfer(h: Harness, from: TestIdentity, to: TestIdentity, noteId: string, amount: string): Promise<{ offer: NoteOffer; received: Note; change?: Note }> {
    const pending = await offer(h, from, noteId, to.attrs['xl.eid'], amount);
    return h.submit(to, 'note:AcceptOffer', [pending.id]);
}

/** Opens a discount request. */
export async function requestDiscount(h: Harness, holder: TestIdentity, noteId: string, financierIds: string[]): Promise<DiscountRequest> {
    return h.submit<DiscountRequest>(holder, 'note:RequestDiscount', [{ noteId, financierIds }]);
}

let saltCounter = 0;

/** A fresh salt for quote terms: 32 lower-case hex characters, as a client draws them at random (deterministic here). */
export function testSalt(): string {
    saltCounter += 1;
    return createHash('sha256').update(`test quote salt ${saltCounter}`).digest('hex').slice(0, 32);
}

/** Submits a quote with its private terms, salted with `salt` (a fresh one by default). */
export async function quote(h: Harness, financier: TestIdentity, requestId: string, rateBps: number, feeAmount?: string, salt = testSalt()): Promise<DiscountQuote> {
    const terms: Record<string, unknown> = { rateBps, salt };
    if (feeAmount !== undefined) {
        terms.feeAmount = feeAmount;
    }
    return h.submit<DiscountQuote>(financier, 'note:SubmitQuote', [requestId], { transient: { terms } });
}

/** Reads a note as the regulator. */
export async function readNote(h: Harness, cast: Cast, noteId: string): Promise<Note> {
    return h.evaluate<Note>(cast.regulator, 'note:ReadNote', [noteId]);
}
