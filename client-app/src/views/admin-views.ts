import { MIN_PASSWORD_LENGTH, passwordProblem } from '../account-rules';
import { ApiError, UserAccount } from '../api-client';
import { h } from '../dom';
import { countryProblem, enterpriseIdProblem, normaliseEnterpriseId, parseGradeScale } from '../enterprise-checks';
import { ORGANISATION_NAMES } from '../error-messages';
import { addDays, formatBps, formatDateTime, langText, parsePercentToBps } from '../format';
import { gradeScaleText } from '../recognition-state';
import { KIND_ROLE } from '../../../chaincode/src/enterprise/kinds';
import { ROLE_ORGS } from '../../../chaincode/src/ledger/caller';
import { MAX_GRACE_DAYS } from '../../../chaincode/src/note/grace';
import { HARD_MAX_TENOR_MONTHS } from '../../../chaincode/src/note/tenor';
import type { Agreement, BureauKey, EnterpriseKind } from '../resources';
import type { AppContext } from './context';
import { InputError, badge, card, checkField, field, fieldProblem, formValue, idText, requiredValue, select, table } from './ui';
import { actionButton, actionForm, confirmButton, grid, requiredReason } from './view-kit';
import { roleName } from './profile-views';
import { ltvCapProblem } from '../form-checks';

/** Views of the platform administrator: onboarding enterprises and their users, platform parameters. */

/** In the order the register form offers them: the kinds onboarded most often first. */
const KIND_LABELS: Record<EnterpriseKind, string> = {
    SUPPLIER: 'Supplier',
    CORE_ENTERPRISE: 'Core enterprise',
    FINANCIER: 'Financier (bank)',
    APPRAISER: 'IP appraiser',
    CREDIT_BUREAU: 'Credit bureau',
    FOREIGN_PARTNER: 'Foreign partner',
    REGULATOR: 'Regulator',
    PLATFORM: 'Platform operator',
};

/**
 * The organisations that may issue the identities of an enterprise's users, for its kind: those
 * whose users may act in the kind's role (chaincode ROLE_ORGS; the ledger refuses any other with
 * INVALID_ARGUMENT). The first is the ledger's default for the kind.
 */
export function mspChoices(kind: EnterpriseKind): [string, string][] {
    return ROLE_ORGS[KIND_ROLE[kind]].map((msp) => [msp, ORGANISATION_NAMES[msp] ?? msp]);
}

/** The organisation select offers the organisations of the chosen kind only, and follows a change of kind. */
function organisationField(kindSelect: HTMLSelectElement): HTMLElement {
    const msp = select('mspId', []);
    const hint = h('span', { class: 'hint', id: 'msp-hint', 'aria-live': 'polite' });
    const follow = (): void => {
        const kind = kindSelect.value as EnterpriseKind;
        const previous = msp.value;
        const choices = mspChoices(kind);
        msp.replaceChildren(...choices.map(([value, text]) => h('option', { value, selected: value === previous }, text)));
        const role = KIND_ROLE[kind].replace(/-/g, ' ');
        hint.textContent =
            choices.length === 1
                ? `Users who act as ${role} are issued by ${choices[0][0]} alone.`
                : `Users who act as ${role} may be issued by ${choices.map(([value]) => value).join(' or ')}.`;
    };
    kindSelect.addEventListener('change', follow);
    follow();
    return h('label', { class: 'field' }, h('span', { class: 'label' }, 'Organisation'), msp, hint);
}

/**
 * The enterprise the last user was created for, chosen again when the page comes back after the
 * success, so that the next user is not silently created for whatever comes first in the list.
 */
let lastUserEnterpriseId: string | undefined;

/** The gateway's user name pattern. */
const USERNAME = /^[a-z][a-z0-9._-]{1,31}$/;

