import type { Page } from 'playwright-core';
import { parseMajorUnits } from '../../src/format';

/** Helpers for browser tests that read the page's session or call the API as its user. */

/** Text of a money cell "CNY 255,000.00" as minor units. */
export function minorOf(text: string): string {
    const match = /([A-Z]{3})\s+([\d,]+(?:\.\d+)?)/.exec(text);
    if (!match) {
        throw new Error(`no amount in "${text}"`);
    }
    return parseMajorUnits(match[2], match[1]);
}

/** The enterprise id of the signed-in user, from the app's session. */
export async function ownerIdOf(page: Page): Promise<string> {
    return page.evaluate(() => (JSON.parse(sessionStorage.getItem('xinlian.session') ?? '{}') as { user?: { enterpriseId?: string } }).user?.enterpriseId ?? '');
}

/**
 * Calls the API as the page's signed-in user, as another client of the gateway would (for what the
 * app does not offer, or to set the scene). Throws unless the answer is `expected`.
 */
export async function apiAs<T>(page: Page, method: 'GET' | 'POST', route: string, body?: unknown, expected = method === 'POST' ? 201 : 200): Promise<T> {
    return page.evaluate(
        async ({ method, route, body, expected }) => {
            const token = (JSON.parse(sessionStorage.getItem('xinlian.session') ?? '{}') as { token?: string }).token;
            const response = await fetch(`/api/v1${route}`, {
                method,
                headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
                ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            });
            if (response.status !== expected) {
                throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
            }
            return response.json();
        },
        { method, route, body, expected },
    ) as Promise<T>;
}

/** Uploads a small document as the page's user; returns its CID. */
export async function uploadAs(page: Page, text: string): Promise<string> {
    return page.evaluate(async (text) => {
        const token = (JSON.parse(sessionStorage.getItem('xinlian.session') ?? '{}') as { token?: string }).token;
        const response = await fetch('/api/v1/documents', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/pdf' }, body: text });
        if (response.status !== 201) {
            throw new Error(`upload: ${response.status} ${await response.text()}`);
        }
        return ((await response.json()) as { cid: string }).cid;
    }, text);
}

/** Waits for a toast whose text matches. */
export async function toast(page: Page, text: RegExp): Promise<void> {
    await page.locator('.toast', { hasText: text }).first().waitFor();
}
