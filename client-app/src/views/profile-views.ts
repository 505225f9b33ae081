import { mayReadEnterpriseUsers } from '../account-rules';
import { h } from '../dom';
import { eventSummary, eventTitle, formatDateTime, formatMoney, humanizeCode, langText } from '../format';
import { orderItems, orderedTable, statusRank } from '../list-order';
import { creditLineExpired } from '../../../chaincode/src/ledger/expiry';
import type { CreditLine, CreditProfile, Enterprise, IpAsset, IpPledge, LedgerEvent, Role, WarningEntry } from '../resources';
import { assetStanding, standingCell } from './ip-view';
import type { AppContext, Directory } from './context';
import { badge, card, deferredCard, errorPanel, field, idText, select, table, transient } from './ui';
import { actionButton, confirmButton, requiredReason, submitOnEnter } from './view-kit';

/** A credit profile: score gauge, warning level, reason codes with their points, warning rules. */
export function profileCard(ctx: AppContext, profile: CreditProfile): HTMLElement {
    const percent = Math.max(0, Math.min(100, Math.round(profile.score / 10)));
    return h(
        'section',
        { class: 'card profile', id: 'credit-profile' },
        h('h2', null, 'Credit profile — ', langText(ctx.directory.name(profile.enterpriseId))),
        h(
            'div',
            { class: 'profile-head' },
            h('div', { class: 'score-block' }, h('span', { class: 'score', 'data-score': String(profile.score) }, String(profile.score)), h('span', { class: 'muted' }, ' / 1000')),
            h('div', { class: 'gauge', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '1000', 'aria-valuenow': String(profile.score) }, h('span', { class: 'fill', style: `width:${percent}%` })),
            h('div', null, 'Warning level ', h('span', { class: `warning warning-${profile.warning.toLowerCase()}`, id: 'warning-level' }, humanizeCode(profile.warning))),
        ),
        table(
            ['Reason', 'Points'],
            profile.reasons.map((r) => [h('span', { title: r.code }, humanizeCode(r.code)), h('span', { class: r.points < 0 ? 'negative' : 'positive' }, `${r.points > 0 ? '+' : ''}${r.points}`)]),
            'No reasons recorded yet: base score.',
            { class: 'reasons' },
        ),
        profile.warningRules.length > 0 ? h('p', null, 'Warning rules that hold: ', profile.warningRules.map((code) => h('span', { class: 'chip' }, humanizeCode(code)))) : null,
        h('p', { class: 'muted' }, profile.recorded === false ? 'No credit events recorded yet.' : `Updated ${formatDateTime(profile.updatedAt)}`),
    );
}

const ROLE_NAMES: Readonly<Record<Role, string>> = {
    'platform-admin': 'Platform administrator',
    'core-enterprise': 'Core enterprise',
    supplier: 'Supplier',
    financier: 'Financier',
    'credit-bureau': 'Credit bureau',
    appraiser: 'Appraiser',
    'foreign-partner': 'Foreign partner',
    regulator: 'Regulator',
};

/** The display name of a role. */
export function roleName(role: Role | undefined): string {
    return role ? ROLE_NAMES[role] : '';
}

/**
 * The roles whose own enterprise is scored: the chaincode's OWN_PROFILE_ROLES, which may read
 * their own profile only (profile-contract.ts). The others either may not read profiles at all
 * (appraiser, platform admin: FORBIDDEN) or read other enterprises' profiles (regulator,
 * financier, credit bureau, foreign partner) and have no credit behaviour of their own to score.
 */
const OWN_PROFILE_ROLES: readonly Role[] = ['supplier', 'core-enterprise'];

/** Whether a role's dashboard shows its enterprise's credit profile. */
export function hasOwnProfile(role: Role): boolean {
    return OWN_PROFILE_ROLES.includes(role);
}