/** Platform admin: register an enterprise, create a user of one, and see both lists. */
export async function onboardingView(ctx: AppContext): Promise<Node> {
    const [enterprises, users] = await Promise.all([ctx.api.listEnterprises(), ctx.api.listUsers()]);
    const byId = new Map(enterprises.map((e) => [e.id, e]));
    const kindSelect = select('kind', Object.entries(KIND_LABELS));
    const register = actionForm(ctx, {
        attributes: { class: 'card', id: 'register-enterprise' },
        title: 'Register an enterprise',
        content: [
            grid(
                field('USCC or LEI', h('input', { name: 'id', autocomplete: 'off', maxlength: 20, placeholder: 'USCC (18) or LEI (20 characters)' }), 'A Chinese enterprise: its unified social credit code; a foreign one: its LEI.'),
                field('Name', h('input', { name: 'name', autocomplete: 'off' })),
                field('Kind', kindSelect),
                field('Country', h('input', { name: 'country', autocomplete: 'off', maxlength: 2, placeholder: 'CN' }), 'ISO 3166 two-letter code (CN by default with a USCC; required with an LEI)'),
                organisationField(kindSelect),
            ),
        ],
        submit: 'Register enterprise',
        run: async (f) => {
            const id = normaliseEnterpriseId(formValue(f, 'id'));
            const idProblem = enterpriseIdProblem(id);
            if (idProblem) {
                throw new InputError(idProblem, { field: 'id' });
            }
            const country = formValue(f, 'country').toUpperCase();
            const place = countryProblem(id, country);
            if (place) {
                throw new InputError(place, { field: 'country' });
            }
            const kind = requiredValue(f, 'kind', 'the kind') as EnterpriseKind;
            const mspId = formValue(f, 'mspId');
            if (mspId && !mspChoices(kind).some(([value]) => value === mspId)) {
                throw new InputError(`Users who act as ${KIND_ROLE[kind].replace(/-/g, ' ')} cannot come from ${mspId}: choose ${mspChoices(kind).map(([, text]) => text).join(' or ')}.`, { field: 'mspId' });
            }
            return ctx.api.registerEnterprise({
                id,
                name: requiredValue(f, 'name', 'the name'),
                kind,
                ...(country ? { country } : {}),
                ...(mspId ? { mspId } : {}),
            });
        },
        options: { progress: 'Registering the enterprise on the ledger…', success: 'Enterprise registered.' },
    });
    const roleHint = h('p', { class: 'hint', id: 'new-user-role' });
    // Nothing is chosen until the administrator picks an enterprise (or the one of the last user created).
    const enterpriseSelect = select(
        'enterpriseId',
        enterprises.map((e) => [e.id, `${e.name} (${KIND_LABELS[e.kind]})`]),
        {},
        lastUserEnterpriseId,
        'Choose an enterprise…',
    );
    const showRole = (): void => {
        const enterprise = byId.get(enterpriseSelect.value);
        roleHint.textContent = enterprise ? sentence(`The user will act as ${KIND_ROLE[enterprise.kind]} for ${enterprise.name}`) : 'Choose the enterprise the user acts for; the role follows from its kind.';
    };
    enterpriseSelect.addEventListener('change', showRole);
    showRole();
    const createUser = actionForm(ctx, {
        attributes: { class: 'card', id: 'create-user' },
        title: 'Create a user',
        content: [
            grid(
                field('Enterprise', enterpriseSelect),
                field('Username', h('input', { name: 'username', autocomplete: 'off', placeholder: 'lower case, 2–32 characters' })),
                field('Initial password', h('input', { name: 'password', type: 'password', autocomplete: 'new-password' }), `at least ${MIN_PASSWORD_LENGTH} characters, not the user name`),
            ),
            roleHint,
        ],
        submit: 'Create user',
        run: async (f) => {
            const enterprise = byId.get(formValue(f, 'enterpriseId'));
            if (!enterprise) {
                throw new InputError('Choose the enterprise the user acts for.', { field: 'enterpriseId' });
            }
            const username = requiredValue(f, 'username', 'the username').toLowerCase();
            if (!USERNAME.test(username)) {
                throw new InputError('A username has 2 to 32 characters: a letter first, then letters, digits, ".", "_" or "-".', { field: 'username' });
            }
            const password = requiredValue(f, 'password', 'an initial password');
            const problem = passwordProblem(username, password);
            if (problem) {
                throw new InputError(problem.replace(/^The password/, 'The initial password'), { field: 'password' });
            }
            const user = await ctx.api.createUser({ username, password, role: KIND_ROLE[enterprise.kind], enterpriseId: enterprise.id }).catch((error: unknown) => {
                // Users live in the gateway's user store, not on the ledger: say what is taken in those words.
                if (error instanceof ApiError && error.code === 'ALREADY_EXISTS') {
                    throw new InputError(`There is already a user named ${username}. Choose another username.`, { field: 'username' });
                }
                throw error;
            });
            lastUserEnterpriseId = enterprise.id;
            return user;
        },
        options: { progress: 'Creating the user and enrolling their ledger identity…', success: (u) => `User ${(u as { username: string }).username} created.` },
    });
    return h(
        'div',
        null,
        h('h1', null, 'Onboarding'),
        register,
        createUser,
        card(
            'Users',
            h('p', { class: 'muted' }, 'A disabled user cannot sign in, and its sessions and API keys stop working at once. Enabling it again brings back its API keys; it signs in again.'),
            table(
                ['User', 'Role', 'Enterprise', 'Organisation', 'Status', ''],
                [...users]
                    .sort((a, b) => a.username.localeCompare(b.username))
                    .map((u) => [u.username, roleName(u.role), langText(byId.get(u.enterpriseId)?.name ?? u.enterpriseId), u.mspId, badge(u.disabled ? 'DISABLED' : 'ACTIVE'), userAccessCell(ctx, u)]),
                'No users yet.',
                { id: 'users' },
            ),
        ),
        card(
            'Enterprises',
            table(
                ['Enterprise', 'Name', 'Kind', 'Country', 'Organisation', 'Status'],
                enterprises.map((e) => [idText(e.id), langText(e.name), KIND_LABELS[e.kind], e.country, e.mspId, badge(e.status)]),
                'No enterprises yet.',
                { id: 'all-enterprises' },
            ),
        ),
    );
}

