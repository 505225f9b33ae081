import { usccCheckCharacter } from '@xinlian/chaincode';
import type { Note } from '@xinlian/chaincode';
import { Endpoints, PeerOrg, loadEndpoints } from './endpoints';
import { FabricSession, connectAs } from './fabric-connection';
import { NetworkUser, loadUsers } from './identities';
import { DEFAULT_RETRY, FabricTxError, RetryPolicy, SubmitOutcome, TxRequest, evaluateJson, submitJson } from './tx-client';
import { computeCid } from '../../gateway/src/documents/cid';

/**
 * The network under test as the e2e tier sees it: endpoints, the CA-enrolled users of identities.tsv,
 * one cached gateway session per (user, peer), and the seed every scenario needs, created through real
 * transactions by the right users.
 */
export interface World {
    readonly endpoints: Endpoints;
    readonly users: ReadonlyMap<string, NetworkUser>;
    /** Unique per process: keeps invoice numbers and ids fresh on a reused ledger. */
    readonly tag: string;
    user(name: string): NetworkUser;
    /** The cached session of `name` through `via`'s peer (the user's own org by default). */
    session(name: string, via?: PeerOrg): Promise<FabricSession>;
    submit<T>(name: string, transaction: string, request?: TxRequest, policy?: RetryPolicy): Promise<SubmitOutcome<T>>;
    evaluate<T>(name: string, transaction: string, request?: TxRequest, via?: PeerOrg): Promise<T>;
    close(): void;
}

/** Opens the world from endpoints.json and identities.tsv. Close it in an after hook. */
export async function openWorld(): Promise<World> {
    const endpoints = await loadEndpoints();
    const users = await loadUsers();
    const sessions = new Map<string, Promise<FabricSession>>();
    const tag = `${new Date().getTime().toString(36)}${process.pid.toString(36)}`.toUpperCase();
    const user = (name: string): NetworkUser => {
        const found = users.get(name);
        if (!found) {
            throw new Error(`no user ${name} in identities.tsv`);
        }
        return found;
    };
    const session = (name: string, via?: PeerOrg): Promise<FabricSession> => {
        const u = user(name);
        const key = `${name}@${via ?? u.org}`;
        let opened = sessions.get(key);
        if (!opened) {
            opened = connectAs(endpoints, u, via ?? u.org);
            sessions.set(key, opened);
        }
        return opened;
    };
    return {
        endpoints,
        users,
        tag,
        user,
        session,
        async submit<T>(name: string, transaction: string, request: TxRequest = {}, policy: RetryPolicy = DEFAULT_RETRY) {
            return submitJson<T>((await session(name)).contract, transaction, request, policy);
        },
        async evaluate<T>(name: string, transaction: string, request: TxRequest = {}, via?: PeerOrg) {
            return evaluateJson<T>((await session(name, via)).contract, transaction, request);
        },
        close() {
            for (const opened of sessions.values()) {
                opened.then((s) => s.close()).catch(() => undefined);
            }
            sessions.clear();
        },
    };
}

/** The enterprise kind each xl.role acts for. */
const KIND_OF_ROLE: Readonly<Record<string, string>> = {
    'core-enterprise': 'CORE_ENTERPRISE',
    supplier: 'SUPPLIER',
    financier: 'FINANCIER',
    appraiser: 'APPRAISER',
    'credit-bureau': 'CREDIT_BUREAU',
    regulator: 'REGULATOR',
    'foreign-partner': 'FOREIGN_PARTNER',
};

/** The eid of a user (its certificate's xl.eid). */
export function eidOf(world: World, name: string): string {
    const eid = world.user(name).eid;
    if (!eid) {
        throw new Error(`user ${name} carries no xl.eid`);
    }
    return eid;
}

/**
 * Registers, as platform-admin, the enterprise of every user of identities.tsv that acts for one
 * (all but platform-admin). An enterprise already registered (a reused ledger) is fine.
 */
export async function ensureEnterprises(world: World): Promise<void> {
    for (const u of world.users.values()) {
        const kind = u.role ? KIND_OF_ROLE[u.role] : undefined;
        if (!kind || !u.eid) {
            continue;
        }
        const request = { id: u.eid, name: `E2E ${u.name} (${kind.toLowerCase()})`, kind, ...(kind === 'FOREIGN_PARTNER' ? { country: 'SG' } : {}) };
        try {
            await world.submit('platform-admin', 'enterprise:RegisterEnterprise', { args: [request] });
        } catch (error) {
            if (!(error instanceof FabricTxError && error.code === 'ALREADY_EXISTS')) {
                throw error;
            }
        }
    }
}