/** Everyone: the dashboard — the enterprise's credit profile (supplier, core enterprise), a role summary and recent events. */
export async function dashboardView(ctx: AppContext): Promise<Node> {
    const user = ctx.user;
    if (!user) {
        return h('p', null, 'Sign in first.');
    }
    const parts: Node[] = [h('h1', null, langText(ctx.directory.name(user.enterpriseId))), h('p', { class: 'muted' }, `${roleName(user.role)} · signed in as ${user.username}`)];
    if (hasOwnProfile(user.role)) {
        try {
            parts.push(profileCard(ctx, await ctx.api.readProfile(user.enterpriseId)));
        } catch (error) {
            parts.push(card('Credit profile', errorPanel(error)));
        }
    }
    parts.push(await roleSummary(ctx));
    const users = enrolledUsersCard(ctx, user.enterpriseId);
    if (users) {
        parts.push(users);
    }
    // The shell keeps #dashboard-events live as events arrive.
    parts.push(card('Recent events', h('div', { id: 'dashboard-events' }, eventList(ctx.events.slice(0, 10), ctx.directory))));
    return h('div', null, parts);
}

/** The credit lines a core enterprise can issue under now: its own, ACTIVE and not past their expiry by the ledger's time `now`. */
export function usableCreditLines<L extends Pick<CreditLine, 'coreEnterpriseId' | 'status' | 'expiresAt'>>(lines: readonly L[], coreEnterpriseId: string, now: Date): L[] {
    return lines.filter((l) => l.coreEnterpriseId === coreEnterpriseId && l.status === 'ACTIVE' && !creditLineExpired(l, now));
}

/** Why the regulator cannot void an asset's record now (a pledge of it is requested or active), or undefined. */
export function voidBlocker(asset: Pick<IpAsset, 'id'>, pledges: readonly Pick<IpPledge, 'id' | 'assetId' | 'status'>[]): string | undefined {
    const open = pledges.find((p) => p.assetId === asset.id && (p.status === 'REQUESTED' || p.status === 'ACTIVE'));
    return open ? `A pledge of this asset is ${open.status === 'ACTIVE' ? 'active' : 'requested'} (${open.id}): the record can be voided once it is released, rejected or cancelled.` : undefined;
}

async function roleSummary(ctx: AppContext): Promise<Node> {
    const user = ctx.user;
    if (!user) {
        return h('span');
    }
    try {
        if (user.role === 'supplier' || user.role === 'financier') {
            const notes = await ctx.api.listNotes(user.enterpriseId);
            const totals = new Map<string, bigint>();
            for (const n of notes) {
                totals.set(n.currency, (totals.get(n.currency) ?? 0n) + BigInt(n.amount));
            }
            return card('Holdings', h('p', null, notes.length === 0 ? 'No notes held.' : [`${notes.length} note${notes.length === 1 ? '' : 's'} · `, [...totals].map(([c, a]) => h('strong', null, formatMoney(a, c), ' '))]), h('a', { href: user.role === 'supplier' ? '#/notes' : '#/portfolio' }, 'Details →'));
        }
        if (user.role === 'core-enterprise') {
            const lines = usableCreditLines(await ctx.api.listCreditLines(user.enterpriseId), user.enterpriseId, ctx.now());
            return card(
                'Credit lines',
                table(
                    ['Financier', 'Remaining'],
                    lines.map((l) => [langText(ctx.directory.name(l.financierId)), formatMoney(l.remaining, l.currency)]),
                    'No active credit line.',
                ),
                h('a', { href: '#/exposure' }, 'Exposure map →'),
            );
        }
        if (user.role === 'regulator') {
            const warnings = await ctx.api.listWarnings('YELLOW');
            return card('Warnings (yellow or red)', warningTable(ctx, warnings), h('a', { href: '#/warnings' }, 'All warnings →'));
        }
    } catch (error) {
        return card('Summary', errorPanel(error));
    }
    return h('span');
}