/**
 * Disable (after confirming) or enable a user. Not offered for the administrator signed in: the
 * gateway refuses to let an administrator disable itself.
 */
function userAccessCell(ctx: AppContext, user: UserAccount): HTMLElement | string {
    if (user.username === ctx.user?.username) {
        return h('small', { class: 'muted' }, 'you');
    }
    const action = user.disabled
        ? actionButton(ctx, 'Enable', () => ctx.api.enableUser(user.username), { progress: `Enabling ${user.username}…`, success: `User ${user.username} enabled; they can sign in again.` }, { 'data-action': 'enable-user' })
        : confirmButton(
              ctx,
              'Disable',
              `Disable ${user.username}? They cannot sign in, and their sessions and API keys stop working at once, until you enable them again.`,
              () => ctx.api.disableUser(user.username),
              { progress: `Disabling ${user.username}…`, success: `User ${user.username} disabled.` },
              { 'data-action': 'disable-user' },
          );
    return h('span', { class: 'actions panel', 'data-username': user.username }, action);
}

/** Ends text with one full stop ("… Co., Ltd." keeps its own). */
function sentence(text: string): string {
    return text.endsWith('.') ? text : `${text}.`;
}

/** A whole number of days, within [min, max]; throws InputError naming `label`, about the control named `field`. */
function days(text: string, label: string, min: number, max: number, field: string): number {
    if (!/^\d{1,3}$/.test(text) || Number(text) < min || Number(text) > max) {
        throw new InputError(`${label} must be a whole number of days from ${min} to ${max}.`, { field });
    }
    return Number(text);
}

/** A whole number of calendar months, within [min, max]. Throws InputError about the control named `field`. */
function wholeMonths(text: string, label: string, min: number, max: number, field: string): number {
    if (!/^\d{1,2}$/.test(text) || Number(text) < min || Number(text) > max) {
        throw new InputError(`${label} must be a whole number of calendar months from ${min} to ${max}.`, { field });
    }
    return Number(text);
}

