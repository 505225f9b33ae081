import { Child, h } from './dom';
import { humanizeCode } from './format';
import { select, table } from './views/ui';

/**
 * The order and the status filter of the app's main lists, the same everywhere: each list starts in
 * an order its table shows (notes by maturity, receivables by due date, offers newest first…);
 * a column header whose values can be ordered is a button that orders the rows by it, once
 * ascending, again descending, and its `<th>` says which with `aria-sort`; where a list mixes
 * statuses a "Status" select shows only those of one. Ordering and filtering move and hide the rows
 * already drawn (their buttons, typed reasons and open questions stay as they are), and the choice
 * is kept for the table's id while the app is open, so a page drawn again (a live refresh, after an
 * action) keeps it. Ties keep the list's starting order; empty values go last either way.
 */

/** What a column orders by: text (compared as people read numbers in it), a number, an amount, or several in turn. */
export type SortValue = string | number | bigint | boolean | null | undefined | readonly SortValue[];

export type SortDirection = 'ascending' | 'descending';

/** An order of a list: the header of the column it follows, and which way. */
export interface ListOrder {
    readonly column: string;
    readonly direction: SortDirection;
}

export interface ListColumn<T> {
    /** The header, also each cell's `data-label`; the key of the column in a `ListOrder`. */
    readonly header: string;
    /** The value the column orders by; omitted: the column cannot order the list. */
    readonly sortBy?: (item: T) => SortValue;
}

export interface ListSpec<T> {
    /** The table's id, under which the user's order and filter are kept. */
    readonly id: string;
    readonly columns: ReadonlyArray<ListColumn<T>>;
    /** An item's cells, one per column. */
    readonly row: (item: T) => Child[];
    /** The order the list starts in: one of the sortable columns. */
    readonly order: ListOrder;
    /** An item's status, for the filter; omitted: no filter. */
    readonly status?: (item: T) => string;
    /** The statuses in the order the filter offers them (a lifecycle's); others follow by name. */
    readonly statusOrder?: readonly string[];
    /** What the table says when there is nothing at all. */
    readonly empty: string;
    /** Further attributes of the `<table>` (its class, say). */
    readonly attributes?: Record<string, string>;
}

function isEmpty(value: SortValue): boolean {
    return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

const TEXT = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Compares two values of a column, ascending: numbers and amounts by size, text as people read it ("INV-9" before "INV-10"), tuples element by element. */
export function compareSortValues(a: SortValue, b: SortValue): number {
    if (isEmpty(a) || isEmpty(b)) {
        return isEmpty(a) === isEmpty(b) ? 0 : isEmpty(a) ? 1 : -1;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
        for (let i = 0; i < Math.min(a.length, b.length); i++) {
            const order = compareSortValues(a[i] as SortValue, b[i] as SortValue);
            if (order !== 0) {
                return order;
            }
        }
        return a.length - b.length;
    }
    if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
        return a < b ? -1 : a > b ? 1 : 0;
    }
    if (typeof a === 'boolean' && typeof b === 'boolean') {
        return Number(a) - Number(b);
    }
    return TEXT.compare(String(a), String(b));
}

/**
 * The items ordered by `sortBy` in `direction`; items with equal values keep their order, and
 * those with no value (undefined, null, '') come last in either direction.
 */
export function orderItems<T>(items: readonly T[], sortBy: (item: T) => SortValue, direction: SortDirection): T[] {
    const sign = direction === 'ascending' ? 1 : -1;
    return items
        .map((item, index) => ({ item, index, value: sortBy(item) }))
        .sort((a, b) => {
            if (isEmpty(a.value) !== isEmpty(b.value)) {
                return isEmpty(a.value) ? 1 : -1;
            }
            return sign * compareSortValues(a.value, b.value) || a.index - b.index;
        })
        .map((entry) => entry.item);
}

/** The statuses the items have, each with how many have it: in `statusOrder`, then the others by name. */
export function statusCounts<T>(items: readonly T[], status: (item: T) => string, statusOrder: readonly string[] = []): Array<{ status: string; count: number }> {
    const counts = new Map<string, number>();
    for (const item of items) {
        counts.set(status(item), (counts.get(status(item)) ?? 0) + 1);
    }
    const rank = (s: string): number => (statusOrder.includes(s) ? statusOrder.indexOf(s) : statusOrder.length);
    return [...counts].sort(([a], [b]) => rank(a) - rank(b) || TEXT.compare(a, b)).map(([s, count]) => ({ status: s, count }));
}

/** The items of one status; all of them for '' (no filter). */
export function itemsWithStatus<T>(items: readonly T[], status: (item: T) => string, chosen: string): T[] {
    return chosen === '' ? [...items] : items.filter((item) => status(item) === chosen);
}

