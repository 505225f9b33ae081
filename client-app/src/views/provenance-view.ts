import { ApiError } from '../api-client';
import { h, svg } from '../dom';
import { readableDetail } from '../error-messages';
import { CHINESE, containsHan, formatMinorUnits, exponentOf, formatMoney, langText, shortId } from '../format';
import type { AppContext } from './context';
import { TreeNode, fitText, layoutTree, loadProvenanceTree, textMeasure } from './provenance-tree';
import { card, errorPanel, idText } from './ui';

const NODE_W = 168;
const NODE_H = 62;
const GAP_X = 24;
const GAP_Y = 46;
const PAD = 16;

/** Everyone entitled: the provenance tree of a note, root to leaves, drawn as SVG. */
export async function provenanceView(ctx: AppContext): Promise<Node> {
    const noteId = ctx.params.id ?? '';
    const input = h('input', { name: 'noteId', value: noteId, placeholder: 'Note id, e.g. N-5bbd01cfa515300725fd89b1', 'aria-label': 'Note id', autocomplete: 'off', spellcheck: 'false' });
    const problem = h('p', { class: 'hint bad', id: 'note-id-problem', 'aria-live': 'polite' });
    const form = h('form', { class: 'inline', id: 'provenance-form' }, input, h('button', { type: 'submit' }, 'Show'));
    /** Says what is wrong with the id typed (or linked) under the field, which is marked invalid and described by it; nothing: clears it. */
    const say = (text: string | undefined, focus: boolean): void => {
        problem.textContent = text ?? '';
        if (text) {
            input.setAttribute('aria-invalid', 'true');
            input.setAttribute('aria-describedby', problem.id);
            if (focus) {
                input.focus();
            }
        } else {
            input.removeAttribute('aria-invalid');
            input.removeAttribute('aria-describedby');
        }
    };
    form.addEventListener('submit', (event) => {
        event.preventDefault();
        const typed = input.value.trim();
        say(undefined, false);
        if (typed.includes('…') || typed.includes('...')) {
            // A shortened id ("N-799f7607…faf") cannot be looked up: the middle is missing.
            say('That is a shortened id: its middle is missing. Copy the full id with the copy button next to an id (copying the shortened text copies the full id too), or open the note from a list.', true);
            return;
        }
        const idProblem = typed ? noteIdProblem(typed) : undefined;
        if (idProblem) {
            say(idProblem, true);
            return;
        }
        if (typed) {
            ctx.navigate(`/provenance/${encodeURIComponent(typed)}`);
        }
    });
    const parts: Node[] = [h('h1', null, langText('Provenance (信用穿透)')), form, problem];
    const linkProblem = noteId === '' ? undefined : noteIdProblem(noteId);
    if (linkProblem) {
        // A link with a mangled id: say so in words, without asking the gateway.
        say(linkProblem, false);
        return h('div', null, parts);
    }
    if (noteId === '') {
        parts.push(h('p', { class: 'muted' }, 'Enter a note id, or open one from a list, to see how it descends from the note the core enterprise issued.'));
        return h('div', null, parts);
    }
    try {
        const tree = await loadProvenanceTree(ctx.api, noteId, { reader: ctx.user });
        const proof = tree.provenance.proof;
        parts.push(
            card(
                'Tree',
                h(
                    'p',
                    null,
                    langText(`Root issued by ${ctx.directory.name(proof.issuerId)}`),
                    ` · face ${formatMoney(proof.faceAmount, proof.currency)} · outstanding ${formatMoney(proof.outstandingAmount, proof.currency)} · redeemed ${formatMoney(proof.redeemedAmount, proof.currency)} · matures ${proof.maturityDate} · `,
                    h('strong', { class: proof.balanced ? 'ok' : 'bad', id: 'conservation' }, proof.balanced ? '✓ amounts add up' : '✗ amounts do not add up'),
                ),
                drawTree(ctx, tree.root, tree.focusId, proof.currency),
                h('p', { class: 'legend' }, ['ACTIVE', 'LOCKED', 'SPENT', 'REDEEMED', 'ESCROWED'].map((s) => h('span', { class: `legend-item status-${s.toLowerCase()}` }, s.toLowerCase())), h('span', { class: 'legend-item hidden' }, 'not visible to you')),
                tree.truncated ? h('p', { class: 'muted' }, 'Large tree: some branches are not drawn.') : null,
            ),
            card(
                'Chain to the root',
                h(
                    'ol',
                    { class: 'chain' },
                    [...tree.provenance.chain].reverse().map((hop) => h('li', null, idText(hop.id), ' ', langText(ctx.directory.name(hop.holderId)), ` · ${formatMoney(hop.amount, proof.currency)} · tier ${hop.tier} · ${hop.origin.toLowerCase()} · ${hop.status.toLowerCase()}`)),
                ),
            ),
        );
    } catch (error) {
        parts.push(errorPanel(namingOwnEnterprise(ctx, error)));
    }
    return h('div', null, parts);
}

/** A refusal whose detail names the caller's own enterprise by its name rather than its id (the ledger names the reader by id). */
function namingOwnEnterprise(ctx: AppContext, error: unknown): unknown {
    const own = ctx.user?.enterpriseId;
    if (!(error instanceof ApiError) || own === undefined) {
        return error;
    }
    const detail = readableDetail(error.detail, { enterpriseName: (id) => (id === own ? ctx.directory.get(id)?.name : undefined) });
    return new ApiError({ status: error.status, code: error.code, title: error.title, detail, txId: error.txId, retryAfterSeconds: error.retryAfterSeconds });
}

