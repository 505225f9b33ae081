import { canonicalStringify } from '../ledger/canonical-json';
import { sha256Hex } from '../ledger/tx';

/**
 * The double-financing fingerprint of a receivable: SHA-256 over a salted canonical tuple
 * (seller, buyer, normalised invoice number, amount, issue date). Its key `fingerprint ~ hash`
 * is unique across the whole ledger and never deleted, so the same invoice can back financing
 * at most once, whoever registers it and even after the first registration was cancelled.
 *
 * Why salt, and why with the channel id: an invoice tuple has little entropy (known parties,
 * sequential invoice numbers, round amounts), so an unsalted hash could be matched against
 * hashes of the same invoices published by other registries or platforms, revealing which
 * invoices are financed here. A fixed domain-separation constant keeps our hashes from ever
 * colliding with another scheme's hash of the same bytes; the channel id binds each fingerprint
 * to this ledger, so the same invoice hashes differently on another channel or network.
 * Every endorser knows both, so the fingerprint stays deterministic.
 */

/** Domain-separation constant; changing it would orphan every existing fingerprint. */
export const FINGERPRINT_DOMAIN = 'xinlian/receivable-fingerprint/v1';

/** The fields of an invoice that identify it for double-financing purposes. */
export interface InvoiceTuple {
    sellerId: string;
    buyerId: string;
    invoiceNumber: string;
    amount: bigint;
    /** Calendar date YYYY-MM-DD. */
    issueDate: string;
}

/**
 * Normalises an invoice number so that trivially different spellings of the same number collide:
 * upper-case, then keep only the letters and digits. Every separator the input accepts (space,
 * '-', '.', '_', '/', '#') is dropped, so 'DF-7001', 'df 7001', 'DF.7001', 'DF_7001', 'DF/7001',
 * 'DF#7001' and 'DF7001' are one invoice — otherwise a seller could finance one invoice once per
 * separator. Digits are kept as written, leading zeros included: 'DF-07001' is another number.
 * Invoice numbers are restricted to ASCII on input, so this is the same on every endorser.
 */
export function normaliseInvoiceNumber(invoiceNumber: string): string {
    return invoiceNumber.toUpperCase().replace(/[^A-Z0-9]+/g, '');
}

/**
 * The normal form before '.', '_', '/' and '#' were dropped too (only spaces and dashes were),
 * kept only so that an invoice registered under it is still refused in the same spelling after
 * the upgrade; see legacyFingerprint.
 */
function legacyNormaliseInvoiceNumber(invoiceNumber: string): string {
    return invoiceNumber.trim().toUpperCase().replace(/[\s-]+/g, '');
}

function fingerprintOf(channelId: string, tuple: InvoiceTuple, normalisedInvoiceNumber: string): string {
    // A JSON array leaves no ambiguity about where one field ends and the next begins.
    return sha256Hex(
        canonicalStringify([FINGERPRINT_DOMAIN, channelId, tuple.sellerId, tuple.buyerId, normalisedInvoiceNumber, tuple.amount.toString(), tuple.issueDate]),
    );
}

/** The fingerprint (64 lowercase hex characters) of an invoice on the given channel. */
export function receivableFingerprint(channelId: string, tuple: InvoiceTuple): string {
    return fingerprintOf(channelId, tuple, normaliseInvoiceNumber(tuple.invoiceNumber));
}

/**
 * The fingerprint the invoice had under the first normal form, when it differs from the current
 * one (the number contains '.', '_', '/' or '#'), else undefined. A ledger that registered such an
 * invoice before the upgrade holds only that fingerprint; registration checks both, so the same
 * spelling is still refused. Spellings that differ only in those separators from an invoice
 * registered before the upgrade are not caught: that is what the upgrade fixes for new invoices.
 */
export function legacyFingerprint(channelId: string, tuple: InvoiceTuple): string | undefined {
    const legacy = legacyNormaliseInvoiceNumber(tuple.invoiceNumber);
    return legacy === normaliseInvoiceNumber(tuple.invoiceNumber) ? undefined : fingerprintOf(channelId, tuple, legacy);
}

/** Domain-separation constant of the invoice-number key; changing it would orphan every existing key. */
export const INVOICE_NUMBER_DOMAIN = 'xinlian/receivable-invoice-number/v1';

/**
 * The hash behind the second unique key: one invoice number per (seller, buyer), whatever the
 * amount or the issue date. The fingerprint alone let a seller register an invoice again with
 * one fen more or an issue date a day earlier; an invoice number is issued once by the seller to
 * its buyer, so the pair and the normal number identify the invoice. Salted with the channel id
 * under its own domain constant, as the fingerprint is, so the key reveals neither the number nor
 * the parties and never collides with a fingerprint.
 */
export function invoiceNumberHash(channelId: string, invoice: Pick<InvoiceTuple, 'sellerId' | 'buyerId' | 'invoiceNumber'>): string {
    return sha256Hex(canonicalStringify([INVOICE_NUMBER_DOMAIN, channelId, invoice.sellerId, invoice.buyerId, normaliseInvoiceNumber(invoice.invoiceNumber)]));
}
