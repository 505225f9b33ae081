import { h } from '../dom';
import { addDays, parseMajorUnits } from '../format';
import type { IpAsset, IpPledge } from '../resources';
import type { AppContext } from './context';
import { CURRENCIES } from './receivables-view';
import { InputError, badge, card, field, formValue, idText, money, requiredValue, select, table } from './ui';
import { actionButton, actionForm, grid } from './view-kit';

const KINDS: [IpAsset['kind'], string][] = [
    ['PATENT', 'Patent'],
    ['TRADEMARK', 'Trademark'],
    ['COPYRIGHT', 'Copyright'],
    ['SOFTWARE_COPYRIGHT', 'Software copyright'],
];

/** Supplier (or core enterprise): IP assets it owns, pledges it requested, and forms for both. */
export async function ipView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const [assets, pledges] = await Promise.all([ctx.api.listIpAssets(me), ctx.api.listPledges(me)]);
    return h(
        'div',
        null,
        h('h1', null, 'IP assets and pledges'),
        card(
            'My IP assets',
            table(
                ['Asset', 'Kind', 'Registry no.', 'Title', 'Expires', 'Valuation'],
                assets.map((a) => [idText(a.id), a.kind.replace('_', ' ').toLowerCase(), a.registryNumber, a.title, a.expiryDate, a.valuation ? money(a.valuation.amount, a.valuation.currency) : h('span', { class: 'muted' }, 'not valued yet')]),
                'No IP assets registered.',
                { id: 'ip-assets' },
            ),
        ),
        card(
            'My pledges',
            table(
                ['Pledge', 'Asset', 'Pledgee', 'Secured', 'Term', 'Status', ''],
                pledges.filter((p) => p.pledgorId === me || p.coOwnerIds.includes(me)).map((p) => [idText(p.id), idText(p.assetId), ctx.directory.name(p.pledgeeId), money(p.securedAmount, p.currency), `${p.termStart} → ${p.termEnd}`, badge(p.status), pledgorActions(ctx, p, me)]),
                'No pledges yet.',
                { id: 'my-pledges' },
            ),
        ),
        registerAssetForm(ctx, me),
        assets.length > 0 ? pledgeForm(ctx, assets) : null,
    );
}

function pledgorActions(ctx: AppContext, p: IpPledge, me: string): HTMLElement | string {
    if (p.status !== 'REQUESTED') {
        return '';
    }
    const needsConsent = p.coOwnerIds.includes(me) && !p.consents.some((c) => c.enterpriseId === me);
    return h(
        'span',
        { class: 'actions' },
        needsConsent ? actionButton(ctx, 'Consent', () => ctx.api.pledgeAction(p.id, 'consent'), { progress: 'Recording your consent…', success: 'Consent recorded.' }) : null,
        p.pledgorId === me ? actionButton(ctx, 'Cancel', () => ctx.api.pledgeAction(p.id, 'cancel'), { progress: 'Cancelling the pledge request…', success: 'Pledge request cancelled.' }) : null,
    );
}

function registerAssetForm(ctx: AppContext, me: string): HTMLElement {
    const form = actionForm(ctx, {
        attributes: { class: 'card', id: 'register-ip' },
        title: 'Register an IP asset',
        content: [
            grid(
                field('Kind', select('kind', KINDS)),
                field('Registry number', h('input', { name: 'registryNumber', autocomplete: 'off', placeholder: 'e.g. ZL202310123456.7' })),
                field('Title', h('input', { name: 'title', autocomplete: 'off' })),
                field('Right expires on', h('input', { name: 'expiryDate', type: 'date', value: addDays(new Date(), 3650) })),
            ),
        ],
        submit: 'Register asset',
        run: async (f) =>
            ctx.api.registerIpAsset({
                kind: requiredValue(f, 'kind', 'the kind') as IpAsset['kind'],
                registryNumber: requiredValue(f, 'registryNumber', 'the registry number'),
                title: requiredValue(f, 'title', 'the title'),
                ownerIds: [me],
                expiryDate: requiredValue(f, 'expiryDate', 'the expiry date'),
            }),
        options: { progress: 'Registering the asset…', success: 'IP asset registered. An appraiser can now value it.' },
    });
    return form;
}

