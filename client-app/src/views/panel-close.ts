import type { AppContext } from './context';
import { button, focusAfterAction } from './ui';

/** Slots that already close their panel on Escape (one listener per slot, however many panels it shows). */
const escapeReady = new WeakSet<Element>();

/**
 * "Close" for a panel opened in `slot` (split, transfer, discount, a credit line's changes): empties
 * the slot. While a panel is open the shell leaves the page as it is and says there is news
 * (#live-notice); once it is closed nothing of the user's is lost, so the page is refreshed then.
 *
 * Made while the panel opens, it remembers the control that had the keyboard focus then (the
 * button that opened it) and gives the focus back to it on close — or, when the page was refreshed
 * meanwhile, to the same control on the new page, else to the page's heading. Escape anywhere in
 * the panel closes it too.
 */
export function closePanelButton(ctx: AppContext, slot: Element): HTMLButtonElement {
    const active = document.activeElement;
    const opener = active instanceof HTMLElement && active !== document.body && !slot.contains(active) ? active : undefined;
    const signature = opener ? controlSignature(opener) : undefined;
    if (!escapeReady.has(slot)) {
        escapeReady.add(slot);
        slot.addEventListener('keydown', (event) => {
            const key = event as KeyboardEvent;
            if (key.key === 'Escape' && !key.isComposing && !key.defaultPrevented) {
                const close = slot.querySelector<HTMLButtonElement>('[data-action=close-panel]');
                if (close) {
                    key.preventDefault();
                    close.click();
                }
            }
        });
    }
    return button(
        'Close',
        () => {
            slot.textContent = '';
            if (document.getElementById('live-notice')) {
                void Promise.resolve(ctx.rerender()).then(() => focusOpener(opener, signature));
            } else {
                focusOpener(opener, signature);
            }
        },
        { class: 'close-panel', 'data-action': 'close-panel' },
    );
}

/** What tells a control from others on a page rendered anew: its tag, text and data-* attributes, and its place among those alike. */
interface ControlSignature {
    selector: string;
    text: string;
    index: number;
}

function controlSignature(element: HTMLElement): ControlSignature {
    const data = Array.from(element.attributes)
        .filter((a) => a.name.startsWith('data-'))
        .map((a) => `[${a.name}="${CSS.escape(a.value)}"]`)
        .join('');
    const selector = `${element.tagName.toLowerCase()}${data}`;
    const text = element.textContent ?? '';
    const alike = Array.from(document.querySelectorAll<HTMLElement>(selector)).filter((e) => (e.textContent ?? '') === text);
    return { selector, text, index: alike.indexOf(element) };
}

/** Focuses the control that opened the panel, its twin on a refreshed page, else the section's or page's heading. */
function focusOpener(opener: HTMLElement | undefined, signature: ControlSignature | undefined): void {
    let target = opener?.isConnected ? opener : undefined;
    if (!target && signature) {
        const alike = Array.from(document.querySelectorAll<HTMLElement>(signature.selector)).filter((e) => (e.textContent ?? '') === signature.text);
        target = alike[signature.index] ?? (alike.length === 1 ? alike[0] : undefined);
    }
    if (target && !(target as HTMLButtonElement).disabled && !target.hidden) {
        target.focus();
        return;
    }
    focusAfterAction(undefined);
}
