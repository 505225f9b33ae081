/**
 * A few DOM helpers instead of a framework: `h` builds elements, `svg` builds SVG elements.
 * Text always goes in as text nodes, never as HTML, so ledger data cannot inject markup.
 */

export type Child = Node | string | number | null | undefined | false | Child[];

export type Attributes = Record<string, string | number | boolean | null | undefined | EventListener | ((event: never) => void)>;

function append(parent: Node, children: Child[]): void {
    for (const child of children) {
        if (child === null || child === undefined || child === false) {
            continue;
        }
        if (Array.isArray(child)) {
            append(parent, child);
        } else if (typeof child === 'string' || typeof child === 'number') {
            parent.appendChild(document.createTextNode(String(child)));
        } else {
            parent.appendChild(child);
        }
    }
}

function apply(element: Element, attributes: Attributes | undefined): void {
    for (const [name, value] of Object.entries(attributes ?? {})) {
        if (value === null || value === undefined || value === false) {
            continue;
        }
        if (name.startsWith('on') && typeof value === 'function') {
            element.addEventListener(name.slice(2).toLowerCase(), value as EventListener);
        } else if (value === true) {
            element.setAttribute(name, '');
        } else if (name === 'value' && 'value' in element) {
            (element as HTMLInputElement).value = String(value);
        } else {
            element.setAttribute(name, String(value));
        }
    }
}

/** Creates an HTML element with attributes (on* names attach listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Attributes | null, ...children: Child[]): HTMLElementTagNameMap[K] {
    const element = document.createElement(tag);
    apply(element, attributes ?? undefined);
    append(element, children);
    return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes?: Attributes | null, ...children: Child[]): SVGElementTagNameMap[K] {
    const element = document.createElementNS(SVG_NS, tag);
    apply(element, attributes ?? undefined);
    append(element, children);
    return element;
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
    parent.textContent = '';
    append(parent, children);
}