function pledgeForm(ctx: AppContext, assets: IpAsset[]): HTMLElement {
    const today = new Date();
    const form = actionForm(ctx, {
        attributes: { class: 'card', id: 'request-pledge' },
        title: 'Pledge an asset for a loan',
        content: [
            grid(
                field('Asset', select('assetId', assets.map((a) => [a.id, `${a.title} (${a.registryNumber})`]))),
                field('Financier', select('pledgeeId', ctx.directory.ofKind('FINANCIER').map((e) => [e.id, e.name]))),
                field('Currency', select('currency', CURRENCIES)),
                field('Secured amount', h('input', { name: 'securedAmount', inputmode: 'decimal', autocomplete: 'off' })),
                field('Term starts', h('input', { name: 'termStart', type: 'date', value: addDays(today, 0) })),
                field('Term ends', h('input', { name: 'termEnd', type: 'date', value: addDays(today, 365) })),
            ),
        ],
        submit: 'Request pledge',
        run: async (f) => {
            const currency = requiredValue(f, 'currency', 'a currency');
            return ctx.api.requestPledge({
                assetId: requiredValue(f, 'assetId', 'an asset'),
                pledgeeId: requiredValue(f, 'pledgeeId', 'a financier'),
                securedAmount: parseMajorUnits(formValue(f, 'securedAmount'), currency),
                currency,
                termStart: requiredValue(f, 'termStart', 'the term start'),
                termEnd: requiredValue(f, 'termEnd', 'the term end'),
            });
        },
        options: { progress: 'Requesting the pledge…', success: 'Pledge requested. The financier decides.' },
    });
    return form;
}

/** Appraiser: values the IP assets of an owner, with the appraisal report stored as a document. */
export async function valuationsView(ctx: AppContext): Promise<Node> {
    const owners = ctx.directory.all().filter((e) => e.kind === 'SUPPLIER' || e.kind === 'CORE_ENTERPRISE');
    const ownerId = ctx.params.ownerId ?? owners[0]?.id ?? '';
    const chooser = select('ownerId', owners.map((e) => [e.id, e.name]));
    chooser.value = ownerId;
    chooser.addEventListener('change', () => ctx.navigate(`/valuations?ownerId=${encodeURIComponent(chooser.value)}`));
    const assets = ownerId ? await ctx.api.listIpAssets(ownerId) : [];
    const rows = assets.map((asset) => [idText(asset.id), asset.title, asset.registryNumber, asset.valuation ? money(asset.valuation.amount, asset.valuation.currency) : h('span', { class: 'muted' }, 'none'), valuationForm(ctx, asset)]);
    return h('div', null, h('h1', null, 'IP valuations'), card('Assets', field('Owner', chooser), table(['Asset', 'Title', 'Registry no.', 'Valuation', 'New valuation'], rows, 'This owner has no IP assets.', { id: 'valuation-assets' })));
}

function valuationForm(ctx: AppContext, asset: IpAsset): HTMLElement {
    const report = h('input', { type: 'file', name: 'report', 'aria-label': 'Appraisal report' });
    const form = actionForm(ctx, {
        attributes: { class: 'actions panel', 'data-asset-id': asset.id },
        content: [
            select('currency', CURRENCIES),
            h('input', { name: 'amount', inputmode: 'decimal', placeholder: 'Amount', 'aria-label': 'Amount' }),
            report,
        ],
        submit: 'Record valuation',
        run: async (f) => {
            const currency = requiredValue(f, 'currency', 'a currency');
            const amount = parseMajorUnits(formValue(f, 'amount'), currency);
            const file = report.files?.[0];
            if (!file) {
                throw new InputError('Attach the appraisal report.');
            }
            const stored = await ctx.api.uploadDocument(file, file.type || 'application/octet-stream');
            return ctx.api.reviseValuation(asset.id, { amount, currency, valuationDate: addDays(new Date(), 0), reportCid: stored.cid });
        },
        options: { progress: 'Storing the report and recording the valuation…', success: 'Valuation recorded.' },
    });
    return form;
}