/** The order after a click on `column`'s header: the other way round if the list follows it already, else ascending. */
export function nextOrder(current: ListOrder, column: string): ListOrder {
    return current.column === column ? { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' } : { column, direction: 'ascending' };
}

/** An amount as a column orders it: by currency, then by size (never CNY against JPY minor units). Undefined for no amount. */
export function moneyKey(amount: string | undefined, currency: string | undefined): SortValue {
    return amount === undefined || !/^-?\d+$/.test(amount) ? undefined : [currency ?? '', BigInt(amount)];
}

/**
 * The statuses of each kind of record in the order lists offer and sort them: what still needs
 * someone first, then how it ended (the chaincode's lifecycles; LAPSED is an offer past its expiry
 * that nobody has marked expired yet).
 */
export const STATUS_ORDERS = {
    note: ['ACTIVE', 'LOCKED', 'ESCROWED', 'SPENT', 'REDEEMED'],
    receivable: ['REGISTERED', 'DISPUTED', 'CONFIRMED', 'NOTED', 'SETTLED', 'CANCELLED'],
    offer: ['PENDING', 'LAPSED', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'CANCELLED', 'CLOSED'],
    creditLine: ['ACTIVE', 'EXPIRED', 'REVOKED'],
    discountRequest: ['OPEN', 'ACCEPTED', 'WITHDRAWN', 'CLOSED'],
    pledge: ['REQUESTED', 'ACTIVE', 'RELEASED', 'ENFORCED', 'REJECTED', 'DECLINED', 'CANCELLED'],
} as const satisfies Record<string, readonly string[]>;

/** A status's place in `order` (one of STATUS_ORDERS), for a Status column; an unknown status after them all. */
export function statusRank(order: readonly string[], status: string): number {
    const index = order.indexOf(status);
    return index === -1 ? order.length : index;
}

/** The order and filter chosen for each table (by id) while the app is open. */
const chosen = new Map<string, { order: ListOrder; status: string }>();

/**
 * A list as a table (views/ui.ts `table`) in the order `spec.order`, with sortable headers and,
 * when its items have more than one status, a status filter; see the top of this file.
 */
export function orderedTable<T>(items: readonly T[], spec: ListSpec<T>): HTMLElement {
    const sortable = (header: string): ListColumn<T> | undefined => spec.columns.find((c) => c.header === header && c.sortBy !== undefined);
    const kept = chosen.get(spec.id);
    const state = {
        order: kept && sortable(kept.order.column) ? kept.order : spec.order,
        status: kept?.status ?? '',
    };
    const start = sortable(spec.order.column);
    const base = start?.sortBy ? orderItems(items, start.sortBy, spec.order.direction) : [...items];
    const classes = ['sortable', spec.attributes?.class ?? ''].join(' ').trim();
    const drawn = table(
        spec.columns.map((c) => c.header),
        base.map((item) => spec.row(item)),
        spec.empty,
        { ...spec.attributes, id: spec.id, class: classes },
    );
    const body = drawn.querySelector('tbody');
    if (!body) {
        return drawn; // nothing to order: the table's "empty" line
    }
    const rows = base.map((item, index) => ({ item, row: body.rows[index] }));
    const headers = Array.from(drawn.querySelectorAll<HTMLTableCellElement>('thead th'));
    const announce = h('span', { class: 'sr-only', 'aria-live': 'polite' });
    const counts = spec.status ? statusCounts(items, spec.status, spec.statusOrder) : [];
    if (!counts.some((c) => c.status === state.status)) {
        state.status = '';
    }
    const shown = h('span', { class: 'list-count muted', 'aria-live': 'polite' });
    const filter =
        counts.length > 1
            ? select('status', [['', `All (${items.length})`], ...counts.map((c): [string, string] => [c.status, `${humanizeCode(c.status)} (${c.count})`])], { 'aria-controls': spec.id }, state.status)
            : undefined;

    const apply = (): void => {
        const column = sortable(state.order.column);
        const ordered = column?.sortBy ? orderItems(rows, (r) => column.sortBy?.(r.item), state.order.direction) : rows;
        body.append(...ordered.map((r) => r.row));
        // Only the ordering column says so (its arrow is drawn by app.css from aria-sort).
        headers.forEach((th, index) => {
            if (spec.columns[index]?.header === state.order.column) {
                th.setAttribute('aria-sort', state.order.direction);
            } else {
                th.removeAttribute('aria-sort');
            }
        });
        // The filter offers only statuses the list has: it never hides every row.
        const visible = new Set(spec.status ? itemsWithStatus(rows, (r) => spec.status?.(r.item) ?? '', state.status) : rows);
        for (const r of rows) {
            r.row.hidden = !visible.has(r);
        }
        shown.textContent = state.status === '' ? '' : `${visible.size} of ${items.length} shown`;
        chosen.set(spec.id, { order: state.order, status: state.status });
    };

    spec.columns.forEach((column, index) => {
        const th = headers[index];
        if (!th || !column.sortBy || column.header === '') {
            th?.classList.add('unsortable');
            return;
        }
        const button = h('button', { type: 'button', class: 'sort' }, column.header);
        button.addEventListener('click', () => {
            state.order = nextOrder(state.order, column.header);
            apply();
            announce.textContent = `Sorted by ${column.header.toLowerCase()}, ${state.order.direction}.`;
        });
        th.replaceChildren(button);
    });
    filter?.addEventListener('change', () => {
        state.status = filter.value;
        apply();
    });
    apply();
    return h(
        'div',
        { class: 'ordered-list' },
        filter ? h('form', { class: 'list-filter', id: `${spec.id}-filter`, onsubmit: (event: Event) => event.preventDefault() }, h('label', null, 'Status ', filter), ' ', shown) : null,
        drawn,
        announce,
    );
}