/** The gateway's record id pattern: 1 to 128 letters, digits, dots, underscores, colons or hyphens, starting with a letter or digit. */
const RECORD_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** What is wrong with a typed note id, in words, or undefined. */
export function noteIdProblem(typed: string): string | undefined {
    if (RECORD_ID.test(typed)) {
        return undefined;
    }
    if (typed.length > 128) {
        return 'That is too long for a note id. Copy the id with the copy button next to a note, or open the note from a list.';
    }
    return `"${typed}" is not a note id: a note id looks like N-5bbd01cfa515300725fd89b1 (letters, digits and hyphens, no spaces). Copy it with the copy button next to a note, or open the note from a list.`;
}

function drawTree(ctx: AppContext, root: TreeNode, focusId: string, currency: string): Element {
    const { placed, width, depth } = layoutTree(root);
    const pixelX = (slot: number): number => PAD + slot * (NODE_W + GAP_X);
    const pixelY = (row: number): number => PAD + row * (NODE_H + GAP_Y);
    const totalW = PAD * 2 + width * NODE_W + Math.max(0, width - 1) * GAP_X;
    const totalH = PAD * 2 + depth * NODE_H + Math.max(0, depth - 1) * GAP_Y;
    const byId = new Map(placed.map((p) => [p.node.id, p]));
    const edges = placed
        .filter((p) => p.parentId !== undefined)
        .map((p) => {
            const parent = byId.get(p.parentId as string);
            if (!parent) {
                return null;
            }
            const x1 = pixelX(parent.x) + NODE_W / 2;
            const y1 = pixelY(parent.depth) + NODE_H;
            const x2 = pixelX(p.x) + NODE_W / 2;
            const y2 = pixelY(p.depth);
            const midY = (y1 + y2) / 2;
            return svg('path', { d: `M${x1},${y1} C${x1},${midY} ${x2},${midY} ${x2},${y2}`, class: 'edge', 'aria-hidden': 'true' });
        });
    const exponent = exponentOf(currency);
    // SVG text neither wraps nor clips: each label is fitted to the box in the font it is drawn in.
    const family = getComputedStyle(document.documentElement).fontFamily;
    const room = NODE_W - 22;
    const [holderWidth, amountWidth, metaWidth] = [textMeasure(`700 12px ${family}`), textMeasure(`12px ${family}`), textMeasure(`11px ${family}`)];
    const nodes = placed.map((p) => {
        const n = p.node;
        const x = pixelX(p.x);
        const y = pixelY(p.depth);
        const status = n.hidden ? 'hidden' : (n.status ?? 'unknown').toLowerCase();
        const label = n.hidden ? 'not visible to you' : ctx.directory.name(n.holderId);
        const amount = n.amount ? `${currency} ${formatMinorUnits(n.amount, exponent)}` : shortId(n.id, 14);
        const name = `${n.id === focusId ? 'This note: ' : ''}${label}${n.amount ? `, ${formatMoney(n.amount, currency)}` : ''}${n.status ? `, ${n.status.toLowerCase()}` : ''}${n.tier !== undefined ? `, tier ${n.tier}` : ''} (note ${n.id})`;
        const nodeClass = `node status-${status}${n.id === focusId ? ' focus' : ''}`;
        // A note the reader may not read links nowhere: its page would only refuse them.
        const link = svg(
            n.readable === false ? 'g' : 'a',
            n.readable === false
                ? { class: `${nodeClass} unlinked`, 'data-note-id': n.id, role: 'img', 'aria-label': `${name}; not yours to open` }
                : { href: `#/provenance/${encodeURIComponent(n.id)}`, class: nodeClass, 'data-note-id': n.id, 'aria-label': name, tabindex: 0 },
            svg('title', null, `${n.id}\n${label}${n.amount ? `\n${formatMoney(n.amount, currency)}` : ''}${n.status ? `\n${n.status}` : ''}`),
            svg('rect', { x, y, width: NODE_W, height: NODE_H, rx: 8 }),
            svg('text', { x: x + 10, y: y + 18, class: 'holder', ...(containsHan(label) ? { lang: CHINESE } : {}) }, fitText(label, room, holderWidth)),
            // An amount is never cut: a long one is drawn narrower to fit.
            svg('text', { x: x + 10, y: y + 36, class: 'amount', ...(amountWidth(amount) > room ? { textLength: room, lengthAdjust: 'spacingAndGlyphs' } : {}) }, amount),
            svg('text', { x: x + 10, y: y + 53, class: 'meta' }, fitText(n.hidden ? shortId(n.id, 14) : `${(n.status ?? '').toLowerCase()} · tier ${n.tier ?? '?'}`, room, metaWidth)),
        );
        return link;
    });
    return h(
        'div',
        { class: 'tree-scroll' },
        svg('svg', { xmlns: 'http://www.w3.org/2000/svg', width: totalW, height: totalH, viewBox: `0 0 ${totalW} ${totalH}`, class: 'provenance-tree', id: 'provenance-tree', role: 'group', 'aria-label': `Provenance tree: ${placed.length} note${placed.length === 1 ? '' : 's'}, root first; each note you may read links to its own tree` }, edges, nodes),
    );
}