/** A list of ledger events; `currencyOfRoot` gives the currency of a root note (for redemptions recorded without one). */
export function eventList(events: readonly LedgerEvent[], directory: Directory, currencyOfRoot?: (rootId: string) => string | undefined): HTMLElement {
    if (events.length === 0) {
        return h('p', { class: 'empty' }, 'No events yet. They appear here as they are committed.');
    }
    return h(
        'ol',
        { class: 'events' },
        events.map((event) => h('li', { 'data-event': event.name }, h('strong', null, eventTitle(event.name, event.data)), ' ', h('small', { class: 'muted' }, langText(eventSummary(event.data, (id) => directory.name(id), currencyOfRoot))))),
    );
}

/** Warning levels, the gravest first. */
const WARNING_LEVELS = ['RED', 'YELLOW', 'BLUE', 'NONE'];

/** Warnings, the gravest first: by level, then the lowest score. */
function warningTable(ctx: AppContext, warnings: { enterpriseId: string; warning: string; warningRules: string[]; score: number }[]): HTMLElement {
    return orderedTable(
        orderItems(warnings, (w) => w.score, 'ascending'),
        {
            id: 'warnings',
            columns: [
                { header: 'Enterprise', sortBy: (w) => ctx.directory.name(w.enterpriseId) },
                { header: 'Level', sortBy: (w) => statusRank(WARNING_LEVELS, w.warning) },
                { header: 'Score', sortBy: (w) => w.score },
                { header: 'Rules', sortBy: (w) => w.warningRules.length },
            ],
            row: (w) => [
                h('a', { href: `#/enterprises/${encodeURIComponent(w.enterpriseId)}` }, langText(ctx.directory.name(w.enterpriseId))),
                h('span', { class: `warning warning-${w.warning.toLowerCase()}` }, humanizeCode(w.warning)),
                `${w.score}`,
                w.warningRules.map(humanizeCode).join(', '),
            ],
            order: { column: 'Level', direction: 'ascending' },
            empty: 'No enterprise at this level.',
        },
    );
}

/** The kinds of enterprise that are scored (chaincode profile CREDIT_SUBJECT_KINDS): only they can have a recorded profile. */
const CREDIT_SUBJECT_KINDS: readonly Enterprise['kind'][] = ['SUPPLIER', 'CORE_ENTERPRISE'];

/**
 * The credit subjects with no recorded profile: ListWarnings lists recorded profiles only, while an
 * enterprise no credit event has touched stands at the base profile (score 600, warning NONE),
 * which the ledger does not store (docs/credit-scoring.md).
 */
export function unrecordedSubjects<E extends Pick<Enterprise, 'id' | 'kind'>>(enterprises: readonly E[], warnings: readonly Pick<WarningEntry, 'enterpriseId'>[]): E[] {
    const recorded = new Set(warnings.map((w) => w.enterpriseId));
    return enterprises.filter((e) => CREDIT_SUBJECT_KINDS.includes(e.kind) && !recorded.has(e.id));
}

/**
 * Regulator: warnings at a chosen level or worse. "All profiles" also says which credit subjects
 * have no recorded profile yet (they stand at the base score, with no warning).
 */
export async function warningsView(ctx: AppContext): Promise<Node> {
    const level = (ctx.params.level ?? 'BLUE') as 'RED' | 'YELLOW' | 'BLUE' | 'NONE';
    const [warnings, enterprises] = await Promise.all([ctx.api.listWarnings(level), level === 'NONE' ? ctx.api.listEnterprises() : Promise.resolve([] as Enterprise[])]);
    const chooser = select(
        'level',
        [
            ['RED', 'Red'],
            ['YELLOW', 'Yellow or worse'],
            ['BLUE', 'Blue or worse'],
            ['NONE', 'All profiles'],
        ],
        {},
        level,
    );
    chooser.addEventListener('change', () => ctx.navigate(`/warnings?level=${chooser.value}`));
    const base = level === 'NONE' ? unrecordedSubjects(enterprises, warnings) : [];
    const baseNote =
        base.length === 0
            ? null
            : h(
                  'p',
                  { class: 'hint', id: 'base-profiles' },
                  `${base.length} ${base.length === 1 ? 'enterprise has' : 'enterprises have'} no recorded credit events and ${base.length === 1 ? 'stands' : 'stand'} at the base score of 600 with no warning, so ${base.length === 1 ? 'it is' : 'they are'} not listed above: `,
                  base.map((e, i) => [i > 0 ? ', ' : '', h('a', { href: `#/enterprises/${encodeURIComponent(e.id)}` }, langText(e.name))]),
                  '.',
              );
    return h('div', null, h('h1', null, 'Credit warnings'), card('Warnings', field('Level', chooser), warningTable(ctx, warnings), baseNote));
}

