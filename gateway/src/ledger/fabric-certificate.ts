import * as x509 from '@peculiar/x509';
import { ATTR_EID, ATTR_ROLE } from '@xinlian/chaincode';
import type { LedgerUser } from './ledger-backend';

/** The attribute extension of Fabric CA enrollment certificates: JSON `{"attrs":{…}}`. */
export const FABRIC_ATTR_OID = '1.2.3.4.5.6.7.8.1';

/**
 * The Fabric CA attributes a certificate (PEM) carries, as the chaincode's client identity reads them
 * (fabric-shim's ClientIdentity: the attribute extension's JSON `attrs`); empty when it has no such
 * extension. Throws when `pem` is no certificate, or its attribute extension holds no JSON `attrs` object.
 */
export function certificateAttributes(pem: string): Readonly<Record<string, string>> {
    const extension = new x509.X509Certificate(pem).getExtension(FABRIC_ATTR_OID);
    if (!extension) {
        return {};
    }
    const attrs = (JSON.parse(Buffer.from(extension.value).toString('utf8')) as { attrs?: unknown }).attrs;
    if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) {
        throw new Error(`the attribute extension (${FABRIC_ATTR_OID}) of the certificate holds no attrs object`);
    }
    return Object.fromEntries(Object.entries(attrs).map(([name, value]) => [name, String(value)]));
}

/** Whether identity attributes make their holder act as `user`: the user's role for its enterprise (what the chaincode reads). */
export function actsAs(attrs: Readonly<Record<string, string>>, user: Pick<LedgerUser, 'role' | 'enterpriseId'>): boolean {
    return attrs[ATTR_ROLE] === user.role && attrs[ATTR_EID] === user.enterpriseId;
}

/** `xl.role=…, xl.eid=…` of identity attributes, for a message ("none" for one that is absent). */
export function describeIdentityAttributes(attrs: Readonly<Record<string, string>>): string {
    return `${ATTR_ROLE}=${attrs[ATTR_ROLE] ?? 'none'}, ${ATTR_EID}=${attrs[ATTR_EID] ?? 'none'}`;
}
