/**
 * Mocha root hook: after a run, says how many documented JSON answers (operation and status) the
 * tests checked against the OpenAPI document, and which were never exercised.
 */
import { checkedOperations, documentedJsonOperations } from '../conformance/response-validator';

export const mochaHooks = {
    afterAll(): void {
        const checked = new Set(checkedOperations());
        if (checked.size === 0) {
            return;
        }
        const documented = documentedJsonOperations();
        const unchecked = documented.filter((operation) => !checked.has(operation));
        console.log(`\n  OpenAPI responses checked: ${documented.length - unchecked.length} of ${documented.length} documented JSON answers${unchecked.length ? `; not exercised: ${unchecked.join(', ')}` : ''}`);
    },
};
