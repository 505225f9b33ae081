/**
 * Who a chaincode event concerns: the enterprises its payload names, at any depth (a party, a
 * holder, a payee, an owner …). Every event names the parties it concerns (see emitEvent), so the
 * gateway shows an event to the users of those enterprises and the client app refreshes their
 * pages on it. Pure: the client app bundles it too.
 */
export function eventNames(payload: unknown, enterpriseId: string, depth = 0): boolean {
    if (typeof payload === 'string') {
        return payload === enterpriseId;
    }
    if (depth > 6 || payload === null || typeof payload !== 'object') {
        return false;
    }
    const children = Array.isArray(payload) ? payload : Object.values(payload as Record<string, unknown>);
    return children.some((child) => eventNames(child, enterpriseId, depth + 1));
}