/** The enterprises the regulator's list shows for a status filter: all, the frozen ones, or the active ones. */
export function enterprisesWithStatus<E extends Pick<Enterprise, 'status'>>(enterprises: readonly E[], status: string | undefined): E[] {
    return status === 'FROZEN' || status === 'ACTIVE' ? enterprises.filter((e) => e.status === status) : [...enterprises];
}

/** Regulator: every enterprise, with links to its profile, audit pack and freeze; how many are frozen, and a filter by status. */
export async function enterprisesView(ctx: AppContext): Promise<Node> {
    const all = await ctx.api.listEnterprises();
    const status = ctx.params.status === 'FROZEN' || ctx.params.status === 'ACTIVE' ? ctx.params.status : '';
    const shown = enterprisesWithStatus(all, status);
    const frozen = all.filter((e) => e.status === 'FROZEN').length;
    const chooser = select(
        'status',
        [
            ['', `All (${all.length})`],
            ['FROZEN', `Frozen (${frozen})`],
            ['ACTIVE', `Active (${all.length - frozen})`],
        ],
        { id: 'enterprise-status' },
        status,
    );
    chooser.addEventListener('change', () => ctx.navigate(chooser.value ? `/enterprises?status=${chooser.value}` : '/enterprises'));
    return h(
        'div',
        null,
        h('h1', null, 'Enterprises'),
        h('p', { class: 'summary', id: 'frozen-count' }, frozen === 0 ? 'No enterprise is frozen.' : [h('strong', null, String(frozen)), ` of ${all.length} ${all.length === 1 ? 'enterprise is' : 'enterprises are'} frozen.`]),
        card(
            'Registered',
            field('Status', chooser),
            // By name; the status filter above is the page's own (it is in the address, to link to the frozen ones).
            orderedTable(shown, {
                id: 'enterprises',
                columns: [
                    { header: 'Name', sortBy: (e) => e.name },
                    { header: 'Id', sortBy: (e) => e.id },
                    { header: 'Kind', sortBy: (e) => humanizeCode(e.kind) },
                    { header: 'Country', sortBy: (e) => e.country },
                    { header: 'Status', sortBy: (e) => e.status },
                ],
                row: (e) => [
                    h('a', { href: `#/enterprises/${encodeURIComponent(e.id)}` }, langText(e.name)),
                    h('code', null, e.id),
                    humanizeCode(e.kind),
                    e.country,
                    h('span', null, badge(e.status), e.statusReason ? h('small', { class: 'muted' }, ` ${e.statusReason}`) : null),
                ],
                order: { column: 'Name', direction: 'ascending' },
                empty: status === 'FROZEN' ? 'No enterprise is frozen.' : 'None.',
            }),
        ),
    );
}