/**
 * The note parameters typed into the Parameters form, checked before anything is sent against the
 * ledger's own limits (chaincode note/tenor.ts HARD_MAX_TENOR_MONTHS, note/grace.ts MAX_GRACE_DAYS).
 * Throws InputError about the field in error (maxTenorMonths, graceDays).
 */
export function noteParametersInput(maxTenorMonths: string, graceDays: string): { maxTenorMonths: number; graceDays: number } {
    return {
        maxTenorMonths: wholeMonths(maxTenorMonths, 'The maximum tenor', 1, HARD_MAX_TENOR_MONTHS, 'maxTenorMonths'),
        graceDays: days(graceDays, 'The grace period', 0, MAX_GRACE_DAYS, 'graceDays'),
    };
}

/**
 * Whether saving parameters changed nothing: the ledger answers values already in force with the
 * parameters as they were, so their last change (`updatedAt`, absent for the defaults) is the one shown.
 */
function unchanged(shown: { updatedAt?: string }, answer: unknown): boolean {
    return (answer as { updatedAt?: string }).updatedAt === shown.updatedAt;
}

/** Platform admin: the note tenor cap (calendar months) and grace period, and the IP loan-to-value cap. */
export async function parametersView(ctx: AppContext): Promise<Node> {
    const [notes, ip] = await Promise.all([ctx.api.noteParameters(), ctx.api.ipParameters()]);
    const changed = (at: string | undefined, by: string | undefined): string => (at ? `Last changed ${at.slice(0, 10)} by ${by ? ctx.directory.name(by) : 'the platform'}.` : 'The defaults apply.');
    const noteForm = actionForm(ctx, {
        attributes: { class: 'card', id: 'note-parameters' },
        title: 'Credit notes',
        content: [
            h(
                'p',
                null,
                `In force: notes mature at most `,
                h('strong', { class: 'max-tenor' }, String(notes.maxTenorMonths)),
                ` calendar months after issue (on the same day of the month, or on the last day of a shorter month); redemption is overdue `,
                h('strong', { class: 'grace' }, String(notes.graceDays)),
                ` days after maturity. ${changed(notes.updatedAt, notes.updatedBy)}`,
            ),
            grid(
                field('Maximum tenor (calendar months)', h('input', { name: 'maxTenorMonths', inputmode: 'numeric', value: notes.maxTenorMonths }), `at most ${HARD_MAX_TENOR_MONTHS}`),
                field('Grace period (days)', h('input', { name: 'graceDays', inputmode: 'numeric', value: notes.graceDays }), `0 to ${MAX_GRACE_DAYS}; each note keeps the grace in force when it was issued`),
            ),
        ],
        submit: 'Save note parameters',
        run: (f) => ctx.api.setNoteParameters(noteParametersInput(formValue(f, 'maxTenorMonths'), formValue(f, 'graceDays'))),
        options: { progress: 'Saving the note parameters…', success: (r) => (unchanged(notes, r) ? 'These note parameters are already in force; nothing changed.' : 'Note parameters saved.') },
    });
    const ipForm = actionForm(ctx, {
        attributes: { class: 'card', id: 'ip-parameters' },
        title: 'IP pledges',
        content: [
            h('p', null, 'In force: a pledge may secure at most ', h('strong', { class: 'max-ltv' }, formatBps(ip.maxLtvBps)), ` of the asset's current valuation. ${changed(ip.updatedAt, ip.updatedBy)}`),
            grid(field('Loan-to-value cap, %', h('input', { name: 'maxLtv', inputmode: 'decimal', value: formatBps(ip.maxLtvBps).replace(/\s*%$/, '') }), 'at most 90 %')),
        ],
        submit: 'Save IP parameters',
        run: async (f) => {
            const maxLtvBps = checkField('maxLtv', () => parsePercentToBps(requiredValue(f, 'maxLtv', 'the loan-to-value cap')));
            fieldProblem('maxLtv', ltvCapProblem(maxLtvBps));
            return ctx.api.setIpParameters({ maxLtvBps });
        },
        options: { progress: 'Saving the IP parameters…', success: (r) => (unchanged(ip, r) ? 'This loan-to-value cap is already in force; nothing changed.' : 'IP parameters saved.') },
    });
    return h('div', null, h('h1', null, 'Platform parameters'), noteForm, ipForm);
}

