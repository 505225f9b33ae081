import type { CreditLine } from '../credit-line/credit-line';
import type { Note } from '../note/note';
import type { NoteOffer } from '../note/transfer';
import type { Agreement } from '../recognition/agreement';

/**
 * When records with a time limit stop counting, as pure functions of the record and an instant. The
 * chaincode applies them at the transaction time; the client app applies the same ones at the time it
 * renders, so a view does not offer what the ledger would refuse. Type imports only: the client app
 * bundles this file.
 */

/** `now` is at or after `instant` (ISO-8601). */
function reached(instant: string, now: Date): boolean {
    return now.getTime() >= new Date(instant).getTime();
}

/** The instant a note falls due: 00:00 UTC of its maturity date. From then on it can only be redeemed. */
export function maturityInstant(note: Pick<Note, 'maturityDate'>): Date {
    return new Date(`${note.maturityDate}T00:00:00.000Z`);
}

/** A credit line past its expiry: nothing more may be drawn on it, whatever its status says. */
export function creditLineExpired(line: Pick<CreditLine, 'expiresAt'>, now: Date): boolean {
    return reached(line.expiresAt, now);
}

/** An offer past its expiry: it can no longer be accepted, and its sender or recipient may mark it EXPIRED. */
export function offerExpired(offer: Pick<NoteOffer, 'expiresAt'>, now: Date): boolean {
    return reached(offer.expiresAt, now);
}

/** An agreement past its validity: out of force when ACTIVE, no longer acceptable when PROPOSED. */
export function agreementLapsed(agreement: Pick<Agreement, 'validUntil'>, now: Date): boolean {
    return reached(agreement.validUntil, now);
}

/** Why an agreement is not in force at `now`, or undefined when it is (ACTIVE and validFrom <= now < validUntil). */
export function agreementInactiveReason(agreement: Pick<Agreement, 'id' | 'status' | 'validFrom' | 'validUntil'>, now: Date): string | undefined {
    if (agreement.status !== 'ACTIVE') {
        return `agreement ${agreement.id} is ${agreement.status}`;
    }
    if (!reached(agreement.validFrom, now)) {
        return `agreement ${agreement.id} is valid only from ${agreement.validFrom}`;
    }
    if (agreementLapsed(agreement, now)) {
        return `agreement ${agreement.id} lapsed at ${agreement.validUntil}`;
    }
    return undefined;
}

/** The latest instant a JavaScript Date (and so an ISO-8601 time) can hold, in milliseconds. */
const MAX_DATE_MS = 8.64e15;

/**
 * A passport time (`issuedAt`, `expiresAt`: unix seconds, up to 2^53 − 1) as an ISO-8601 time.
 * Times beyond the year 275760 are held at that last representable instant,
 * "+275760-09-13T00:00:00.000Z"; decide by the number, never by this text.
 */
export function expiryTime(expiresAt: number): string {
    return new Date(Math.min(expiresAt * 1000, MAX_DATE_MS)).toISOString();
}