/** Regulator: one enterprise — profile, warnings, audit pack export, freeze / unfreeze. */
export async function enterpriseDetailView(ctx: AppContext): Promise<Node> {
    const id = ctx.params.id ?? '';
    const enterprise = await ctx.api.readEnterprise(id);
    const parts: Node[] = [h('h1', null, langText(enterprise.name)), h('p', null, h('code', null, enterprise.id), ` · ${humanizeCode(enterprise.kind)} · ${enterprise.country} · `, badge(enterprise.status), enterprise.statusReason ? ` ${enterprise.statusReason}` : '')];
    try {
        parts.push(profileCard(ctx, await ctx.api.readProfile(id)));
    } catch (error) {
        parts.push(card('Credit profile', errorPanel(error)));
    }
    if (enterprise.kind === 'CORE_ENTERPRISE') {
        parts.push(h('p', null, h('a', { href: `#/exposure/${encodeURIComponent(id)}` }, 'Exposure map →')));
    }
    const reason = h('input', { name: 'reason', placeholder: 'Reason (recorded on the ledger)', 'aria-label': `Reason to ${enterprise.status === 'FROZEN' ? 'unfreeze' : 'freeze'} ${enterprise.name}`, autocomplete: 'off' });
    const frozen = enterprise.status === 'FROZEN';
    const why = (): string => requiredReason(reason, 'Give the reason.');
    const action = frozen
        ? actionButton(ctx, 'Unfreeze enterprise', async () => ctx.api.unfreezeEnterprise(id, why()), { progress: 'Unfreezing…', success: 'Enterprise unfrozen.' })
        : confirmButton(
              ctx,
              'Freeze enterprise',
              () => `Freeze ${enterprise.name}? Until the regulator lifts the freeze it can neither move nor receive anything on the platform. Reason recorded: “${reason.value.trim()}”.`,
              async () => ctx.api.freezeEnterprise(id, why()),
              { progress: 'Freezing…', success: 'Enterprise frozen.', check: () => void why() },
              { class: 'danger' },
          );
    // Enter in the reason box does what the button does (for a freeze: asks first; Enter again confirms).
    submitOnEnter(reason, () => freezeCard.querySelector<HTMLButtonElement>('.confirm button.danger') ?? freezeCard.querySelector<HTMLButtonElement>('button:not([hidden]):not(.copy-id)'));
    const freezeCard = card(
        frozen ? 'Unfreeze' : 'Freeze',
        h('p', { class: 'muted' }, frozen ? 'The enterprise can neither move nor receive anything while frozen.' : 'Freezing stops the enterprise from moving or receiving anything.'),
        reason,
        ' ',
        action,
    );
    const auditOut = transient(h('div', { id: 'audit-result' }));
    const auditCard = card(
        'Audit pack',
        h('p', { class: 'muted' }, 'Every record of the enterprise with its history and transaction ids, with a digest.'),
        actionButton(
            ctx,
            'Export audit pack',
            async () => {
                const pages = [];
                let bookmark = '';
                do {
                    const page = await ctx.api.auditPack(id, bookmark);
                    pages.push(page);
                    bookmark = page.nextBookmark;
                } while (bookmark !== '' && pages.length < 50);
                // A record whose history spans pages has one part on each; count it once, by its first part.
                const records = pages.flatMap((p) => p.records).filter((r) => r.historyStart === 0);
                const blob = new Blob([JSON.stringify({ enterpriseId: id, pages }, null, 2)], { type: 'application/json' });
                auditOut.textContent = '';
                auditOut.append(
                    h('p', null, `${records.length} of ${pages[0].totalRecords} records in ${pages.length} page(s); first page digest `, idText(pages[0].digest)),
                    h('a', { href: URL.createObjectURL(blob), download: `audit-${id}.json` }, 'Download audit pack (JSON)'),
                    table(
                        ['Type', 'Id', 'Versions'],
                        records.slice(0, 30).map((r) => [r.type, idText(r.id), `${r.historyTotal}`]),
                    ),
                );
            },
            { progress: 'Exporting the audit pack…', rerender: false },
        ),
        auditOut,
    );
    parts.push(freezeCard, auditCard);
    const users = enrolledUsersCard(ctx, id);
    if (users) {
        parts.push(users);
    }
    if (enterprise.kind === 'SUPPLIER' || enterprise.kind === 'CORE_ENTERPRISE') {
        parts.push(await ipRecordsCard(ctx, id));
    }
    return h('div', null, parts);
}

