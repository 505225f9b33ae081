import { h } from '../dom';
import { formatBps, parsePercentToBps } from '../format';
import { KIND_ROLE } from '../../../chaincode/src/enterprise/kinds';
import type { EnterpriseKind } from '../resources';
import type { AppContext } from './context';
import { InputError, badge, card, field, formValue, idText, requiredValue, select, table } from './ui';
import { actionForm, grid } from './view-kit';
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

/** Which organisation issues the identities of an enterprise's users (empty: the ledger's default for its kind). */
const MSP_CHOICES: [string, string][] = [
    ['', 'Default for its kind'],
    ['PlatformMSP', 'PlatformMSP (the platform)'],
    ['BankMSP', 'BankMSP (banks)'],
    ['PartnerMSP', 'PartnerMSP (foreign partners)'],
];

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
    const register = actionForm(ctx, {
        attributes: { class: 'card', id: 'register-enterprise' },
        title: 'Register an enterprise',
        content: [
            grid(
                field('Unified social credit code', h('input', { name: 'id', autocomplete: 'off', maxlength: 18, placeholder: '18 characters' })),
                field('Name', h('input', { name: 'name', autocomplete: 'off' })),
                field('Kind', select('kind', Object.entries(KIND_LABELS))),
                field('Country', h('input', { name: 'country', autocomplete: 'off', maxlength: 2, placeholder: 'CN' }), 'ISO 3166 two-letter code'),
                field('Organisation', select('mspId', MSP_CHOICES)),
            ),
        ],
        submit: 'Register enterprise',
        run: async (f) => {
            const country = formValue(f, 'country').toUpperCase();
            const mspId = formValue(f, 'mspId');
            return ctx.api.registerEnterprise({
                id: requiredValue(f, 'id', 'the unified social credit code').toUpperCase(),
                name: requiredValue(f, 'name', 'the name'),
                kind: requiredValue(f, 'kind', 'the kind') as EnterpriseKind,
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
                field('Initial password', h('input', { name: 'password', type: 'password', autocomplete: 'new-password' }), 'at least 8 characters'),
            ),
            roleHint,
        ],
        submit: 'Create user',
        run: async (f) => {
            const enterprise = byId.get(formValue(f, 'enterpriseId'));
            if (!enterprise) {
                throw new InputError('Choose the enterprise the user acts for.');
            }
            const username = requiredValue(f, 'username', 'the username').toLowerCase();
            if (!USERNAME.test(username)) {
                throw new InputError('A username has 2 to 32 characters: a letter first, then letters, digits, ".", "_" or "-".');
            }
            const password = requiredValue(f, 'password', 'an initial password');
            if (password.length < 8) {
                throw new InputError('The initial password must have at least 8 characters.');
            }
            const user = await ctx.api.createUser({ username, password, role: KIND_ROLE[enterprise.kind], enterpriseId: enterprise.id });
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
            table(
                ['User', 'Role', 'Enterprise', 'Organisation'],
                [...users].sort((a, b) => a.username.localeCompare(b.username)).map((u) => [u.username, roleName(u.role), byId.get(u.enterpriseId)?.name ?? u.enterpriseId, u.mspId]),
                'No users yet.',
                { id: 'users' },
            ),
        ),
        card(
            'Enterprises',
            table(
                ['Enterprise', 'Name', 'Kind', 'Country', 'Organisation', 'Status'],
                enterprises.map((e) => [idText(e.id), e.name, KIND_LABELS[e.kind], e.country, e.mspId, badge(e.status)]),
                'No enterprises yet.',
                { id: 'all-enterprises' },
            ),
        ),
    );
}

/** Ends text with one full stop ("… Co., Ltd." keeps its own). */
function sentence(text: string): string {
    return text.endsWith('.') ? text : `${text}.`;
}

/** Reads a whole number of days from a form field; throws InputError naming `label`. */
function days(form: HTMLFormElement, name: string, label: string, min: number, max: number): number {
    const text = formValue(form, name);
    if (!/^\d{1,3}$/.test(text) || Number(text) < min || Number(text) > max) {
        throw new InputError(`${label} must be a whole number of days from ${min} to ${max}.`);
    }
    return Number(text);
}

/** Platform admin: the note tenor cap and grace period, and the IP loan-to-value cap. */
export async function parametersView(ctx: AppContext): Promise<Node> {
    const [notes, ip] = await Promise.all([ctx.api.noteParameters(), ctx.api.ipParameters()]);
    const changed = (at: string | undefined, by: string | undefined): string => (at ? `Last changed ${at.slice(0, 10)} by ${by ? ctx.directory.name(by) : 'the platform'}.` : 'The defaults apply.');
    const noteForm = actionForm(ctx, {
        attributes: { class: 'card', id: 'note-parameters' },
        title: 'Credit notes',
        content: [
            h('p', null, `In force: notes mature at most `, h('strong', { class: 'max-tenor' }, String(notes.maxTenorDays)), ` days after issue; redemption is overdue `, h('strong', { class: 'grace' }, String(notes.graceDays)), ` days after maturity. ${changed(notes.updatedAt, notes.updatedBy)}`),
            grid(
                field('Maximum tenor (days)', h('input', { name: 'maxTenorDays', inputmode: 'numeric', value: notes.maxTenorDays }), 'at most 366'),
                field('Grace period (days)', h('input', { name: 'graceDays', inputmode: 'numeric', value: notes.graceDays })),
            ),
        ],
        submit: 'Save note parameters',
        run: (f) => ctx.api.setNoteParameters({ maxTenorDays: days(f, 'maxTenorDays', 'The maximum tenor', 1, 366), graceDays: days(f, 'graceDays', 'The grace period', 0, 365) }),
        options: { progress: 'Saving the note parameters…', success: 'Note parameters saved.' },
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
            const maxLtvBps = parsePercentToBps(requiredValue(f, 'maxLtv', 'the loan-to-value cap'));
            const problem = ltvCapProblem(maxLtvBps);
            if (problem) {
                throw new InputError(problem);
            }
            return ctx.api.setIpParameters({ maxLtvBps });
        },
        options: { progress: 'Saving the IP parameters…', success: 'IP parameters saved.' },
    });
    return h('div', null, h('h1', null, 'Platform parameters'), noteForm, ipForm);
}