/** Checks a proposed validity: dates in order, ending after the ledger's today. Throws InputError. */
function validity(form: HTMLFormElement, today: string): { validFrom: string; validUntil: string } {
    const validFrom = requiredValue(form, 'validFrom', 'the first day of validity');
    const validUntil = requiredValue(form, 'validUntil', 'the last day of validity');
    if (validUntil <= validFrom) {
        throw new InputError(`The agreement must end after it starts (${validFrom}).`, { field: 'validUntil' });
    }
    if (validUntil <= today) {
        throw new InputError(`The agreement must end in the future (after ${today}).`, { field: 'validUntil' });
    }
    return { validFrom, validUntil };
}

/**
 * Platform admin: mutual recognition (DESIGN 5.6, "the platform proposes") — propose an agreement
 * to a foreign partner, withdraw one still proposed — and the credit bureaus' signing keys: generate
 * one (after a revocation, say), revoke a compromised one.
 */
export async function recognitionAdminView(ctx: AppContext): Promise<Node> {
    const [agreements, keys] = await Promise.all([ctx.api.listAllAgreements(), ctx.api.listBureauKeys()]);
    const today = addDays(ctx.now(), 0);
    const partners = ctx.directory.ofKind('FOREIGN_PARTNER');
    const bureaus = ctx.directory.ofKind('CREDIT_BUREAU');
    const propose = actionForm(ctx, {
        attributes: { class: 'card', id: 'propose-agreement' },
        title: 'Propose a recognition agreement',
        content: [
            h('p', { class: 'muted' }, 'The partner accepts it with its own identity; from then on it can recognise domestic credit passports with its own grades.'),
            grid(
                field('Foreign partner', select('partnerId', partners.map((e) => [e.id, `${e.name} (${e.country})`]))),
                field('Grade scale', h('textarea', { name: 'gradeScale', rows: '4', spellcheck: 'false' }, 'A: 800\nB: 600\nC: 400\nD: 0'), 'One "grade: lowest score" a line; the lowest band starts at 0.'),
                field('Valid from', h('input', { name: 'validFrom', type: 'date', value: today })),
                field('Valid until', h('input', { name: 'validUntil', type: 'date', value: addDays(ctx.now(), 365), min: addDays(ctx.now(), 1) })),
            ),
        ],
        submit: 'Propose agreement',
        run: async (f) => {
            const partner = ctx.directory.get(formValue(f, 'partnerId'));
            if (!partner) {
                throw new InputError('Choose the foreign partner.', { field: 'partnerId' });
            }
            const scale = parseGradeScale(formValue(f, 'gradeScale'));
            if ('problem' in scale) {
                throw new InputError(scale.problem, { field: 'gradeScale' });
            }
            return ctx.api.proposeAgreement({ partnerId: partner.id, partnerMspId: partner.mspId || 'PartnerMSP', gradeScale: scale.bands, ...validity(f, today) });
        },
        options: { progress: 'Proposing the agreement on the ledger…', success: 'Agreement proposed. The partner accepts it on its Agreements page.' },
    });
    const agreementRows = [...agreements]
        .sort((a, b) => (a.proposedAt < b.proposedAt ? 1 : -1))
        .map((a) => [
            idText(a.id),
            langText(ctx.directory.name(a.partnerId)),
            `${a.validFrom.slice(0, 10)} → ${a.validUntil.slice(0, 10)}`,
            gradeScaleText(a.gradeScale),
            h('span', null, badge(a.status), a.terminationReason || a.withdrawalReason ? h('small', { class: 'muted' }, ` ${a.terminationReason ?? a.withdrawalReason}`) : null),
            a.status === 'PROPOSED' ? withdrawCell(ctx, a) : '',
        ]);
    const generate = actionForm(ctx, {
        attributes: { class: 'card', id: 'generate-bureau-key' },
        title: 'Generate a bureau signing key',
        content: [
            h('p', { class: 'muted' }, 'The gateway creates the key, keeps it encrypted and publishes its address; the bureau signs its passports with it. A bureau has one active key: to rotate it, revoke the old one, then generate a new one.'),
            grid(field('Credit bureau', select('bureauId', bureaus.map((e) => [e.id, e.name]))), field('Label', h('input', { name: 'label', autocomplete: 'off', maxlength: 100, placeholder: 'e.g. passport key 2' }))),
        ],
        submit: 'Generate key',
        run: async (f) => {
            const bureauId = requiredValue(f, 'bureauId', 'the credit bureau');
            // The gateway holds one active key per bureau: a rotation revokes the old key first.
            const active = keys.find((k) => k.bureauId === bureauId && k.status === 'ACTIVE');
            if (active) {
                throw new InputError(`${ctx.directory.name(bureauId)} already has an active key (${active.address}). To rotate it, revoke that key below first, then generate a new one.`, { field: 'bureauId' });
            }
            return ctx.api.generateBureauKey(bureauId, formValue(f, 'label') || undefined);
        },
        options: { progress: 'Generating and publishing the key…', success: (k) => `Key ${(k as BureauKey).address} generated and published.` },
    });
    const keyRows = keys.map((k) => [
        langText(ctx.directory.name(k.bureauId)),
        k.label ?? '',
        h('code', { class: 'wrap' }, k.address),
        badge(k.status),
        k.registeredAt ? formatDateTime(k.registeredAt) : '',
        k.status === 'ACTIVE' ? revokeKeyCell(ctx, k) : k.revokedAt ? `revoked ${formatDateTime(k.revokedAt)}` : '',
    ]);
    return h(
        'div',
        null,
        h('h1', null, 'Recognition and bureau keys'),
        propose,
        card('Agreements', table(['Agreement', 'Partner', 'Validity', 'Grade scale', 'Status', ''], agreementRows, 'No agreement yet.', { id: 'all-agreements' })),
        generate,
        card('Bureau signing keys', h('p', { class: 'muted' }, 'Revoking a key makes every passport it signed invalid everywhere; the bureau re-issues them with a new key.'), table(['Bureau', 'Label', 'Address', 'Status', 'Published', ''], keyRows, 'No key published yet.', { id: 'bureau-keys' })),
    );
}