/**
 * The identities the platform enrolled for an enterprise's users, as the ledger recorded them
 * (GET /enterprises/{id}/users): user name, role, when, and the certificate's fingerprint (the one
 * an audit pack's history names as creator). Undefined — nothing is requested — for a caller the
 * gateway would refuse (only the regulator, the platform admin and the enterprise's own users may read it).
 */
export function enrolledUsersCard(ctx: AppContext, enterpriseId: string): HTMLElement | undefined {
    if (!mayReadEnterpriseUsers(ctx.user, enterpriseId)) {
        return undefined;
    }
    return deferredCard('Enrolled users', { id: 'enrolled-users' }, async () => {
        const enrolments = await ctx.api.listEnterpriseUsers(enterpriseId);
        return h(
            'div',
            null,
            h('p', { class: 'muted' }, 'The ledger identities the platform enrolled for this enterprise’s users. A certificate fingerprint in an audit pack names one of them.'),
            table(
                ['User', 'Role', 'Enrolled at', 'Certificate (SHA-256)'],
                enrolments.map((e) => [h('span', { 'data-username': e.username }, e.username), roleName(e.role), formatDateTime(e.recordedAt), idText(e.certificateFingerprint)]),
                'No users enrolled yet.',
                { class: 'enrolled-users' },
            ),
        );
    });
}

/**
 * The IP records an enterprise is named owner of, with the regulator's remedy for a contested one:
 * voiding it (the ledger refuses while a pledge of it is requested or active), which frees its
 * registry number for the right's real owners.
 */
async function ipRecordsCard(ctx: AppContext, enterpriseId: string): Promise<HTMLElement> {
    let assets: IpAsset[];
    let pledges: IpPledge[] | undefined;
    try {
        [assets, pledges] = await Promise.all([ctx.api.listIpAssets(enterpriseId), ctx.api.listPledges(enterpriseId).catch(() => undefined)]);
    } catch (error) {
        return card('IP records', errorPanel(error));
    }
    const voidCell = (asset: IpAsset): Node | string => {
        if (assetStanding(asset).state === 'VOIDED' || assetStanding(asset).state === 'DECLINED') {
            return '';
        }
        // The ledger refuses to void a record while a pledge of it is requested or active: say so instead of offering it.
        const blocker = pledges ? voidBlocker(asset, pledges) : undefined;
        if (blocker) {
            return h(
                'span',
                { class: 'void-record not-yet' },
                h('button', { type: 'button', class: 'danger', disabled: true, title: blocker, 'aria-disabled': 'true' }, 'Void record'),
                h('small', { class: 'muted not-yet-hint' }, ` ${blocker}`),
            );
        }
        const reason = h('input', { name: 'reason', placeholder: 'Why the record is void', 'aria-label': `Reason to void ${asset.title}`, autocomplete: 'off' });
        const why = (): string => requiredReason(reason, 'Give the reason.');
        return h(
            'span',
            { class: 'void-record' },
            reason,
            ' ',
            confirmButton(
                ctx,
                'Void record',
                () => `Void the record of ${asset.title} (${asset.displayRegistryNumber ?? asset.registryNumber})? It stays readable, no longer counts, and the right may be registered again. Reason recorded: “${reason.value.trim()}”.`,
                async () => ctx.api.voidIpAsset(asset.id, why()),
                { progress: 'Voiding…', success: 'Record voided.', check: () => void why() },
                { class: 'danger' },
            ),
        );
    };
    return card(
        'IP records',
        h('p', { class: 'muted' }, 'Rights this enterprise is named owner of. A contested record can be voided once no pledge of it is requested or active.'),
        table(
            ['Asset', 'Title', 'Registry no.', 'Standing', ''],
            assets.map((a) => [idText(a.id), langText(a.title), a.displayRegistryNumber ?? a.registryNumber, standingCell(ctx, a), voidCell(a)]),
            'No IP records.',
            { id: 'ip-records' },
        ),
    );
}
