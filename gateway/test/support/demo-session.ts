/* eslint-disable @typescript-eslint/no-explicit-any */
import { expect } from 'chai';
import { DEMO_IDS } from '../../src/services/demo-seed';
import { ApiResponse, call } from '../conformance/api-client';
import { TestGateway, loginToken } from './test-gateway';

/**
 * Demo users signed in to a test gateway that a test may stop and start again on the same data
 * directory (with another ledger clock): `gateway()` is the one running now, and `login()` signs
 * every user in to it again.
 */
export interface DemoSession<U extends string> {
    readonly tokens: Record<U, string>;
    login(): Promise<void>;
    api(method: string, route: string, user: U, body?: unknown): Promise<ApiResponse>;
}

export function demoSession<U extends string>(gateway: () => TestGateway, users: readonly U[]): DemoSession<U> {
    const tokens = {} as Record<U, string>;
    return {
        tokens,
        async login() {
            for (const user of users) {
                tokens[user] = await loginToken(gateway().baseUrl, user);
            }
        },
        api: (method, route, user, body) => call(gateway().baseUrl, method, route, { token: tokens[user], body }),
    };
}

/** A note of the demo's core enterprise (huadong) to its supplier (suzhou): what it asks for, and what it draws on. */
export interface DemoNoteRequest {
    readonly invoiceNumber: string;
    /** The receivable's amount (default: the note's). */
    readonly receivableAmount?: string;
    readonly amount: string;
    /** The note's maturity date, also the receivable's due date. */
    readonly maturityDate: string;
    readonly issueDate: string;
}

/**
 * suzhou uploads an invoice and registers it against huadong, which confirms it. Returns the
 * receivable's id (due on `dueDate`).
 */
export async function confirmedDemoReceivable(
    gateway: () => TestGateway,
    session: DemoSession<'huadong' | 'suzhou'>,
    request: { readonly invoiceNumber: string; readonly amount: string; readonly issueDate: string; readonly dueDate: string },
): Promise<string> {
    const { api, tokens } = session;
    const document = await call(gateway().baseUrl, 'POST', '/documents', { token: tokens.suzhou, raw: `invoice ${request.invoiceNumber}`, headers: { 'Content-Type': 'text/plain' } });
    const receivable = await api('POST', '/receivables', 'suzhou', {
        buyerId: DEMO_IDS.huadong,
        invoiceNumber: request.invoiceNumber,
        amount: request.amount,
        currency: 'CNY',
        issueDate: request.issueDate,
        dueDate: request.dueDate,
        documentCid: document.body.cid,
    });
    expect(receivable.status, receivable.text).to.equal(201);
    expect((await api('POST', `/receivables/${receivable.body.id}/confirm`, 'huadong')).status).to.equal(200);
    return receivable.body.id;
}

/**
 * Issues a demo note: huadong issues suzhou a note on jiangnan's active credit line, backed by a
 * receivable confirmedDemoReceivable makes (due on the note's maturity date). Returns the note and the receivable's id.
 */
export async function issueDemoNote(gateway: () => TestGateway, session: DemoSession<'huadong' | 'suzhou'>, request: DemoNoteRequest): Promise<{ note: any; receivableId: string }> {
    const { api } = session;
    const lines = await api('GET', `/credit-lines?enterpriseId=${DEMO_IDS.huadong}`, 'huadong');
    const line = lines.body.items.find((l: any) => l.financierId === DEMO_IDS.jiangnan && l.status === 'ACTIVE');
    const receivableId = await confirmedDemoReceivable(gateway, session, {
        invoiceNumber: request.invoiceNumber,
        amount: request.receivableAmount ?? request.amount,
        issueDate: request.issueDate,
        dueDate: request.maturityDate,
    });
    const note = await api('POST', '/notes', 'huadong', { holderId: DEMO_IDS.suzhou, amount: request.amount, currency: 'CNY', maturityDate: request.maturityDate, creditLineId: line.id, receivableIds: [receivableId] });
    expect(note.status, note.text).to.equal(201);
    return { note: note.body, receivableId };
}
