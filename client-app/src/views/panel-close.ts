import type { AppContext } from './context';
import { button } from './ui';

/**
 * "Close" for a panel opened in `slot` (split, transfer, discount, a credit line's changes): empties
 * the slot. While a panel is open the shell leaves the page as it is and says there is news
 * (#live-notice); once it is closed nothing of the user's is lost, so the page is refreshed then.
 */
export function closePanelButton(ctx: AppContext, slot: Element): HTMLButtonElement {
    return button(
        'Close',
        () => {
            slot.textContent = '';
            if (document.getElementById('live-notice')) {
                void ctx.rerender();
            }
        },
        { class: 'close-panel', 'data-action': 'close-panel' },
    );
}
