import { expect } from 'chai';
import { readFileSync } from 'fs';
import * as path from 'path';

/**
 * The colours of app.css measured as WCAG 2.2 does (relative luminance, contrast ratio): every
 * rule that draws text in a colour on a background of its own — badges, pills, warning levels,
 * chips, toasts, primary and danger buttons, the header's role pill — must reach 4.5:1 (AA for
 * normal text; badges are small and bold, so no large-text allowance applies).
 */

const CSS = readFileSync(path.join(__dirname, 'app.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

interface Rule {
    selectors: string[];
    declarations: Map<string, string>;
}

/** Every style rule, inside @media and @container blocks too (the innermost blocks: rules hold no braces). */
function rulesOf(css: string): Rule[] {
    return [...css.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map((match) => ({
        selectors: match[1].split(',').map((s) => s.trim()),
        declarations: new Map(
            match[2]
                .split(';')
                .map((part) => [part.slice(0, part.indexOf(':')).trim(), part.slice(part.indexOf(':') + 1).trim()] as [string, string])
                .filter(([name]) => name !== ''),
        ),
    }));
}

/** The named values of `:root` (custom properties). */
function variablesOf(rules: Rule[]): Map<string, string> {
    const root = rules.find((r) => r.selectors.includes(':root'));
    return new Map([...(root?.declarations ?? new Map<string, string>())].filter(([name]) => name.startsWith('--')));
}

type Rgba = [number, number, number, number];

/** A colour value (#rgb, #rrggbb, rgb(), rgba(), var()), or undefined for anything else (gradients, none). */
function colourOf(value: string | undefined, variables: Map<string, string>): Rgba | undefined {
    if (!value) {
        return undefined;
    }
    const v = value.replace(/var\((--[\w-]+)\)/g, (_, name: string) => variables.get(name) ?? '').trim();
    let match = /^#([0-9a-f]{3})$/i.exec(v);
    if (match) {
        return [...match[1]].map((c) => parseInt(c + c, 16)).concat(1) as Rgba;
    }
    match = /^#([0-9a-f]{6})$/i.exec(v);
    if (match) {
        return [0, 2, 4].map((i) => parseInt(match?.[1].slice(i, i + 2) ?? '', 16)).concat(1) as Rgba;
    }
    match = /^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(v);
    if (match) {
        return [Number(match[1]), Number(match[2]), Number(match[3]), match[4] === undefined ? 1 : Number(match[4])];
    }
    return undefined;
}

/** `top` drawn over the opaque `under`. */
function over(top: Rgba, under: Rgba): Rgba {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1) as Rgba;
}

function luminance([r, g, b]: Rgba): number {
    const channel = (c: number): number => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** The WCAG contrast ratio of two opaque colours. */
export function contrastRatio(a: Rgba, b: Rgba): number {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
}

/** Selectors of small coloured labels: badges, chips, warning levels, the header's role. */
const PILL = /(^|\s)\.(badge|chip|role|warning)(-[\w-]+)?$/;

describe('app.css colours', () => {
    const rules = rulesOf(CSS);
    const variables = variablesOf(rules);
    const white: Rgba = [255, 255, 255, 1];
    const declared = (selector: string, property: string): string | undefined => rules.find((r) => r.selectors.includes(selector) && r.declarations.has(property))?.declarations.get(property);
    // The header bar is what the translucent pills and text inside it are drawn on.
    const header = colourOf(declared('header.top', 'background'), variables) as Rgba;

    it('reads the rules, the custom properties and the header of the stylesheet', () => {
        expect(rules.length).to.be.greaterThan(100);
        expect(variables.get('--ink')).to.equal('#1d2433');
        expect(header).to.deep.equal([0xb3, 0x26, 0x1e, 1]);
        expect(contrastRatio([0, 0, 0, 1], white)).to.equal(21);
        // The WCAG example: #767676 on white is the lightest grey that passes AA.
        expect(contrastRatio(colourOf('#767676', variables) as Rgba, white)).to.be.within(4.5, 4.6);
    });

    it('draws every badge, pill, chip, warning level, toast and filled button at 4.5:1 or more', () => {
        const badge = rules.find((r) => r.selectors.includes('.badge'));
        const measured: string[] = [];
        const failing: string[] = [];
        for (const rule of rules) {
            const colour = rule.declarations.get('color');
            const background = rule.declarations.get('background') ?? rule.declarations.get('background-color');
            for (const selector of rule.selectors) {
                const isBadge = /\.badge(-[\w-]+)?$/.test(selector);
                const inHeader = selector.startsWith('.who') || selector.startsWith('header.top');
                // A badge's own rule may set one of the two, the other being the plain badge's; a pill that
                // sets no colour draws its text in the colour around it (the page's ink, the header's white).
                const inherited = PILL.test(selector) ? (inHeader ? 'var(--brand-ink)' : 'var(--ink)') : undefined;
                const fg = colourOf(colour ?? (isBadge ? badge?.declarations.get('color') : inherited), variables);
                const bgDeclared = colourOf(background ?? (isBadge ? badge?.declarations.get('background') : undefined), variables);
                if (!fg || !bgDeclared) {
                    continue;
                }
                const base = inHeader ? header : white;
                const bg = over(bgDeclared, base);
                const ratio = contrastRatio(over(fg, bg), bg);
                measured.push(selector);
                if (ratio < 4.5) {
                    failing.push(`${selector}: ${ratio.toFixed(2)}:1`);
                }
            }
        }
        expect(measured).to.include.members(['.badge-active', '.badge-spent', '.badge-locked', '.badge-redeemed', '.badge-disputed', '.badge-best', '.warning-blue', '.warning-none', '.chip', '.who .role', '.toast']);
        expect(failing).to.deep.equal([]);
    });

    it('gives the text beside the role pill in the header 4.5:1 or more', () => {
        const muted = colourOf(declared('.who .muted', 'color'), variables) as Rgba;
        expect(contrastRatio(over(muted, header), header)).to.be.at.least(4.5);
    });
});
