/* eslint-disable @typescript-eslint/no-explicit-any */
import { createHash, randomBytes } from 'crypto';
import { expect } from 'chai';
import { Wallet } from 'ethers';
import { passportTypedData, usccCheckCharacter, patentCheckCharacter } from '@xinlian/chaincode';
import { ALL_ROUTES } from '../../src/http/routes';
import { call, readEvents } from './api-client';
import { isoDate } from '../support/dates';

/** A patent number of `prefix` (year and type digit) and 7 random digits, with the check character they give (a wrong one is refused). */
function validPatentNumber(prefix: string): string {
    const digits = `${prefix}${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;
    return `ZL${digits}.${patentCheckCharacter(digits) ?? ''}`;
}

/**
 * The body a repeat of an idempotent write gets when its first response was lost in a gateway crash:
 * the route's own bodyFromResult applied to the committed transaction's result, here `result`.
 */
function rebuiltBody(method: string, path: string, result: unknown): unknown {
    const spec = ALL_ROUTES.find((route) => route.method === method && route.path === path);
    if (!spec?.bodyFromResult) {
        throw new Error(`${method.toUpperCase()} ${path} cannot rebuild a lost response`);
    }
    return spec.bodyFromResult(Buffer.from(JSON.stringify(result)));
}

/**
 * The API conformance suite: one describe per resource, over real HTTP. It depends only on a base
 * URL and a way to obtain users (plus the gateway's route table, for the responses it rebuilds
 * after a crash), so the same cases run against the embedded backend (here) and a Fabric network
 * (the test-network suite) unchanged. It assumes the demo data (route table) was
 * seeded and never assumes a fresh ledger: every record it creates has a unique number.
 */

/** Where the suite runs. */
export interface ConformanceTarget {
    /** e.g. http://127.0.0.1:8080/api/v1 (read lazily: the server may start in a before hook). */
    baseUrl(): string;
    /** A bearer token of a demo user (admin, regulator, huadong, suzhou, hangzhou, jiangnan, pudong, bureau, appraiser, singapore). */
    token(username: string): Promise<string>;
    /** The password of the demo users (login cases). */
    readonly password: string;
    /** Enterprise ids of the demo enterprises, keyed like DEMO_IDS. */
    readonly ids: Readonly<Record<'platform' | 'regulator' | 'huadong' | 'suzhou' | 'hangzhou' | 'jiangnan' | 'pudong' | 'appraiser' | 'bureau' | 'singapore', string>>;
}

function unique(prefix: string): string {
    return `${prefix}-${randomBytes(4).toString('hex').toUpperCase()}`;
}

/** A new, valid USCC (18 characters, GB 32100-2015 check character) starting with `prefix` (10 characters). */
function freshUscc(prefix: string): string {
    const first17 = `${prefix}${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;
    return first17 + usccCheckCharacter(first17);
}

/** How long the lapsing offer is open: long enough to be created and refused early on a Fabric network. */
const OFFER_LIFETIME_MS = 6_000;

function expectProblem(response: { status: number; body: any; headers: Headers }, status: number, code: string): void {
    expect(response.status, JSON.stringify(response.body)).to.equal(status);
    expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(response.body).to.include({ status, code });
    expect(response.body.title).to.be.a('string');
    expect(response.body.detail).to.be.a('string');
}

export function defineConformanceSuite(target: ConformanceTarget): void {
    const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(target.baseUrl(), method, path, options);
    const as = async (username: string) => ({ token: await target.token(username) });
    const ids = target.ids;

    /** Registers and confirms a fresh receivable of `seller` (a supplier user) against Huadong. */
    async function confirmedReceivable(seller: string, amount: string): Promise<any> {
        const document = await api('POST', '/documents', { ...(await as(seller)), raw: `invoice ${unique('doc')}`, headers: { 'Content-Type': 'text/plain' } });
        const created = await api('POST', '/receivables', {
            ...(await as(seller)),
            body: { buyerId: ids.huadong, invoiceNumber: unique('INV'), amount, currency: 'CNY', issueDate: isoDate(-5), dueDate: isoDate(60), documentCid: document.body.cid },
        });
        expect(created.status, created.text).to.equal(201);
        const confirmed = await api('POST', `/receivables/${created.body.id}/confirm`, await as('huadong'));
        expect(confirmed.status, confirmed.text).to.equal(200);
        return confirmed.body;
    }

    /** Issues a fresh note of `amount` to Suzhou on Huadong's Jiangnan line. */
    async function issuedNote(amount: string): Promise<any> {
        const receivable = await confirmedReceivable('suzhou', amount);
        const lines = await api('GET', `/credit-lines?enterpriseId=${ids.huadong}`, await as('huadong'));
        const line = lines.body.items.find((l: any) => l.financierId === ids.jiangnan && l.status === 'ACTIVE');
        const note = await api('POST', '/notes', {
            ...(await as('huadong')),
            body: { holderId: ids.suzhou, amount, currency: 'CNY', maturityDate: isoDate(90), creditLineId: line.id, receivableIds: [receivable.id] },
        });
        expect(note.status, note.text).to.equal(201);
        return note.body;
    }

    describe('auth and users', () => {
        it('logs a user in and returns a token, its expiry and the user', async () => {
            const response = await api('POST', '/auth/login', { body: { username: 'suzhou', password: target.password } });
            expect(response.status).to.equal(200);
            expect(response.body.token).to.be.a('string');
            expect(new Date(response.body.expiresAt).getTime()).to.be.greaterThan(new Date().getTime());
            expect(response.body.user).to.deep.equal({ username: 'suzhou', role: 'supplier', enterpriseId: ids.suzhou, mspId: 'PlatformMSP' });
        });

        it('refuses a wrong password with 401 problem+json', async () => {
            expectProblem(await api('POST', '/auth/login', { body: { username: 'suzhou', password: 'not-the-password' } }), 401, 'UNAUTHENTICATED');
        });

        it('refuses a request without credentials and one with a forged token', async () => {
            expectProblem(await api('GET', '/me'), 401, 'UNAUTHENTICATED');
            const token = await target.token('suzhou');
            const [body] = token.split('.');
            const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
            const forged = `${Buffer.from(JSON.stringify({ ...claims, sub: 'huadong' })).toString('base64url')}.${token.split('.')[1]}`;
            expectProblem(await api('GET', '/me', { token: forged }), 401, 'UNAUTHENTICATED');
        });

        it('returns the calling user from /me', async () => {
            const me = await api('GET', '/me', await as('jiangnan'));
            expect(me.body).to.deep.equal({ username: 'jiangnan', role: 'financier', enterpriseId: ids.jiangnan, mspId: 'BankMSP' });
        });

        it('creates an API key that acts as its owner, and deletes it', async () => {
            const created = await api('POST', '/auth/api-keys', { ...(await as('hangzhou')), body: { label: 'erp integration' } });
            expect(created.status).to.equal(201);
            const me = await api('GET', '/me', { headers: { Authorization: `ApiKey ${created.body.apiKey}` } });
            expect(me.body.username).to.equal('hangzhou');
            expect((await api('DELETE', `/auth/api-keys/${created.body.id}`, await as('hangzhou'))).status).to.equal(204);
            expectProblem(await api('GET', '/me', { headers: { Authorization: `ApiKey ${created.body.apiKey}` } }), 401, 'UNAUTHENTICATED');
        });

        it("lists the caller's own API keys, page by page, never with their secrets", async () => {
            const hangzhou = await as('hangzhou');
            const first = await api('POST', '/auth/api-keys', { ...hangzhou, body: { label: 'listed one' } });
            const second = await api('POST', '/auth/api-keys', { ...hangzhou, body: { label: 'listed two' } });
            expect([first.status, second.status]).to.deep.equal([201, 201]);
            const listed = await api('GET', '/auth/api-keys?limit=500', hangzhou);
            expect(listed.status, listed.text).to.equal(200);
            const mine = listed.body.items.filter((k: any) => k.id === first.body.id || k.id === second.body.id);
            expect(mine.map((k: any) => k.label).sort()).to.deep.equal(['listed one', 'listed two']);
            for (const key of mine) {
                expect(Object.keys(key).sort()).to.deep.equal(['createdAt', 'id', 'label']);
                expect(Number.isNaN(Date.parse(key.createdAt))).to.equal(false);
            }
            // The secret is the 43 characters after `xl_<id>_` (base64url, so it may itself hold '_').
            for (const created of [first, second]) {
                const secret = created.body.apiKey.slice(`xl_${created.body.id}_`.length);
                expect(secret).to.have.length(43);
                expect(listed.text).to.not.include(secret);
            }
            // Keyset pages of one item each walk the whole list, in id order.
            const walked: string[] = [];
            let cursor: string | null = null;
            do {
                const page: any = await api('GET', `/auth/api-keys?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, hangzhou);
                expect(page.status, page.text).to.equal(200);
                walked.push(...page.body.items.map((k: any) => k.id));
                cursor = page.body.nextCursor;
            } while (cursor);
            expect(walked).to.deep.equal(listed.body.items.map((k: any) => k.id));
            expect(walked).to.deep.equal([...walked].sort());
            const others = await api('GET', '/auth/api-keys?limit=500', await as('suzhou'));
            expect(others.body.items.map((k: any) => k.id)).to.not.include.members([first.body.id]);
            expect((await api('DELETE', `/auth/api-keys/${first.body.id}`, hangzhou)).status).to.equal(204);
            expect((await api('DELETE', `/auth/api-keys/${second.body.id}`, hangzhou)).status).to.equal(204);
            const after = await api('GET', '/auth/api-keys?limit=500', hangzhou);
            expect(after.body.items.map((k: any) => k.id)).to.not.include.members([first.body.id]);
            expect(after.body.items.map((k: any) => k.id)).to.not.include.members([second.body.id]);
            expectProblem(await api('GET', '/auth/api-keys'), 401, 'UNAUTHENTICATED');
        });

        it('lets only the platform admin create and list users', async () => {
            const username = `clerk${randomBytes(3).toString('hex')}`;
            expectProblem(await api('POST', '/users', { ...(await as('suzhou')), body: { username, password: 'long-enough-1', role: 'supplier', enterpriseId: ids.suzhou } }), 403, 'FORBIDDEN');
            const created = await api('POST', '/users', { ...(await as('admin')), body: { username, password: 'long-enough-1', role: 'supplier', enterpriseId: ids.hangzhou } });
            expect(created.status, created.text).to.equal(201);
            expect(created.body).to.deep.equal({ username, role: 'supplier', enterpriseId: ids.hangzhou, mspId: 'PlatformMSP' });
            const login = await api('POST', '/auth/login', { body: { username, password: 'long-enough-1' } });
            const me = await api('GET', '/me', { token: login.body.token });
            expect(me.body.enterpriseId).to.equal(ids.hangzhou);
            const users = await api('GET', '/users?limit=500', await as('admin'));
            expect(users.body.items.map((u: any) => u.username)).to.include(username);

            // The enrolment is on the ledger, for the enterprise and the regulator to see, and no one else.
            const enrolments = await api('GET', `/enterprises/${ids.hangzhou}/users?limit=500`, await as('regulator'));
            expect(enrolments.status, enrolments.text).to.equal(200);
            const record = enrolments.body.items.find((e: any) => e.username === username);
            expect(record).to.include({ role: 'supplier', enterpriseId: ids.hangzhou });
            expect(record.certificateFingerprint).to.match(/^[0-9a-f]{64}$/);
            const own = await api('GET', `/enterprises/${ids.hangzhou}/users?limit=500`, { token: login.body.token });
            expect(own.body.items.map((e: any) => e.certificateFingerprint)).to.include(record.certificateFingerprint);
            expectProblem(await api('GET', `/enterprises/${ids.hangzhou}/users`, await as('suzhou')), 403, 'FORBIDDEN');

            // Disabled, its token stops working at once and it cannot log in; enabled, it can again.
            const disabled = await api('POST', `/users/${username}/disable`, await as('admin'));
            expect(disabled.status, disabled.text).to.equal(200);
            expect(disabled.body).to.include({ username, disabled: true });
            expectProblem(await api('GET', '/me', { token: login.body.token }), 401, 'UNAUTHENTICATED');
            expectProblem(await api('POST', '/auth/login', { body: { username, password: 'long-enough-1' } }), 403, 'FORBIDDEN');
            const enabled = await api('POST', `/users/${username}/enable`, await as('admin'));
            expect(enabled.body).to.include({ username, disabled: false });
            const again = await api('POST', '/auth/login', { body: { username, password: 'long-enough-1' } });
            expect((await api('GET', '/me', { token: again.body.token })).body.username).to.equal(username);
        });

        it('creates a user name once when it is created several times at once, refusing the others as ALREADY_EXISTS', async () => {
            const username = `race${randomBytes(3).toString('hex')}`;
            const admin = await as('admin');
            const passwords = Array.from({ length: 6 }, (_, i) => `long-enough-${i}`);
            const answers = await Promise.all(passwords.map((password) => api('POST', '/users', { ...admin, body: { username, password, role: 'supplier', enterpriseId: ids.hangzhou } })));
            const created = answers.flatMap((answer, i) => (answer.status === 201 ? [i] : []));
            expect(created, JSON.stringify(answers.map((a) => a.body))).to.have.length(1);
            for (const refused of answers.filter((answer) => answer.status !== 201)) {
                expectProblem(refused, 409, 'ALREADY_EXISTS');
                expect(refused.body.detail).to.equal(`user ${username} already exists`);
            }
            const logins = await Promise.all(passwords.map((password) => api('POST', '/auth/login', { body: { username, password } })));
            expect(logins.map((login) => login.status)).to.deep.equal(passwords.map((_, i) => (i === created[0] ? 200 : 401)));
            const me = await api('GET', '/me', { token: logins[created[0]].body.token });
            expect(me.body).to.include({ username, enterpriseId: ids.hangzhou });
        });

        it('refuses a user whose role does not match its enterprise', async () => {
            expectProblem(
                await api('POST', '/users', { ...(await as('admin')), body: { username: 'wrongrole', password: 'long-enough-1', role: 'financier', enterpriseId: ids.suzhou } }),
                400,
                'INVALID_ARGUMENT',
            );
        });
    });

    describe('enterprises', () => {
        it('lists enterprises with gateway-side pagination', async () => {
            const first = await api('GET', '/enterprises?limit=3', await as('regulator'));
            expect(first.status).to.equal(200);
            expect(first.body.items).to.have.length(3);
            expect(first.body.nextCursor).to.be.a('string');
            const second = await api('GET', `/enterprises?limit=3&cursor=${first.body.nextCursor}`, await as('regulator'));
            expect(second.body.items[0].id).to.not.equal(first.body.items[0].id);
            const all = await api('GET', '/enterprises?limit=500', await as('regulator'));
            expect(all.body.nextCursor).to.equal(null);
            expect(all.body.items.map((e: any) => e.id)).to.include.members(Object.values(ids));
        });

        it('filters by kind and reads one enterprise', async () => {
            const financiers = await api('GET', '/enterprises?kind=FINANCIER&limit=500', await as('suzhou'));
            expect(financiers.body.items.map((e: any) => e.id)).to.include.members([ids.jiangnan, ids.pudong]);
            expect(financiers.body.items.every((e: any) => e.kind === 'FINANCIER')).to.equal(true);
            const one = await api('GET', `/enterprises/${ids.huadong}`, await as('suzhou'));
            expect(one.body).to.include({ id: ids.huadong, kind: 'CORE_ENTERPRISE', name: 'Huadong Heavy Industries Co., Ltd.' });
        });

        it('answers 404 NOT_FOUND for an unknown enterprise', async () => {
            expectProblem(await api('GET', '/enterprises/91110000MA9990012D', await as('suzhou')), 404, 'NOT_FOUND');
        });

        it('registers an enterprise (admin) with the transaction id, and refuses a duplicate', async () => {
            const id = freshUscc('91330200MA');
            const registered = await api('POST', '/enterprises', { ...(await as('admin')), body: { id, name: `Ningbo Conformance ${id.slice(-5)}`, kind: 'SUPPLIER', country: 'CN' } });
            expect(registered.status, registered.text).to.equal(201);
            expect(registered.headers.get('x-transaction-id')).to.match(/^[0-9a-f]{64}$/);
            expect(registered.body).to.include({ id, kind: 'SUPPLIER', status: 'ACTIVE', mspId: 'PlatformMSP' });
            expect((await api('GET', `/enterprises/${id}`, await as('regulator'))).body.name).to.equal(registered.body.name);
            const body = { id: ids.hangzhou, name: 'Again', kind: 'SUPPLIER' };
            expectProblem(await api('POST', '/enterprises', { ...(await as('admin')), body }), 409, 'ALREADY_EXISTS');
        });

        it('lets the regulator freeze and unfreeze, and a frozen enterprise cannot act', async () => {
            const frozen = await api('POST', `/enterprises/${ids.hangzhou}/freeze`, { ...(await as('regulator')), body: { reason: 'conformance check' } });
            expect(frozen.status, frozen.text).to.equal(200);
            expect(frozen.body.status).to.equal('FROZEN');
            expect(frozen.headers.get('x-transaction-id')).to.match(/^[0-9a-f]{64}$/);
            try {
                const refused = await api('POST', '/offers/nonexistent-offer/accept', await as('hangzhou'));
                expectProblem(refused, 409, 'ENTERPRISE_FROZEN');
            } finally {
                const unfrozen = await api('POST', `/enterprises/${ids.hangzhou}/unfreeze`, { ...(await as('regulator')), body: { reason: 'conformance check done' } });
                expect(unfrozen.body.status).to.equal('ACTIVE');
            }
        });
    });

    describe('credit lines', () => {
        it("lists Huadong's demo line from Jiangnan with its remaining limit", async () => {
            const lines = await api('GET', `/credit-lines?enterpriseId=${ids.huadong}`, await as('huadong'));
            const line = lines.body.items.find((l: any) => l.financierId === ids.jiangnan);
            expect(line).to.include({ coreEnterpriseId: ids.huadong, currency: 'CNY' });
            const read = await api('GET', `/credit-lines/${line.id}`, await as('jiangnan'));
            expect(Number(read.body.remaining)).to.be.lessThan(Number(read.body.limit));
        });

        it('grants, changes and revokes a line (financier)', async () => {
            const granted = await api('POST', '/credit-lines', { ...(await as('pudong')), body: { coreEnterpriseId: ids.huadong, currency: 'CNY', limit: '1000000', expiresAt: isoDate(200) } });
            expect(granted.status, granted.text).to.equal(201);
            const changed = await api('POST', `/credit-lines/${granted.body.id}/limit`, { ...(await as('pudong')), body: { limit: '2000000' } });
            expect(changed.status, changed.text).to.equal(200);
            expect(changed.body.limit).to.equal('2000000');
            // The limit already in force: 200 with the line as it is, nothing written (updatedAt unchanged).
            const again = await api('POST', `/credit-lines/${granted.body.id}/limit`, { ...(await as('pudong')), body: { limit: '2000000' } });
            expect(again.status, again.text).to.equal(200);
            expect(again.body).to.deep.equal(changed.body);
            expectProblem(await api('POST', `/credit-lines/${granted.body.id}/revoke`, { ...(await as('jiangnan')), body: { reason: 'not mine' } }), 403, 'FORBIDDEN');
            const revoked = await api('POST', `/credit-lines/${granted.body.id}/revoke`, { ...(await as('pudong')), body: { reason: 'conformance' } });
            expect(revoked.body.status).to.equal('REVOKED');
        });

        it('commits an idempotent grant once and replays its answer for a repeat with the same key', async () => {
            const request = { ...(await as('pudong')), body: { coreEnterpriseId: ids.huadong, currency: 'CNY', limit: '1300000', expiresAt: isoDate(210) }, headers: { 'Idempotency-Key': unique('grant') } };
            const first = await api('POST', '/credit-lines', request);
            expect(first.status, first.text).to.equal(201);
            expect(first.headers.get('idempotent-replayed')).to.equal('false');
            const repeat = await api('POST', '/credit-lines', request);
            expect([repeat.status, repeat.headers.get('idempotent-replayed')]).to.deep.equal([201, 'true']);
            expect(repeat.body).to.deep.equal(first.body);
            expect(repeat.headers.get('x-transaction-id')).to.equal(first.headers.get('x-transaction-id'));
            const lines = await api('GET', `/credit-lines?enterpriseId=${ids.pudong}&limit=500`, await as('pudong'));
            expect(lines.body.items.filter((l: any) => l.id === first.body.id)).to.have.length(1);
        });
    });

    describe('receivables', () => {
        it('registers, confirms and lists a receivable, and refuses the same invoice twice', async () => {
            const document = await api('POST', '/documents', { ...(await as('hangzhou')), raw: `invoice bytes ${unique('doc')}`, headers: { 'Content-Type': 'text/plain' } });
            const body = { buyerId: ids.huadong, invoiceNumber: unique('HFW'), amount: '450000', currency: 'CNY', issueDate: isoDate(-3), dueDate: isoDate(40), documentCid: document.body.cid };
            const created = await api('POST', '/receivables', { ...(await as('hangzhou')), body });
            expect(created.status, created.text).to.equal(201);
            expect(created.body).to.include({ status: 'REGISTERED', sellerId: ids.hangzhou, buyerId: ids.huadong });
            expectProblem(await api('POST', '/receivables', { ...(await as('hangzhou')), body }), 409, 'DOUBLE_FINANCING');
            expectProblem(await api('POST', `/receivables/${created.body.id}/confirm`, await as('suzhou')), 403, 'FORBIDDEN');
            const confirmed = await api('POST', `/receivables/${created.body.id}/confirm`, await as('huadong'));
            expect((await api('GET', `/receivables/${created.body.id}`, await as('hangzhou'))).body.status).to.equal('CONFIRMED');
            expect(confirmed.body.status).to.equal('CONFIRMED');
            const listed = await api('GET', `/receivables?enterpriseId=${ids.huadong}&role=buyer&limit=500`, await as('huadong'));
            expect(listed.body.items.map((r: any) => r.id)).to.include(created.body.id);
        });

        it('refuses the same invoice number written with any other separator the input allows', async () => {
            const document = await api('POST', '/documents', { ...(await as('hangzhou')), raw: `invoice ${unique('sep')}`, headers: { 'Content-Type': 'text/plain' } });
            const digits = String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0');
            const body = { buyerId: ids.huadong, invoiceNumber: `DF-${digits}`, amount: '70010', currency: 'CNY', issueDate: isoDate(-2), dueDate: isoDate(45), documentCid: document.body.cid };
            const created = await api('POST', '/receivables', { ...(await as('hangzhou')), body });
            expect(created.status, created.text).to.equal(201);
            for (const invoiceNumber of [`DF.${digits}`, `DF_${digits}`, `DF/${digits}`, `DF#${digits}`, `df ${digits}`, `DF${digits}`]) {
                expectProblem(await api('POST', '/receivables', { ...(await as('hangzhou')), body: { ...body, invoiceNumber } }), 409, 'DOUBLE_FINANCING');
            }
            // Digits count as written: a leading zero makes another number.
            const otherDocument = await api('POST', '/documents', { ...(await as('hangzhou')), raw: `invoice ${unique('sep')}`, headers: { 'Content-Type': 'text/plain' } });
            const other = await api('POST', '/receivables', { ...(await as('hangzhou')), body: { ...body, invoiceNumber: `DF-0${digits}`, documentCid: otherDocument.body.cid } });
            expect(other.status, other.text).to.equal(201);
        });

        it('refuses the same invoice number for the buyer with another amount or issue date, and a second receivable on the same document, saying which rule matched', async () => {
            const seller = await as('hangzhou');
            const upload = async (text: string) => (await api('POST', '/documents', { ...seller, raw: text, headers: { 'Content-Type': 'text/plain' } })).body.cid as string;
            const invoiceNumber = unique('SPC');
            const body = { buyerId: ids.huadong, invoiceNumber, amount: '18000000', currency: 'CNY', issueDate: isoDate(-3), dueDate: isoDate(60), documentCid: await upload(`invoice ${invoiceNumber}`) };
            const created = await api('POST', '/receivables', { ...seller, body });
            expect(created.status, created.text).to.equal(201);
            for (const change of [{ amount: '18000001' }, { issueDate: isoDate(-4) }, { amount: '18000001', documentCid: await upload(`copy of invoice ${invoiceNumber}`) }]) {
                const again = await api('POST', '/receivables', { ...seller, body: { ...body, ...change } });
                expectProblem(again, 409, 'DOUBLE_FINANCING');
                expect(again.body.detail).to.contain(`invoice number ${invoiceNumber} is already registered for buyer ${ids.huadong}`);
            }
            const sameDocument = await api('POST', '/receivables', { ...seller, body: { ...body, invoiceNumber: unique('SPC') } });
            expectProblem(sameDocument, 409, 'DOUBLE_FINANCING');
            expect(sameDocument.body.detail).to.contain(`already backs receivable ${created.body.id}`);
            // Cancelling does not free the number or the document (a corrected invoice gets a number of its own).
            expect((await api('POST', `/receivables/${created.body.id}/cancel`, { ...seller, body: { reason: 'amount mistyped' } })).body.status).to.equal('CANCELLED');
            expectProblem(await api('POST', '/receivables', { ...seller, body: { ...body, amount: '18000001' } }), 409, 'DOUBLE_FINANCING');
            expectProblem(await api('POST', '/receivables', { ...seller, body: { ...body, invoiceNumber: unique('SPC') } }), 409, 'DOUBLE_FINANCING');
            // The other seller's invoice is a document it uploaded itself (a document may be cited only by those who may read it).
            const otherSeller = await as('suzhou');
            const otherDocument = (await api('POST', '/documents', { ...otherSeller, raw: `invoice ${invoiceNumber} of another seller`, headers: { 'Content-Type': 'text/plain' } })).body.cid as string;
            const other = await api('POST', '/receivables', { ...otherSeller, body: { ...body, documentCid: otherDocument } });
            expect(other.status, `the same number from another seller is another invoice: ${other.text}`).to.equal(201);
        });

        it('refuses an issue date after the transaction date, before 2000-01-01, or on an impossible day', async () => {
            const document = await api('POST', '/documents', { ...(await as('hangzhou')), raw: `invoice ${unique('date')}`, headers: { 'Content-Type': 'text/plain' } });
            const body = { buyerId: ids.huadong, invoiceNumber: unique('DT'), amount: '1000', currency: 'CNY', issueDate: isoDate(-1), dueDate: isoDate(60), documentCid: document.body.cid };
            for (const issueDate of [isoDate(2), '0000-01-01', '1999-12-31', '2025-02-30']) {
                expectProblem(await api('POST', '/receivables', { ...(await as('hangzhou')), body: { ...body, issueDate } }), 400, 'INVALID_ARGUMENT');
            }
        });

        it("shows a receivable to its seller, its buyer, the regulator and the platform admin, and refuses everyone else", async () => {
            const receivable = await confirmedReceivable('hangzhou', '31000');
            for (const user of ['hangzhou', 'huadong', 'regulator', 'admin']) {
                const read = await api('GET', `/receivables/${receivable.id}`, await as(user));
                expect(read.status, `${user}: ${read.text}`).to.equal(200);
                expect(read.body).to.include({ id: receivable.id, invoiceNumber: receivable.invoiceNumber, amount: '31000' });
            }
            for (const user of ['suzhou', 'jiangnan', 'pudong', 'appraiser', 'bureau', 'singapore']) {
                expectProblem(await api('GET', `/receivables/${receivable.id}`, await as(user)), 403, 'FORBIDDEN');
                expectProblem(await api('GET', `/receivables?enterpriseId=${ids.hangzhou}`, await as(user)), 403, 'FORBIDDEN');
                expectProblem(await api('GET', `/receivables?enterpriseId=${ids.huadong}&role=buyer`, await as(user)), 403, 'FORBIDDEN');
            }
            for (const user of ['regulator', 'admin']) {
                const listed = await api('GET', `/receivables?enterpriseId=${ids.hangzhou}&limit=500`, await as(user));
                expect(listed.status, `${user}: ${listed.text}`).to.equal(200);
                expect(listed.body.items.map((r: any) => r.id)).to.include(receivable.id);
            }
        });

        it('disputes and cancels a receivable', async () => {
            const document = await api('POST', '/documents', { ...(await as('suzhou')), raw: `dispute ${unique('x')}` });
            const created = await api('POST', '/receivables', {
                ...(await as('suzhou')),
                body: { buyerId: ids.huadong, invoiceNumber: unique('SPC'), amount: '99000', currency: 'CNY', issueDate: isoDate(-1), dueDate: isoDate(30), documentCid: document.body.cid },
            });
            const disputed = await api('POST', `/receivables/${created.body.id}/dispute`, { ...(await as('huadong')), body: { reason: 'quantity short' } });
            expect(disputed.body.status).to.equal('DISPUTED');
            const cancelled = await api('POST', `/receivables/${created.body.id}/cancel`, { ...(await as('suzhou')), body: { reason: 'reissued' } });
            expect(cancelled.body.status).to.equal('CANCELLED');
            expectProblem(await api('POST', `/receivables/${created.body.id}/settle`, await as('suzhou')), 409, 'INVALID_STATE');
        });

        it('records the seller acknowledging payment of a confirmed receivable outside a note, once, and refuses the buyer', async () => {
            const receivable = await confirmedReceivable('hangzhou', '45000');
            expectProblem(await api('POST', `/receivables/${receivable.id}/settle`, await as('huadong')), 403, 'FORBIDDEN');
            expectProblem(await api('POST', `/receivables/${receivable.id}/settle`, await as('suzhou')), 403, 'FORBIDDEN');
            const settled = await api('POST', `/receivables/${receivable.id}/settle`, await as('hangzhou'));
            expect(settled.status, settled.text).to.equal(200);
            expect(settled.body).to.include({ id: receivable.id, status: 'SETTLED', acknowledgedAmount: '45000', settledAmount: '45000', availableAmount: '0' });
            expect(settled.body.settledAt).to.be.a('string');
            expect((await api('GET', `/receivables/${receivable.id}`, await as('huadong'))).body.status).to.equal('SETTLED');
            expectProblem(await api('POST', `/receivables/${receivable.id}/settle`, await as('hangzhou')), 409, 'INVALID_STATE');
        });
    });

    describe('credit notes and transfers', () => {
        it("lists Suzhou's demo note and reads it", async () => {
            const notes = await api('GET', `/notes?holderId=${ids.suzhou}`, await as('suzhou'));
            expect(notes.body.items.length).to.be.greaterThan(0);
            const note = notes.body.items[0];
            const read = await api('GET', `/notes/${note.id}`, await as('suzhou'));
            expect(read.body).to.include({ id: note.id, holderId: ids.suzhou, issuerId: ids.huadong });
            expectProblem(await api('GET', `/notes?holderId=${ids.suzhou}`, await as('hangzhou')), 403, 'FORBIDDEN');
        });

        it('issues, splits, offers and transfers a note, with provenance back to the root and the exposure map', async () => {
            const note = await issuedNote('300000');
            const split = await api('POST', `/notes/${note.id}/split`, { ...(await as('suzhou')), body: { amounts: ['100000', '200000'] } });
            expect(split.status, split.text).to.equal(200);
            const children = split.body.children;
            expect(children.map((c: any) => c.amount)).to.deep.equal(['100000', '200000']);
            const offer = await api('POST', '/offers', { ...(await as('suzhou')), body: { noteId: children[0].id, toId: ids.hangzhou, amount: '60000', expiresAt: isoDate(7) } });
            expect(offer.status, offer.text).to.equal(201);
            const incoming = await api('GET', `/offers?enterpriseId=${ids.hangzhou}&direction=incoming&limit=500`, await as('hangzhou'));
            expect(incoming.body.items.map((o: any) => o.id)).to.include(offer.body.id);
            const accepted = await api('POST', `/offers/${offer.body.id}/accept`, await as('hangzhou'));
            expect(accepted.status, accepted.text).to.equal(200);
            const received = accepted.body.offer.receivedNoteId;
            const provenance = await api('GET', `/notes/${received}/provenance`, await as('hangzhou'));
            expect(provenance.status, provenance.text).to.equal(200);
            expect(JSON.stringify(provenance.body)).to.include(note.id);
            const exposure = await api('GET', `/exposure/${ids.huadong}`, await as('huadong'));
            expect(JSON.stringify(exposure.body)).to.include(ids.hangzhou);
            expectProblem(await api('POST', `/notes/${note.id}/split`, { ...(await as('suzhou')), body: { amounts: ['1', '299999'] } }), 409, 'INVALID_STATE');
        });

        it('declines and cancels offers', async () => {
            const note = await issuedNote('50000');
            const first = await api('POST', '/offers', { ...(await as('suzhou')), body: { noteId: note.id, toId: ids.hangzhou, amount: '50000', expiresAt: isoDate(3) } });
            const declined = await api('POST', `/offers/${first.body.id}/decline`, await as('hangzhou'));
            expect(declined.body.status).to.equal('DECLINED');
            const second = await api('POST', '/offers', { ...(await as('suzhou')), body: { noteId: note.id, toId: ids.hangzhou, amount: '10000', expiresAt: isoDate(3) } });
            const cancelled = await api('POST', `/offers/${second.body.id}/cancel`, await as('suzhou'));
            expect(cancelled.body.status).to.equal('CANCELLED');
            const read = await api('GET', `/offers/${second.body.id}`, await as('suzhou'));
            expect(read.body.status).to.equal('CANCELLED');
        });

        it('lets an offer lapse: expiring it early and accepting it late are refused, then its recipient expires it and the note is free again', async function () {
            this.timeout(60_000);
            const note = await issuedNote('40000');
            // Seconds, not days: the ledger's clock is the transaction time, on both backends.
            const expiresAt = new Date(Date.now() + OFFER_LIFETIME_MS);
            const offer = await api('POST', '/offers', { ...(await as('suzhou')), body: { noteId: note.id, toId: ids.hangzhou, amount: '40000', expiresAt: expiresAt.toISOString() } });
            expect(offer.status, offer.text).to.equal(201);
            expectProblem(await api('POST', `/offers/${offer.body.id}/expire`, await as('hangzhou')), 409, 'INVALID_STATE');
            await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt.getTime() + 1_000 - Date.now())));
            expectProblem(await api('POST', `/offers/${offer.body.id}/accept`, await as('hangzhou')), 409, 'EXPIRED');
            const expired = await api('POST', `/offers/${offer.body.id}/expire`, await as('hangzhou'));
            expect(expired.status, expired.text).to.equal(200);
            expect(expired.body).to.include({ id: offer.body.id, status: 'EXPIRED' });
            expectProblem(await api('POST', `/offers/${offer.body.id}/expire`, await as('hangzhou')), 409, 'INVALID_STATE');
            const again = await api('POST', '/offers', { ...(await as('suzhou')), body: { noteId: note.id, toId: ids.hangzhou, amount: '40000', expiresAt: `${isoDate(3)}T00:00:00Z` } });
            expect(again.status, again.text).to.equal(201);
        });

        it('reads note parameters and answers unchanged ones with those in force, as they were', async () => {
            const parameters = await api('GET', '/parameters/notes', await as('suzhou'));
            expect(parameters.body.maxTenorMonths).to.be.a('number').within(1, 12);
            expect(parameters.body).to.not.have.property('maxTenorDays');
            const unchanged = { maxTenorMonths: parameters.body.maxTenorMonths, graceDays: parameters.body.graceDays };
            // An idempotent PUT: 200 with the parameters in force, no new version (who set them and when stay).
            const same = await api('PUT', '/parameters/notes', { ...(await as('admin')), body: unchanged });
            expect(same.status, same.text).to.equal(200);
            expect(same.body).to.deep.equal(parameters.body);
            expect((await api('GET', '/parameters/notes', await as('suzhou'))).body).to.deep.equal(parameters.body);
            expectProblem(await api('PUT', '/parameters/notes', { ...(await as('suzhou')), body: unchanged }), 403, 'FORBIDDEN');
            const longerGrace = await api('PUT', '/parameters/notes', { ...(await as('admin')), body: { ...unchanged, graceDays: unchanged.graceDays + 1 } });
            expect(longerGrace.body).to.include({ maxTenorMonths: unchanged.maxTenorMonths, graceDays: unchanged.graceDays + 1 });
            expect((await api('PUT', '/parameters/notes', { ...(await as('admin')), body: unchanged })).body.graceDays).to.equal(unchanged.graceDays);
            const inDays = await api('PUT', '/parameters/notes', { ...(await as('admin')), body: { maxTenorDays: 183, graceDays: unchanged.graceDays } });
            expectProblem(inDays, 400, 'INVALID_ARGUMENT');
            expect(inDays.body.detail).to.contain('maxTenorDays is no longer accepted').and.to.contain('maxTenorMonths');
        });

        it('refuses a maturity beyond the tenor cap, naming the cap in months and the latest maturity', async () => {
            const months = (await api('GET', '/parameters/notes', await as('huadong'))).body.maxTenorMonths;
            const receivable = await confirmedReceivable('suzhou', '30000');
            const lines = await api('GET', `/credit-lines?enterpriseId=${ids.huadong}`, await as('huadong'));
            const line = lines.body.items.find((l: any) => l.financierId === ids.jiangnan && l.status === 'ACTIVE');
            // 400 days is beyond any cap the platform may set (at most 12 calendar months).
            const refused = await api('POST', '/notes', {
                ...(await as('huadong')),
                body: { holderId: ids.suzhou, amount: '30000', currency: 'CNY', maturityDate: isoDate(400), creditLineId: line.id, receivableIds: [receivable.id] },
            });
            expectProblem(refused, 409, 'TENOR_EXCEEDED');
            expect(refused.body.detail).to.contain(`the tenor cap of ${months} month`).and.to.match(/may mature on \d{4}-\d{2}-\d{2} at the latest/);
        });
    });

    describe('discounting', () => {
        it('requests a discount, quotes with private terms, and accepts the quote', async () => {
            const note = await issuedNote('800000');
            const request = await api('POST', '/discount-requests', { ...(await as('suzhou')), body: { noteId: note.id, financierIds: [ids.jiangnan, ids.pudong] } });
            expect(request.status, request.text).to.equal(201);
            expect((await api('GET', `/discount-requests/${request.body.id}`, await as('suzhou'))).body.status).to.equal('OPEN');
            const invited = await api('GET', `/discount-requests?enterpriseId=${ids.pudong}&limit=500`, await as('pudong'));
            expect(invited.body.items.map((r: any) => r.id)).to.include(request.body.id);
            const quote = await api('POST', `/discount-requests/${request.body.id}/quotes`, { ...(await as('jiangnan')), body: { rateBps: 450, feeAmount: '100' } });
            expect(quote.status, quote.text).to.equal(201);
            expect(JSON.stringify(quote.body)).to.not.include('"rateBps"');
            const other = await api('POST', `/discount-requests/${request.body.id}/quotes`, { ...(await as('pudong')), body: { rateBps: 520 } });
            expect(other.status, other.text).to.equal(201);
            const terms = await api('GET', `/quotes/${quote.body.id}/terms`, await as('jiangnan'));
            expect(terms.body.rateBps).to.equal(450);
            expectProblem(await api('GET', `/quotes/${quote.body.id}/terms`, await as('pudong')), 403, 'FORBIDDEN');
            const quotes = await api('GET', `/discount-requests/${request.body.id}/quotes`, await as('suzhou'));
            expect(quotes.body.items).to.have.length(2);
            const accepted = await api('POST', `/quotes/${quote.body.id}/accept`, await as('suzhou'));
            expect(accepted.status, accepted.text).to.equal(200);
            expect(accepted.body.funded.holderId).to.equal(ids.jiangnan);
            expect(accepted.body.withdrawnQuoteIds).to.deep.equal([other.body.id]);
        });

        it('withdraws a discount request', async () => {
            const note = await issuedNote('20000');
            const request = await api('POST', '/discount-requests', { ...(await as('suzhou')), body: { noteId: note.id, financierIds: [ids.pudong] } });
            const quote = await api('POST', `/discount-requests/${request.body.id}/quotes`, { ...(await as('pudong')), body: { rateBps: 300 } });
            const withdrawnQuote = await api('POST', `/quotes/${quote.body.id}/withdraw`, await as('pudong'));
            expect(withdrawnQuote.body.status).to.equal('WITHDRAWN');
            const withdrawn = await api('POST', `/discount-requests/${request.body.id}/withdraw`, await as('suzhou'));
            expect(withdrawn.body.status).to.equal('WITHDRAWN');
        });
    });

    describe('IP assets and pledges', () => {
        it('registers a patent, has the appraiser value it, pledges it to a bank, and shows the public notice', async () => {
            const report = await api('POST', '/documents', { ...(await as('appraiser')), raw: `valuation ${unique('r')}` });
            const registryNumber = validPatentNumber('20231');
            const patent = { kind: 'PATENT', registryNumber, title: 'Self-locking fastener with vibration damping', ownerIds: [ids.hangzhou], expiryDate: isoDate(3650) };
            // The owner cannot bring its own figure, whichever appraiser it names.
            const forged = { amount: '1000000000000000000', currency: 'CNY', valuationDate: isoDate(-1), reportCid: report.body.cid, appraiserId: ids.appraiser };
            expectProblem(await api('POST', '/ip-assets', { ...(await as('hangzhou')), body: { ...patent, valuation: forged } }), 400, 'INVALID_ARGUMENT');
            const asset = await api('POST', '/ip-assets', { ...(await as('hangzhou')), body: patent });
            expect(asset.status, asset.text).to.equal(201);
            expect(asset.body.valuationHistory).to.deep.equal([]);
            const owned = await api('GET', `/ip-assets?ownerId=${ids.hangzhou}&limit=500`, await as('hangzhou'));
            expect(owned.body.items.map((a: any) => a.id)).to.include(asset.body.id);
            const pledgeRequest = { assetId: asset.body.id, pledgeeId: ids.jiangnan, securedAmount: '2000000', currency: 'CNY', termStart: isoDate(0), termEnd: isoDate(365) };
            expectProblem(await api('POST', '/pledges', { ...(await as('hangzhou')), body: pledgeRequest }), 409, 'INVALID_STATE');
            // Nor with a report of its own: an owner may not value its asset at all.
            const ownReport = await api('POST', '/documents', { ...(await as('hangzhou')), raw: `valuation ${unique('own')}` });
            expectProblem(
                await api('POST', `/ip-assets/${asset.body.id}/valuations`, { ...(await as('hangzhou')), body: { amount: '5000000', currency: 'CNY', valuationDate: isoDate(-1), reportCid: ownReport.body.cid } }),
                403,
                'FORBIDDEN',
            );
            // Citing the appraiser's report changes nothing: the role is refused first, the same 403 as with
            // a report of its own, which says nothing of whether the appraiser's report exists.
            expectProblem(
                await api('POST', `/ip-assets/${asset.body.id}/valuations`, { ...(await as('hangzhou')), body: { amount: '5000000', currency: 'CNY', valuationDate: isoDate(-1), reportCid: report.body.cid } }),
                403,
                'FORBIDDEN',
            );
            // A valuation dated before 2000 (a typo) or after the ledger's date is refused, and the asset stays unvalued.
            for (const valuationDate of ['0000-01-01', '1999-12-31', isoDate(2)]) {
                expectProblem(
                    await api('POST', `/ip-assets/${asset.body.id}/valuations`, { ...(await as('appraiser')), body: { amount: '5000000', currency: 'CNY', valuationDate, reportCid: report.body.cid } }),
                    400,
                    'INVALID_ARGUMENT',
                );
            }
            expect((await api('GET', `/ip-assets/${asset.body.id}`, await as('hangzhou'))).body.valuationHistory).to.deep.equal([]);
            const valued = await api('POST', `/ip-assets/${asset.body.id}/valuations`, {
                ...(await as('appraiser')),
                body: { amount: '5000000', currency: 'CNY', valuationDate: isoDate(-1), reportCid: report.body.cid },
            });
            expect(valued.status, valued.text).to.equal(201);
            expect(valued.body.valuation).to.include({ amount: '5000000', appraiserId: ids.appraiser, recordedBy: ids.appraiser });
            const revalued = await api('POST', `/ip-assets/${asset.body.id}/valuations`, {
                ...(await as('appraiser')),
                body: { amount: '5200000', currency: 'CNY', valuationDate: isoDate(0), reportCid: report.body.cid },
            });
            expect(revalued.status, revalued.text).to.equal(201);
            // A back-dated term would go onto the public notice: refused.
            for (const termStart of ['0000-01-01', isoDate(-3)]) {
                expectProblem(await api('POST', '/pledges', { ...(await as('hangzhou')), body: { ...pledgeRequest, termStart } }), 400, 'INVALID_ARGUMENT');
            }
            const pledge = await api('POST', '/pledges', { ...(await as('hangzhou')), body: pledgeRequest });
            expect(pledge.status, pledge.text).to.equal(201);
            const accepted = await api('POST', `/pledges/${pledge.body.id}/accept`, await as('jiangnan'));
            expect(accepted.body.status).to.equal('ACTIVE');
            const notice = await api('GET', `/ip-assets/${asset.body.id}/pledge-notice`, await as('pudong'));
            expect(JSON.stringify(notice.body)).to.include(pledge.body.id);
            const released = await api('POST', `/pledges/${pledge.body.id}/release`, await as('jiangnan'));
            expect(released.body.status).to.equal('RELEASED');
            const ipParameters = await api('GET', '/parameters/ip', await as('jiangnan'));
            expect(ipParameters.body.maxLtvBps).to.be.a('number');
        });

        it('lets a named co-owner decline a registration and the regulator void a contested one, freeing the right', async () => {
            const registryNumber = validPatentNumber('20221');
            const patent = { kind: 'PATENT', registryNumber, title: 'Fastener coating line', expiryDate: isoDate(3650) };
            const squatted = await api('POST', '/ip-assets', { ...(await as('suzhou')), body: { ...patent, ownerIds: [ids.suzhou, ids.hangzhou] } });
            expect(squatted.status, squatted.text).to.equal(201);
            const declined = await api('POST', `/ip-assets/${squatted.body.id}/decline`, { ...(await as('hangzhou')), body: { reason: 'conformance: sole patentee is Hangzhou' } });
            expect(declined.status, declined.text).to.equal(200);
            expect(declined.body).to.include({ voidKind: 'DECLINED', voidedBy: ids.hangzhou });
            const again = await api('POST', '/ip-assets', { ...(await as('suzhou')), body: { ...patent, ownerIds: [ids.suzhou] } });
            expect(again.status, again.text).to.equal(201);
            expect(again.body.previousAssetId).to.equal(squatted.body.id);
            expectProblem(await api('POST', `/ip-assets/${again.body.id}/void`, { ...(await as('hangzhou')), body: { reason: 'conformance: ours' } }), 403, 'FORBIDDEN');
            const voided = await api('POST', `/ip-assets/${again.body.id}/void`, { ...(await as('regulator')), body: { reason: 'conformance: contested by Hangzhou' } });
            expect(voided.status, voided.text).to.equal(200);
            expect(voided.body).to.include({ voidKind: 'VOIDED', voidedBy: ids.regulator, voidReason: 'conformance: contested by Hangzhou' });
            const own = await api('POST', '/ip-assets', { ...(await as('hangzhou')), body: { ...patent, ownerIds: [ids.hangzhou] } });
            expect(own.status, own.text).to.equal(201);
            expect(own.body.previousAssetId).to.equal(again.body.id);
        });

        it('sets the loan-to-value cap (platform admin only) and puts it back', async () => {
            const { maxLtvBps } = (await api('GET', '/parameters/ip', await as('pudong'))).body;
            const changed = maxLtvBps < 9000 ? maxLtvBps + 1 : maxLtvBps - 1;
            expectProblem(await api('PUT', '/parameters/ip', { ...(await as('jiangnan')), body: { maxLtvBps: changed } }), 403, 'FORBIDDEN');
            const set = await api('PUT', '/parameters/ip', { ...(await as('admin')), body: { maxLtvBps: changed } });
            expect(set.status, set.text).to.equal(200);
            expect(set.body.maxLtvBps).to.equal(changed);
            expect((await api('GET', '/parameters/ip', await as('pudong'))).body.maxLtvBps).to.equal(changed);
            // The same cap again: 200 with the parameters in force, no new version.
            const same = await api('PUT', '/parameters/ip', { ...(await as('admin')), body: { maxLtvBps: changed } });
            expect(same.status, same.text).to.equal(200);
            expect(same.body).to.deep.equal(set.body);
            expect((await api('PUT', '/parameters/ip', { ...(await as('admin')), body: { maxLtvBps } })).body.maxLtvBps).to.equal(maxLtvBps);
        });

        it('takes pledges through rejection, cancellation, co-owner consent and enforcement', async () => {
            const report = await api('POST', '/documents', { ...(await as('appraiser')), raw: `valuation ${unique('r')}` });
            const asset = await api('POST', '/ip-assets', {
                ...(await as('hangzhou')),
                body: {
                    kind: 'PATENT',
                    registryNumber: validPatentNumber('20241'),
                    title: 'Thread-rolling die with wear sensing',
                    ownerIds: [ids.hangzhou, ids.suzhou],
                    expiryDate: isoDate(3650),
                },
            });
            expect(asset.status, asset.text).to.equal(201);
            // Suzhou, named as co-owner by the registrant, must confirm before the asset can be valued or pledged.
            expect(asset.body.pendingOwnerIds).to.deep.equal([ids.suzhou]);
            expectProblem(
                await api('POST', `/ip-assets/${asset.body.id}/valuations`, { ...(await as('appraiser')), body: { amount: '8000000', currency: 'CNY', valuationDate: isoDate(-1), reportCid: report.body.cid } }),
                409,
                'INVALID_STATE',
            );
            const confirmed = await api('POST', `/ip-assets/${asset.body.id}/confirm`, await as('suzhou'));
            expect(confirmed.status, confirmed.text).to.equal(200);
            expect(confirmed.body.pendingOwnerIds).to.deep.equal([]);
            const valued = await api('POST', `/ip-assets/${asset.body.id}/valuations`, {
                ...(await as('appraiser')),
                body: { amount: '8000000', currency: 'CNY', valuationDate: isoDate(-1), reportCid: report.body.cid },
            });
            expect(valued.status, valued.text).to.equal(201);
            expect((await api('GET', `/ip-assets/${asset.body.id}`, await as('suzhou'))).body.ownerIds).to.have.members([ids.hangzhou, ids.suzhou]);
            const request = async (securedAmount: string): Promise<any> => {
                const pledge = await api('POST', '/pledges', {
                    ...(await as('hangzhou')),
                    body: { assetId: asset.body.id, pledgeeId: ids.jiangnan, securedAmount, currency: 'CNY', termStart: isoDate(0), termEnd: isoDate(300) },
                });
                expect(pledge.status, pledge.text).to.equal(201);
                return pledge.body;
            };

            const rejected = await api('POST', `/pledges/${(await request('1000000')).id}/reject`, { ...(await as('jiangnan')), body: { reason: 'conformance: collateral policy' } });
            expect(rejected.body.status).to.equal('REJECTED');
            const cancelled = await api('POST', `/pledges/${(await request('1100000')).id}/cancel`, await as('hangzhou'));
            expect(cancelled.body.status).to.equal('CANCELLED');

            const pledge = await request('1200000');
            expectProblem(await api('POST', `/pledges/${pledge.id}/accept`, await as('jiangnan')), 409, 'CONSENT_MISSING');
            const consented = await api('POST', `/pledges/${pledge.id}/consent`, await as('suzhou'));
            expect(consented.status, consented.text).to.equal(200);
            expect((await api('POST', `/pledges/${pledge.id}/accept`, await as('jiangnan'))).body.status).to.equal('ACTIVE');
            const enforced = await api('POST', `/pledges/${pledge.id}/enforce`, { ...(await as('jiangnan')), body: { reason: 'conformance: default on the secured loan' } });
            expect(enforced.body.status).to.equal('ENFORCED');
            expect((await api('GET', `/pledges/${pledge.id}`, await as('hangzhou'))).body.status).to.equal('ENFORCED');
            const ofBank = await api('GET', `/pledges?enterpriseId=${ids.jiangnan}&limit=500`, await as('jiangnan'));
            expect(ofBank.body.items.map((p: any) => p.id)).to.include.members([rejected.body.id, pledge.id]);
        });
    });

    describe('bureau keys, agreements, passports and recognitions', () => {
        it('publishes the bureau keys and the demo agreement', async () => {
            const issuers = await api('GET', '/passports/issuers');
            expect(issuers.status).to.equal(200);
            expect(issuers.body.items.some((k: any) => k.bureauId === ids.bureau && k.status === 'ACTIVE')).to.equal(true);
            const agreements = await api('GET', `/agreements?partnerId=${ids.singapore}`, await as('singapore'));
            expect(agreements.body.items.some((a: any) => a.status === 'ACTIVE')).to.equal(true);
        });

        it('issues a passport that verifies publicly, is recognised by the partner and fails verification once revoked', async () => {
            const issued = await api('POST', '/attestations', { ...(await as('bureau')), body: { subjectId: ids.hangzhou, validDays: 90 } });
            expect(issued.status, issued.text).to.equal(201);
            const { passport, attestation } = issued.body;
            const anchored = await api('GET', `/attestations/${attestation.id}`, await as('singapore'));
            expect(anchored.body.status).to.equal('VALID');
            // A response lost in a crash is rebuilt from the anchored record alone, exactly as first sent.
            expect(rebuiltBody('post', '/attestations', anchored.body)).to.deep.equal(issued.body);
            const verdict = await api('POST', '/passports/verify', { body: passport });
            expect(verdict.status).to.equal(200);
            expect(verdict.body).to.include({ valid: true, status: 'VALID', subject: ids.hangzhou, attestationId: attestation.id });
            expect(verdict.body.issuer.bureauId).to.equal(ids.bureau);
            const agreements = await api('GET', `/agreements?partnerId=${ids.singapore}`, await as('singapore'));
            const agreement = agreements.body.items.find((a: any) => a.status === 'ACTIVE');
            const latest = await api('GET', `/attestations/latest?subjectId=${ids.hangzhou}`, await as('singapore'));
            expect(latest.status, latest.text).to.equal(200);
            expect(latest.body).to.include({ subject: ids.hangzhou, status: 'VALID' });
            const anchorBefore = await api('GET', `/agreements/${agreement.id}/anchor`, await as('singapore'));
            expect(anchorBefore.status, anchorBefore.text).to.equal(200);
            expect(anchorBefore.body).to.include({ agreementId: agreement.id, partnerMspId: 'PartnerMSP' });
            const recognised = await api('POST', '/recognitions', { ...(await as('singapore')), body: { agreementId: agreement.id, attestationId: attestation.id } });
            expect(recognised.status, recognised.text).to.equal(201);
            // Every recognition moves the agreement's anchor, which the partner's peer must endorse.
            const anchorAfter = await api('GET', `/agreements/${agreement.id}/anchor`, await as('regulator'));
            expect(anchorAfter.body).to.include({ recognitions: anchorBefore.body.recognitions + 1, lastRecognitionId: recognised.body.id });
            const recognitions = await api('GET', `/recognitions?subjectId=${ids.hangzhou}&limit=500`, await as('regulator'));
            expect(recognitions.body.items.length).to.be.greaterThan(0);
            const ledgerVerdict = await api('GET', `/attestations/${attestation.id}/verify`, await as('singapore'));
            expect(ledgerVerdict.body.valid).to.equal(true);
            const revoked = await api('POST', `/attestations/${attestation.id}/revoke`, { ...(await as('regulator')), body: { reason: 'conformance' } });
            expect(revoked.body.status).to.equal('REVOKED');
            const after = await api('POST', '/passports/verify', { body: passport });
            expect(after.body).to.include({ valid: false, status: 'REVOKED' });
            expect(after.body.reasons).to.include('REVOKED');
        });

        it('reports a tampered, an unknown-signer and a malformed passport as invalid with reasons', async () => {
            const list = await api('GET', `/attestations?subjectId=${ids.suzhou}`, await as('bureau'));
            const anchored = list.body.items[0];
            const passport = {
                attestation: {
                    subject: anchored.subject, score: anchored.score, grade: anchored.grade, reasonCodes: anchored.reasonCodes,
                    evidenceHash: anchored.evidenceHash, issuedAt: anchored.issuedAt, expiresAt: anchored.expiresAt, nonce: anchored.nonce,
                },
                signature: anchored.signature,
            };
            const good = await api('POST', '/passports/verify', { body: passport });
            expect(good.body.valid, JSON.stringify(good.body)).to.equal(true);
            const tampered = await api('POST', '/passports/verify', { body: { ...passport, attestation: { ...passport.attestation, score: passport.attestation.score + 1 } } });
            expect(tampered.body.valid).to.equal(false);
            expect(tampered.body.reasons).to.include.members(['SIGNER_NOT_REGISTERED', 'NOT_ANCHORED']);
            const stranger = Wallet.createRandom();
            const typed = passportTypedData({ ...passport.attestation, nonce: `0x${createHash('sha256').update('x').digest('hex')}` });
            const foreign = await api('POST', '/passports/verify', { body: { attestation: typed.message, signature: await stranger.signTypedData(typed.domain, typed.types, typed.message) } });
            expect(foreign.body.reasons).to.include('SIGNER_NOT_REGISTERED');
            const malformed = await api('POST', '/passports/verify', { body: { attestation: { subject: 'nobody' }, signature: '0x00' } });
            expect(malformed.body).to.include({ valid: false });
            expect(malformed.body.reasons).to.deep.equal(['MALFORMED']);
        });

        it('anchors a passport the bureau signed outside the gateway with its published key', async () => {
            const signer = Wallet.createRandom();
            const published = await api('POST', '/bureau-keys', { ...(await as('admin')), body: { bureauId: ids.bureau, address: signer.address, label: 'offline signer' } });
            expect(published.status, published.text).to.equal(201);
            const issuedAt = Math.floor(new Date().getTime() / 1000) - 60;
            const typed = passportTypedData({
                subject: ids.hangzhou,
                score: 712,
                grade: 'A',
                reasonCodes: ['ON_TIME_REDEMPTIONS'],
                evidenceHash: `0x${createHash('sha256').update(unique('evidence')).digest('hex')}`,
                issuedAt,
                expiresAt: issuedAt + 30 * 86_400,
                nonce: `0x${randomBytes(32).toString('hex')}`,
            });
            const passport = { attestation: typed.message, signature: await signer.signTypedData(typed.domain, typed.types, typed.message) };
            expectProblem(await api('POST', '/attestations/anchor', { ...(await as('suzhou')), body: passport }), 403, 'FORBIDDEN');
            const anchored = await api('POST', '/attestations/anchor', { ...(await as('bureau')), body: passport });
            expect(anchored.status, anchored.text).to.equal(201);
            expect(anchored.body).to.include({ subject: ids.hangzhou, score: 712, status: 'VALID' });
            const verdict = await api('POST', '/passports/verify', { body: passport });
            expect(verdict.body).to.include({ valid: true, attestationId: anchored.body.id });
            expectProblem(await api('POST', '/attestations/anchor', { ...(await as('bureau')), body: passport }), 409, 'ALREADY_EXISTS');
        });

        it('creates a gateway-held signing key for a new bureau, publishes it, and rotates it only once it is revoked', async () => {
            const bureauId = freshUscc('91310000MA');
            const registered = await api('POST', '/enterprises', { ...(await as('admin')), body: { id: bureauId, name: `Conformance Bureau ${bureauId.slice(-5)}`, kind: 'CREDIT_BUREAU', country: 'CN' } });
            expect(registered.status, registered.text).to.equal(201);
            expectProblem(await api('POST', '/bureau-keys/generate', { ...(await as('bureau')), body: { bureauId } }), 403, 'FORBIDDEN');
            const generated = await api('POST', '/bureau-keys/generate', { ...(await as('admin')), body: { bureauId, label: 'held by the gateway' } });
            expect(generated.status, generated.text).to.equal(201);
            expect(generated.body).to.include({ bureauId, status: 'ACTIVE', label: 'held by the gateway' });
            expect(generated.body.address).to.match(/^0x[0-9a-fA-F]{40}$/);
            const keys = await api('GET', `/bureau-keys?bureauId=${bureauId}`, await as('singapore'));
            expect(keys.body.items.map((k: any) => k.address)).to.deep.equal([generated.body.address]);
            expect(rebuiltBody('post', '/bureau-keys/generate', keys.body.items[0]), 'the response rebuilt after a crash').to.deep.equal(generated.body);
            // While the bureau's gateway-held key is active, generating again is refused: rotation starts with its revocation.
            expectProblem(await api('POST', '/bureau-keys/generate', { ...(await as('admin')), body: { bureauId } }), 409, 'ALREADY_EXISTS');
            const revoked = await api('POST', `/bureau-keys/${generated.body.address}/revoke`, { ...(await as('admin')), body: { reason: 'rotation' } });
            expect(revoked.status, revoked.text).to.equal(200);
            const rotated = await api('POST', '/bureau-keys/generate', { ...(await as('admin')), body: { bureauId, label: 'key 2' } });
            expect(rotated.status, rotated.text).to.equal(201);
            expect(rotated.body).to.include({ bureauId, status: 'ACTIVE', label: 'key 2' });
            expect(rotated.body.address).to.not.equal(generated.body.address);
            const both = await api('GET', `/bureau-keys?bureauId=${bureauId}`, await as('singapore'));
            expect(Object.fromEntries(both.body.items.map((k: any) => [k.address, k.status]))).to.deep.equal({ [generated.body.address]: 'REVOKED', [rotated.body.address]: 'ACTIVE' });
            expectProblem(await api('POST', '/bureau-keys/generate', { ...(await as('admin')), body: { bureauId } }), 409, 'ALREADY_EXISTS');
        });

        it('publishes and revokes a bureau key, and takes agreements through withdrawal, acceptance and termination', async () => {
            const address = Wallet.createRandom().address;
            const published = await api('POST', '/bureau-keys', { ...(await as('admin')), body: { bureauId: ids.bureau, address, label: 'conformance key' } });
            expect(published.status, published.text).to.equal(201);
            const keys = await api('GET', `/bureau-keys?bureauId=${ids.bureau}&limit=500`, await as('singapore'));
            expect(keys.body.items.some((k: any) => k.address === published.body.address && k.status === 'ACTIVE')).to.equal(true);
            const revokedKey = await api('POST', `/bureau-keys/${published.body.address}/revoke`, { ...(await as('admin')), body: { reason: 'conformance' } });
            expect(revokedKey.body.status).to.equal('REVOKED');

            const propose = async (): Promise<any> => {
                const proposed = await api('POST', '/agreements', {
                    ...(await as('admin')),
                    body: { partnerId: ids.singapore, partnerMspId: 'PartnerMSP', gradeScale: [{ minScore: 0, grade: 'C' }, { minScore: 600, grade: 'B' }, { minScore: 800, grade: 'A' }], validFrom: isoDate(0), validUntil: isoDate(30) },
                });
                expect(proposed.status, proposed.text).to.equal(201);
                expect(proposed.body.status).to.equal('PROPOSED');
                return proposed.body;
            };
            const withdrawn = await api('POST', `/agreements/${(await propose()).id}/withdraw`, { ...(await as('admin')), body: { reason: 'conformance' } });
            expect(withdrawn.body.status).to.equal('WITHDRAWN');
            const agreement = await propose();
            const read = await api('GET', `/agreements/${agreement.id}`, await as('singapore'));
            expect(read.status, read.text).to.equal(200);
            expect(read.body.gradeScale).to.have.length(3);
            expect((await api('POST', `/agreements/${agreement.id}/accept`, await as('singapore'))).body.status).to.equal('ACTIVE');
            const terminated = await api('POST', `/agreements/${agreement.id}/terminate`, { ...(await as('singapore')), body: { reason: 'conformance' } });
            expect(terminated.body.status).to.equal('TERMINATED');
        });

        it('lets only the credit bureau issue passports', async () => {
            expectProblem(await api('POST', '/attestations', { ...(await as('suzhou')), body: { subjectId: ids.suzhou } }), 403, 'FORBIDDEN');
        });
    });

    describe('credit profiles, warnings and audit', () => {
        it("reads Suzhou's profile, refreshes it, and refuses another supplier", async () => {
            const profile = await api('GET', `/profiles/${ids.suzhou}`, await as('suzhou'));
            expect(profile.body.score).to.be.a('number');
            expectProblem(await api('GET', `/profiles/${ids.suzhou}`, await as('hangzhou')), 403, 'FORBIDDEN');
            const refreshed = await api('POST', `/profiles/${ids.suzhou}/refresh`, await as('jiangnan'));
            expect(refreshed.status, refreshed.text).to.equal(200);
        });

        it('lists warnings and exports an audit pack for the regulator only', async () => {
            const warnings = await api('GET', '/warnings?level=NONE&limit=500', await as('regulator'));
            expect(warnings.status).to.equal(200);
            const pack = await api('GET', `/audit/${ids.huadong}`, await as('regulator'));
            expect(pack.status, pack.text).to.equal(200);
            expect(JSON.stringify(pack.body)).to.include(ids.huadong);
            expectProblem(await api('GET', `/audit/${ids.huadong}`, await as('huadong')), 403, 'FORBIDDEN');
        });
    });

    describe("lists of the caller's enterprise", () => {
        it('lists for the calling user when the enterprise is left out of the query, exactly as with it', async () => {
            const cases: Array<[user: keyof typeof ids, path: string, parameter: string, extra: string]> = [
                ['suzhou', '/notes', 'holderId', ''],
                ['suzhou', '/receivables', 'enterpriseId', ''],
                ['huadong', '/receivables', 'enterpriseId', '&role=buyer'],
                ['suzhou', '/offers', 'enterpriseId', '&direction=outgoing'],
                ['suzhou', '/discount-requests', 'enterpriseId', ''],
                ['huadong', '/credit-lines', 'enterpriseId', ''],
                ['jiangnan', '/credit-lines', 'enterpriseId', ''],
                ['hangzhou', '/ip-assets', 'ownerId', ''],
                ['hangzhou', '/pledges', 'enterpriseId', ''],
                ['suzhou', '/attestations', 'subjectId', ''],
            ];
            for (const [user, path, parameter, extra] of cases) {
                const explicit = await api('GET', `${path}?${parameter}=${ids[user]}&limit=500${extra}`, await as(user));
                const defaulted = await api('GET', `${path}?limit=500${extra}`, await as(user));
                expect(explicit.status, `${user} ${path}: ${explicit.text}`).to.equal(200);
                expect(defaulted.status, `${user} ${path}: ${defaulted.text}`).to.equal(200);
                expect(defaulted.body, `${user} ${path}`).to.deep.equal(explicit.body);
            }
            const suzhouNotes = await api('GET', '/notes', await as('suzhou'));
            expect(suzhouNotes.body.items.length, 'the demo gives Suzhou a note').to.be.greaterThan(0);
            expect(suzhouNotes.body.items.every((note: any) => note.holderId === ids.suzhou)).to.equal(true);
        });
    });

    describe('documents', () => {
        it('stores bytes under the CID `ipfs add --cid-version 1` gives them and returns them verified', async () => {
            const uploaded = await api('POST', '/documents', { ...(await as('suzhou')), raw: 'hello world\n', headers: { 'Content-Type': 'text/plain' } });
            expect(uploaded.status).to.equal(201);
            expect(uploaded.body).to.deep.equal({ cid: 'bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4', size: 12, mediaType: 'text/plain' });
            const downloaded = await api('GET', `/documents/${uploaded.body.cid}`, await as('suzhou'));
            expect(downloaded.status).to.equal(200);
            expect(downloaded.text).to.equal('hello world\n');
            expect(downloaded.headers.get('content-type')).to.match(/^text\/plain/);
        });

        it('lets the uploaders, the regulator, the admin and readers of a receivable citing it download an invoice, and answers 404 to everyone else', async () => {
            const bytes = `invoice ${unique('secret')}`;
            const uploaded = await api('POST', '/documents', { ...(await as('suzhou')), raw: bytes, headers: { 'Content-Type': 'text/plain' } });
            const cid = uploaded.body.cid;
            const download = async (user: string) => api('GET', `/documents/${cid}`, await as(user));
            for (const user of ['suzhou', 'regulator', 'admin']) {
                const answer = await download(user);
                expect(answer.status, `${user}: ${answer.text}`).to.equal(200);
                expect(answer.text).to.equal(bytes);
            }
            for (const user of ['huadong', 'hangzhou', 'jiangnan', 'singapore', 'appraiser']) {
                const refused = await download(user);
                expectProblem(refused, 404, 'NOT_FOUND');
                expect(refused.body.detail).to.not.contain('suzhou');
            }
            const receivable = await api('POST', '/receivables', {
                ...(await as('suzhou')),
                body: { buyerId: ids.huadong, invoiceNumber: unique('ACL'), amount: '1000', currency: 'CNY', issueDate: isoDate(-1), dueDate: isoDate(30), documentCid: cid },
            });
            expect(receivable.status, receivable.text).to.equal(201);
            expect((await download('huadong')).text, 'the buyer reads the receivable, so its invoice').to.equal(bytes);
            for (const user of ['hangzhou', 'jiangnan', 'singapore']) {
                expectProblem(await download(user), 404, 'NOT_FOUND');
            }
            // Uploading the same bytes proves holding them: that enterprise may download them too.
            expect((await api('POST', '/documents', { ...(await as('hangzhou')), raw: bytes, headers: { 'Content-Type': 'text/plain' } })).body).to.deep.equal(uploaded.body);
            expect((await download('hangzhou')).status).to.equal(200);
            expectProblem(await download('singapore'), 404, 'NOT_FOUND');
        });

        it('lets whoever may read an IP asset download the valuation report it cites, and answers 404 to others', async () => {
            const bytes = `valuation report ${unique('r')}`;
            const report = await api('POST', '/documents', { ...(await as('appraiser')), raw: bytes, headers: { 'Content-Type': 'application/pdf' } });
            const registryNumber = validPatentNumber('20241');
            const asset = await api('POST', '/ip-assets', {
                ...(await as('hangzhou')),
                body: { kind: 'PATENT', registryNumber, title: 'Thread rolling die with cooling channels', ownerIds: [ids.hangzhou], expiryDate: isoDate(3650) },
            });
            expect(asset.status, asset.text).to.equal(201);
            expectProblem(await api('GET', `/documents/${report.body.cid}`, await as('hangzhou')), 404, 'NOT_FOUND');
            const valued = await api('POST', `/ip-assets/${asset.body.id}/valuations`, {
                ...(await as('appraiser')),
                body: { amount: '5000000', currency: 'CNY', valuationDate: isoDate(-1), reportCid: report.body.cid },
            });
            expect(valued.status, valued.text).to.equal(201);
            for (const user of ['hangzhou', 'jiangnan', 'appraiser', 'regulator']) {
                const answer = await api('GET', `/documents/${report.body.cid}`, await as(user));
                expect(answer.status, `${user}: ${answer.text}`).to.equal(200);
                expect(answer.text).to.equal(bytes);
            }
            for (const user of ['suzhou', 'huadong', 'singapore']) {
                expectProblem(await api('GET', `/documents/${report.body.cid}`, await as(user)), 404, 'NOT_FOUND');
            }
        });

        it('refuses a Content-Type that is not a type/subtype with 415, storing nothing', async () => {
            for (const contentType of ['x', 'text', 'x/y', 'text/<b>']) {
                const refused = await api('POST', '/documents', { ...(await as('suzhou')), raw: `bytes ${unique('mt')}`, headers: { 'Content-Type': contentType } });
                expectProblem(refused, 415, 'UNSUPPORTED_MEDIA_TYPE');
            }
        });

        it('serves documents with nosniff and a sandboxing CSP, inline only for PDF, raster images and plain text', async () => {
            const token = await as('suzhou');
            const cases = [
                { type: 'text/html', disposition: 'attachment' },
                { type: 'image/svg+xml', disposition: 'attachment' },
                { type: 'application/octet-stream', disposition: 'attachment' },
                { type: 'application/pdf', disposition: 'inline' },
                { type: 'image/png', disposition: 'inline' },
                { type: 'text/plain', disposition: 'inline' },
            ];
            for (const { type, disposition } of cases) {
                const uploaded = await api('POST', '/documents', { ...token, raw: `<script>alert(1)</script> ${unique('xss')}`, headers: { 'Content-Type': type } });
                expect(uploaded.status, uploaded.text).to.equal(201);
                expect(uploaded.body.mediaType).to.equal(type);
                const served = await api('GET', `/documents/${uploaded.body.cid}`, token);
                expect(served.status).to.equal(200);
                expect(served.headers.get('content-type')).to.match(new RegExp(`^${type.replace(/[+/]/g, '\\$&')}`));
                expect(served.headers.get('content-disposition'), type).to.equal(`${disposition}; filename="${uploaded.body.cid}"`);
                expect(served.headers.get('x-content-type-options')).to.equal('nosniff');
                expect(served.headers.get('content-security-policy')).to.match(/^sandbox(;|$)/);
            }
        });

        it('chunks large documents into a balanced DAG and round-trips them', async () => {
            const bytes = randomBytes(600 * 1024);
            const uploaded = await api('POST', '/documents', { ...(await as('suzhou')), raw: bytes, headers: { 'Content-Type': 'application/pdf' } });
            expect(uploaded.body.cid).to.match(/^bafybei/);
            const response = await fetch(`${target.baseUrl()}/documents/${uploaded.body.cid}`, { headers: { Authorization: `Bearer ${await target.token('suzhou')}` } });
            expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).to.equal(true);
        });

        it('answers concurrent uploads of the same bytes with 201 and the same CID every time', async () => {
            const token = await as('suzhou');
            const bytes = Buffer.from(`concurrent invoice ${unique('doc')}`);
            const answers = await Promise.all(Array.from({ length: 10 }, () => api('POST', '/documents', { ...token, raw: bytes, headers: { 'Content-Type': 'text/plain' } })));
            expect(answers.map((answer) => answer.status), JSON.stringify(answers.map((a) => a.body))).to.deep.equal(Array(10).fill(201));
            expect(new Set(answers.map((answer) => answer.body.cid)).size).to.equal(1);
            const downloaded = await api('GET', `/documents/${answers[0].body.cid}`, token);
            expect(Buffer.from(downloaded.text).equals(bytes)).to.equal(true);
        });

        it('answers an upload of bytes already stored with their stored media type', async () => {
            const token = await as('suzhou');
            const bytes = `<svg xmlns="http://www.w3.org/2000/svg"><!-- ${unique('doc')} --></svg>`;
            const first = await api('POST', '/documents', { ...token, raw: bytes, headers: { 'Content-Type': 'text/html' } });
            expect(first.status).to.equal(201);
            expect(first.body.mediaType).to.equal('text/html');
            const again = await api('POST', '/documents', { ...token, raw: bytes, headers: { 'Content-Type': 'image/svg+xml' } });
            expect(again.status).to.equal(201);
            expect(again.body).to.deep.equal(first.body);
            const downloaded = await api('GET', `/documents/${first.body.cid}`, token);
            expect(downloaded.headers.get('content-type')).to.match(/^text\/html/);
            expect(downloaded.headers.get('content-disposition')).to.match(/^attachment/);
        });

        it('answers 404 for an unknown CID', async () => {
            expectProblem(await api('GET', '/documents/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy', await as('suzhou')), 404, 'NOT_FOUND');
        });
    });

    describe('events', () => {
        it('streams chaincode events with <block>:<index> ids and resumes after Last-Event-ID', async () => {
            const token = await target.token('regulator');
            const first = await readEvents(target.baseUrl(), '/events', { token, count: 4 });
            expect(first).to.have.length(4);
            for (const event of first) {
                expect(event.id).to.match(/^\d+:\d+$/);
                expect(event.data.name).to.equal(event.event);
            }
            const resumed = await readEvents(target.baseUrl(), '/events', { token, count: 2, lastEventId: first[1].id });
            expect(resumed.map((e) => e.id)).to.deep.equal([first[2].id, first[3].id]);
        });

        it('shows a supplier only the events that name its enterprise, live as they happen', async () => {
            const token = await target.token('hangzhou');
            const reading = readEvents(target.baseUrl(), '/events', { token, count: 1000, timeoutMs: 2500 });
            const events = await reading;
            expect(events.length).to.be.greaterThan(0);
            for (const event of events) {
                expect(JSON.stringify(event.data.payload)).to.include(ids.hangzhou);
            }
            expect(events.map((e) => e.event)).to.not.include('GrantCreditLine');
        });
    });

    describe('operations', () => {
        it('reports liveness and readiness', async () => {
            expect((await api('GET', '/health/live')).body).to.deep.equal({ status: 'ok' });
            const ready = await api('GET', '/health/ready');
            expect(ready.status).to.equal(200);
            expect(ready.body.status).to.equal('ready');
        });

        it('serves the OpenAPI document and the browsable UI', async () => {
            const document = await api('GET', '/openapi.json');
            expect(document.body.openapi).to.equal('3.1.0');
            const ui = await fetch(`${target.baseUrl()}/docs/`);
            expect(ui.status).to.equal(200);
            expect(await ui.text()).to.include('swagger-ui');
        });

        it('answers unknown routes with a 404 problem', async () => {
            expectProblem(await api('GET', '/no-such-thing', await as('suzhou')), 404, 'NOT_FOUND');
        });
    });
}