let usccCounter = 0;

/** A valid USCC (GB 32100-2015 check character) not used before by this process. */
export function freshUscc(world?: World): string {
    usccCounter += 1;
    const digits = ((new Date().getTime() % 10_000_000) * 10 + usccCounter).toString().slice(-8).padStart(8, '0');
    const body = `91350100M${digits}`;
    const check = usccCheckCharacter(body);
    if (!check) {
        throw new Error(`not a USCC body: ${body}${world ? ` (${world.tag})` : ''}`);
    }
    return body + check;
}

/** YYYY-MM-DD of today + `days` (UTC). */
export function isoDate(days: number): string {
    return new Date(new Date().getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Grants the core enterprise a CNY credit line from the financier; returns its id. */
export async function grantLine(world: World, limit: string): Promise<string> {
    const expiresAt = `${isoDate(730)}T00:00:00Z`;
    const out = await world.submit<{ id: string }>('financier', 'credit-line:GrantCreditLine', { args: [{ coreEnterpriseId: eidOf(world, 'core'), currency: 'CNY', limit, expiresAt }] });
    return out.result.id;
}

let invoiceCounter = 0;

/** tier1 registers receivables on the core enterprise, which confirms them; returns their ids. */
export async function confirmedReceivables(world: World, amounts: readonly string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const amount of amounts) {
        invoiceCounter += 1;
        const invoiceNumber = `E2E-${world.tag}-${invoiceCounter}`;
        // Each receivable needs a document of its own: one document backs at most one receivable.
        const documentCid = await computeCid(Buffer.from(`invoice ${invoiceNumber}`));
        const registered = await world.submit<{ id: string }>('tier1', 'receivable:RegisterReceivable', {
            args: [{ buyerId: eidOf(world, 'core'), invoiceNumber, amount, currency: 'CNY', issueDate: isoDate(-3), dueDate: isoDate(150), documentCid }],
        });
        await world.submit('core', 'receivable:ConfirmReceivable', { args: [registered.result.id] });
        ids.push(registered.result.id);
    }
    return ids;
}

/** The core enterprise issues tier1 a CNY note backed by freshly confirmed receivables (maturity in 90 days). */
export async function issueNote(world: World, lineId: string, amount: string): Promise<Note> {
    const receivableIds = await confirmedReceivables(world, [amount]);
    const out = await world.submit<Note>('core', 'note:IssueNote', { args: [{ holderId: eidOf(world, 'tier1'), amount, currency: 'CNY', maturityDate: isoDate(90), creditLineId: lineId, receivableIds }] });
    return out.result;
}

/** The holder splits a note; returns the children in order. */
export async function splitNote(world: World, holder: string, noteId: string, amounts: readonly string[]): Promise<Note[]> {
    const out = await world.submit<{ children: Note[] }>(holder, 'note:SplitNote', { args: [noteId, { amounts }] });
    return out.result.children;
}

/**
 * `count` notes of `unit` held by tier1, made with one issuance and as few splits as possible
 * (a split makes at most 50 children).
 */
export async function notesOfTier1(world: World, lineId: string, count: number, unit: bigint): Promise<Note[]> {
    const root = await issueNote(world, lineId, (unit * BigInt(count)).toString());
    if (count === 1) {
        return [root];
    }
    // Spread the leaves evenly over as few parents as possible, so every group has 2..50 children.
    const parentsNeeded = Math.ceil(count / 50);
    const groups = Array.from({ length: parentsNeeded }, (_, i) => Math.floor(count / parentsNeeded) + (i < count % parentsNeeded ? 1 : 0));
    if (groups.length === 1) {
        return splitNote(world, 'tier1', root.id, Array.from({ length: count }, () => unit.toString()));
    }
    if (groups.length > 50 || groups.some((g) => g < 2)) {
        throw new Error(`cannot make ${count} notes with two levels of splits of 2..50`);
    }
    const parents = await splitNote(world, 'tier1', root.id, groups.map((g) => (unit * BigInt(g)).toString()));
    const leaves: Note[] = [];
    for (const [i, parent] of parents.entries()) {
        leaves.push(...(await splitNote(world, 'tier1', parent.id, Array.from({ length: groups[i] }, () => unit.toString()))));
    }
    return leaves;
}