/** Withdraw a PROPOSED agreement: a reason, then confirmation. */
function withdrawCell(ctx: AppContext, agreement: Agreement): HTMLElement {
    const reason = h('input', { name: 'reason', placeholder: 'Reason to withdraw', 'aria-label': `Reason to withdraw agreement ${agreement.id}`, autocomplete: 'off' });
    const why = (): string => requiredReason(reason, 'Give the reason to withdraw the agreement.');
    return h(
        'span',
        { class: 'actions panel', 'data-agreement-id': agreement.id },
        reason,
        confirmButton(ctx, 'Withdraw', `Withdraw the agreement proposed to ${ctx.directory.name(agreement.partnerId)}? The partner can no longer accept it.`, async () => ctx.api.withdrawAgreement(agreement.id, why()), {
            progress: 'Withdrawing the agreement…',
            success: 'Agreement withdrawn.',
            check: () => void why(),
        }),
    );
}

/** Revoke a bureau key: a reason, then confirmation. */
function revokeKeyCell(ctx: AppContext, key: BureauKey): HTMLElement {
    const reason = h('input', { name: 'reason', placeholder: 'Reason to revoke', 'aria-label': `Reason to revoke key ${key.address}`, autocomplete: 'off' });
    const why = (): string => requiredReason(reason, 'Give the reason to revoke the key.');
    return h(
        'span',
        { class: 'actions panel', 'data-key-address': key.address },
        reason,
        confirmButton(
            ctx,
            'Revoke key',
            `Revoke the key ${key.address} of ${ctx.directory.name(key.bureauId)} for good? Every passport it signed stops being valid, and the bureau cannot sign until a new key is generated.`,
            async () => ctx.api.revokeBureauKey(key.address, why()),
            { progress: 'Revoking the key…', success: 'Key revoked.', check: () => void why() },
            { class: 'danger' },
        ),
    );
}
