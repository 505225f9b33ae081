import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '../errors';
import { linkRecord } from '../ledger/audit-index';
import { canonicalStringify } from '../ledger/canonical-json';
import { isCurrency } from '../ledger/currency';
import { compositeKey, deleteIndex, putIndex, readRecord, writeRecord } from '../ledger/state';
import { txId, txTime } from '../ledger/tx';
import { EnterpriseKind, readEnterprise } from '../enterprise/enterprise';
import { AttestationFact, CreditFacts, RECENT_TIMES_KEPT, ReasonCode, SCORE_MAX, SCORE_MIN, ScoreReason, computeScore, newFacts } from './scoring-rules';
import { WarningLevel, WarningRuleCode, evaluateWarning } from './warning-rules';

/**
 * Credit profiles (5.7): one record per credit subject holding its behaviour facts, the
 * score and warning they produce, and a bounded log of changes. Business transactions report
 * what happened through `recordCreditEvents`; nothing else writes a profile.
 *
 * Fabric reads never see the transaction's own writes, so events are grouped per enterprise and
 * applied in one read-modify-write, and a per-transaction cache lets a second call in the same
 * transaction build on the first instead of on the stale committed state.
 */

/** Fields every event carries: whom it concerns and the id of the record that caused it. */
interface EventBase {
    /** The enterprise whose profile changes (issuer, buyer, pledgor, line holder, attestation subject). */
    enterpriseId: string;
    /** Id of the causing record: root note, receivable, pledge, credit line or attestation. */
    ref: string;
}

/** A money amount in minor units with its ISO 4217 currency (kept as evidence, never scored). */
interface Money {
    amount: bigint;
    currency: string;
}

/** Something that happened on the ledger and bears on an enterprise's credit. */
export type CreditEvent =
    /** The issuer redeemed every active leaf of root `ref`; onTime = by maturity + grace, before it could be marked overdue. */
    | (EventBase & Money & { type: 'NOTE_REDEEMED'; onTime: boolean })
    /** Root `ref` of the issuer was marked OVERDUE. Idempotent per ref. */
    | (EventBase & Money & { type: 'NOTE_OVERDUE' })
    /** Overdue root `ref` stopped being overdue other than by redemption (NOTE_REDEEMED clears it itself). */
    | (EventBase & { type: 'OVERDUE_CLEARED' })
    /** Pledge `ref` was enforced against the enterprise as pledgor. */
    | (EventBase & Money & { type: 'PLEDGE_ENFORCED' })
    /** Credit line `ref` granted to the enterprise now stands at usedBps = used × 10000 / limit. */
    | (EventBase & { type: 'CREDIT_LINE_UTILISATION'; usedBps: number })
    /** Attestation `ref` (0–1000 score) became the enterprise's latest valid attestation and now counts. */
    | (EventBase & { type: 'ATTESTATION'; score: number; expiresAt: string })
    /** Attestation `ref` stopped counting before it expired: it, or the key that signed it, was revoked. */
    | (EventBase & { type: 'ATTESTATION_REVOKED' });

export type CreditEventType = CreditEvent['type'];

export const CREDIT_EVENT_TYPES: readonly CreditEventType[] = [
    'NOTE_REDEEMED',
    'NOTE_OVERDUE',
    'OVERDUE_CLEARED',
    'PLEDGE_ENFORCED',
    'CREDIT_LINE_UTILISATION',
    'ATTESTATION',
    'ATTESTATION_REVOKED',
];

/**
 * Event types no transaction records any more; change-log entries written before may name them.
 * RECEIVABLE_DISPUTED (buyer disputed receivable `ref`): a third party could provoke it at will by
 * registering invoices against the buyer, so disputes no longer bear on credit.
 */
export const RETIRED_CREDIT_EVENT_TYPES = ['RECEIVABLE_DISPUTED'] as const;

/** An event as the change log keeps it. REFRESH marks a recomputation without new behaviour. */
export interface ChangeEvent {
    type: CreditEventType | 'REFRESH' | (typeof RETIRED_CREDIT_EVENT_TYPES)[number];
    ref?: string;
    amount?: string;
    currency?: string;
    onTime?: boolean;
    usedBps?: number;
    score?: number;
}

/** One entry of the change log: everything one transaction did to the profile. */
export interface ProfileChange {
    txId: string;
    time: string;
    events: ChangeEvent[];
    /** Events of this transaction beyond MAX_EVENTS_PER_CHANGE, counted but not listed. */
    eventsOmitted: number;
    scoreBefore: number;
    scoreAfter: number;
    warningBefore: WarningLevel;
    warningAfter: WarningLevel;
    reasons: ReasonCode[];
}

/** The stored profile of one enterprise. */
export interface CreditProfile {
    docType: 'creditProfile';
    enterpriseId: string;
    facts: CreditFacts;
    score: number;
    reasons: ScoreReason[];
    warning: WarningLevel;
    warningRules: WarningRuleCode[];
    createdAt: string;
    updatedAt: string;
    lastTxId: string;
    /** Latest changes, oldest first, at most MAX_CHANGES. */
    changes: ProfileChange[];
}

/**
 * The kinds of enterprise whose credit is scored: the parties whose behaviour every credit event
 * describes (note issuers and credit-line holders are core enterprises, pledgors suppliers or core
 * enterprises) and whose users read their own profile. Credit passports are issued about these
 * kinds only (recognition:SubmitAttestation), and a profile is created for no other kind.
 */
export const CREDIT_SUBJECT_KINDS: readonly EnterpriseKind[] = ['CORE_ENTERPRISE', 'SUPPLIER'];

/** Whether enterprises of `kind` are credit subjects (CREDIT_SUBJECT_KINDS). */
export function isCreditSubjectKind(kind: EnterpriseKind): boolean {
    return CREDIT_SUBJECT_KINDS.includes(kind);
}

export const PROFILE_TYPE = 'creditProfile';
/** Index `creditProfile~warning ~ level ~ enterpriseId`, one entry per profile at its current level. */
export const WARNING_INDEX = 'creditProfile~warning';
export const MAX_CHANGES = 50;
export const MAX_EVENTS_PER_CHANGE = 20;

const REF = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The world-state key of an enterprise's profile. */
export function profileKey(ctx: Context, enterpriseId: string): string {
    return compositeKey(ctx, PROFILE_TYPE, [enterpriseId]);
}

function bug(detail: string): ChaincodeError {
    // A malformed event is a defect in the calling module, never the client's fault.
    return new ChaincodeError('INTERNAL', `credit event rejected: ${detail}`);
}

function isInteger(value: unknown, min: number, max: number): value is number {
    return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Checks an event's shape. Throws INTERNAL: a malformed event is a bug in the calling module. */
export function validateCreditEvent(event: CreditEvent): void {
    if (!event || typeof event !== 'object') {
        throw bug('not an object');
    }
    if (typeof event.enterpriseId !== 'string' || !REF.test(event.enterpriseId)) {
        throw bug('enterpriseId is not a valid id');
    }
    if (!CREDIT_EVENT_TYPES.includes(event.type)) {
        throw bug(`unknown type ${String(event.type)}`);
    }
    if (typeof event.ref !== 'string' || !REF.test(event.ref)) {
        throw bug(`${event.type} ref is not a valid id`);
    }
    if ('amount' in event || ['NOTE_REDEEMED', 'NOTE_OVERDUE', 'PLEDGE_ENFORCED'].includes(event.type)) {
        const money = event as unknown as Money;
        if (typeof money.amount !== 'bigint' || money.amount <= 0n) {
            throw bug(`${event.type} amount must be a positive bigint of minor units`);
        }
        if (typeof money.currency !== 'string' || !isCurrency(money.currency)) {
            throw bug(`${event.type} currency must be an ISO 4217 code`);
        }
    }
    switch (event.type) {
        case 'NOTE_REDEEMED':
            if (typeof event.onTime !== 'boolean') {
                throw bug('NOTE_REDEEMED onTime must be a boolean');
            }
            break;
        case 'CREDIT_LINE_UTILISATION':
            if (!isInteger(event.usedBps, 0, 10000)) {
                throw bug('CREDIT_LINE_UTILISATION usedBps must be an integer 0..10000');
            }
            break;
        case 'ATTESTATION':
            if (!isInteger(event.score, SCORE_MIN, SCORE_MAX)) {
                throw bug(`ATTESTATION score must be an integer ${SCORE_MIN}..${SCORE_MAX}`);
            }
            if (typeof event.expiresAt !== 'string' || Number.isNaN(Date.parse(event.expiresAt))) {
                throw bug('ATTESTATION expiresAt must be an ISO-8601 time');
            }
            break;
        default:
            break;
    }
}

/**
 * Utilisation of a line in basis points, rounded down: `used × 10000 / limit`, capped at 10000.
 * A zero limit counts as fully used when anything is drawn. For CREDIT_LINE_UTILISATION events.
 */
export function utilisationBps(used: bigint, limit: bigint): number {
    if (used <= 0n) {
        return 0;
    }
    if (limit <= 0n || used >= limit) {
        return 10000;
    }
    return Number((used * 10000n) / limit);
}

function sortedInsert(list: readonly string[], item: string): string[] {
    return list.includes(item) ? [...list] : [...list, item].sort();
}

function keepLatest(times: readonly string[], at: string): string[] {
    return [...times, at].sort().slice(-RECENT_TIMES_KEPT);
}

/** Facts older profiles hold that no rule reads any more (disputes as buyer, see RETIRED_CREDIT_EVENT_TYPES). */
const RETIRED_FACTS = ['receivablesDisputed', 'recentDisputes'] as const;

/** The facts without retired ones: a profile drops them the next time it is written. Pure. */
export function withoutRetiredFacts(facts: CreditFacts): CreditFacts {
    const kept = { ...facts } as CreditFacts & Partial<Record<(typeof RETIRED_FACTS)[number], unknown>>;
    for (const name of RETIRED_FACTS) {
        delete kept[name];
    }
    return kept;
}

/** Applies one event to the facts, at transaction time `at`. Pure. */
export function applyEvent(facts: CreditFacts, event: CreditEvent, at: string): CreditFacts {
    switch (event.type) {
        case 'NOTE_REDEEMED': {
            // A root that was marked overdue was not redeemed on time, whatever the caller says.
            const late = !event.onTime || facts.overdueNotes.includes(event.ref);
            return {
                ...facts,
                notesRedeemedOnTime: facts.notesRedeemedOnTime + (late ? 0 : 1),
                notesRedeemedLate: facts.notesRedeemedLate + (late ? 1 : 0),
                overdueNotes: facts.overdueNotes.filter((ref) => ref !== event.ref),
            };
        }
        case 'NOTE_OVERDUE':
            return { ...facts, overdueNotes: sortedInsert(facts.overdueNotes, event.ref) };
        case 'OVERDUE_CLEARED':
            return { ...facts, overdueNotes: facts.overdueNotes.filter((ref) => ref !== event.ref) };
        case 'PLEDGE_ENFORCED':
            return { ...facts, pledgesEnforced: facts.pledgesEnforced + 1, recentEnforcements: keepLatest(facts.recentEnforcements, at) };
        case 'CREDIT_LINE_UTILISATION': {
            const others = facts.lineUtilisation.filter((line) => line.lineId !== event.ref);
            const lines = event.usedBps > 0 ? [...others, { lineId: event.ref, usedBps: event.usedBps }] : others;
            return { ...facts, lineUtilisation: lines.sort((a, b) => (a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0)) };
        }
        case 'ATTESTATION':
            return { ...facts, attestation: { id: event.ref, score: event.score, expiresAt: new Date(Date.parse(event.expiresAt)).toISOString() } };
        case 'ATTESTATION_REVOKED': {
            if (facts.attestation?.id !== event.ref) {
                return facts;
            }
            const rest = { ...facts };
            delete rest.attestation;
            return rest;
        }
    }
}

function changeEventOf(event: CreditEvent): ChangeEvent {
    const out: ChangeEvent = { type: event.type, ref: event.ref };
    if ('amount' in event) {
        out.amount = event.amount.toString();
        out.currency = event.currency;
    }
    if (event.type === 'NOTE_REDEEMED') {
        out.onTime = event.onTime;
    }
    if (event.type === 'CREDIT_LINE_UTILISATION') {
        out.usedBps = event.usedBps;
    }
    if (event.type === 'ATTESTATION') {
        out.score = event.score;
    }
    return out;
}

/** The profile of an enterprise with no recorded behaviour, evaluated at `at`. */
export function baseProfile(enterpriseId: string, at: string, tx: string): CreditProfile {
    const facts = newFacts(at);
    const { score, reasons } = computeScore(facts);
    const warning = evaluateWarning(facts, score);
    return {
        docType: 'creditProfile',
        enterpriseId,
        facts,
        score,
        reasons,
        warning: warning.level,
        warningRules: warning.rules,
        createdAt: at,
        updatedAt: at,
        lastTxId: tx,
        changes: [],
    };
}

/**
 * What a profile says about its enterprise: its facts (without `asOf`, the time they were last
 * evaluated at), score, reasons, warning and warning rules, as canonical JSON. Two profiles with the
 * same standing differ only in bookkeeping (times, last tx, change log). Pure.
 */
export function profileStanding(profile: CreditProfile): string {
    const facts: Partial<CreditFacts> = { ...profile.facts };
    delete facts.asOf;
    return canonicalStringify({ facts, score: profile.score, reasons: profile.reasons, warning: profile.warning, warningRules: profile.warningRules });
}

/**
 * Applies events (all for `profile.enterpriseId`, in order) at transaction `tx`, time `at`, and
 * re-evaluates score and warning as of `at`. A re-evaluation (`refresh`, the default when there are
 * no events) is logged as REFRESH, followed by the events it brought; a re-evaluation that leaves
 * the standing (`profileStanding`) as it was returns `profile` itself, so it logs and writes nothing.
 * A second application within the same transaction merges into that transaction's change entry.
 * Pure.
 */
export function applyEvents(profile: CreditProfile, events: readonly CreditEvent[], tx: string, at: string, refresh = events.length === 0): CreditProfile {
    let facts: CreditFacts = { ...withoutRetiredFacts(profile.facts), asOf: at };
    for (const event of events) {
        facts = applyEvent(facts, event, at);
    }
    const { score, reasons } = computeScore(facts);
    const warning = evaluateWarning(facts, score);
    if (refresh && profileStanding({ ...profile, facts, score, reasons, warning: warning.level, warningRules: warning.rules }) === profileStanding(profile)) {
        return profile;
    }

    const logged: ChangeEvent[] = [...(refresh ? [{ type: 'REFRESH' } as ChangeEvent] : []), ...events.map(changeEventOf)];
    const previous = profile.changes[profile.changes.length - 1];
    const sameTx = previous !== undefined && previous.txId === tx;
    const allEvents = [...(sameTx ? previous.events : []), ...logged];
    const omitted = (sameTx ? previous.eventsOmitted : 0) + Math.max(0, allEvents.length - MAX_EVENTS_PER_CHANGE);
    const change: ProfileChange = {
        txId: tx,
        time: at,
        events: allEvents.slice(0, MAX_EVENTS_PER_CHANGE),
        eventsOmitted: omitted,
        scoreBefore: sameTx ? previous.scoreBefore : profile.score,
        scoreAfter: score,
        warningBefore: sameTx ? previous.warningBefore : profile.warning,
        warningAfter: warning.level,
        reasons: reasons.map((reason) => reason.code),
    };
    const kept = sameTx ? profile.changes.slice(0, -1) : profile.changes;
    return {
        ...profile,
        facts,
        score,
        reasons,
        warning: warning.level,
        warningRules: warning.rules,
        updatedAt: at,
        lastTxId: tx,
        changes: [...kept, change].slice(-MAX_CHANGES),
    };
}

/** Profiles this transaction already wrote, so a later call builds on them (reads cannot see them). */
const written = new WeakMap<Context, Map<string, CreditProfile>>();

/** Reads the stored profile of an enterprise, or undefined when none was recorded yet. */
export async function readCreditProfile(ctx: Context, enterpriseId: string): Promise<CreditProfile | undefined> {
    return readRecord<CreditProfile>(ctx, profileKey(ctx, enterpriseId));
}

function cacheOf(ctx: Context): Map<string, CreditProfile> {
    let cache = written.get(ctx);
    if (!cache) {
        cache = new Map();
        written.set(ctx, cache);
    }
    return cache;
}

/** The profile as this transaction sees it: what it already wrote, else the committed record. */
async function currentProfile(ctx: Context, enterpriseId: string): Promise<CreditProfile | undefined> {
    return cacheOf(ctx).get(enterpriseId) ?? (await readCreditProfile(ctx, enterpriseId));
}

/** What `update` did to one enterprise's profile. */
export interface ProfileUpdate {
    /**
     * The profile as it now stands: the one written, or, when a refresh changed nothing, the one
     * stored (or the base profile of an enterprise without one, evaluated at the transaction time).
     */
    profile: CreditProfile;
    /** Whether the enterprise has a profile record once the transaction commits. */
    recorded: boolean;
    /** Whether this call wrote the profile. */
    written: boolean;
}

/**
 * Applies events (or, with `plan`, the events it derives from the current profile) to one
 * enterprise's profile and writes it with its warning index, once. A refresh that leaves the
 * standing as it was (see applyEvents) writes nothing. Returns undefined, writing nothing, for an
 * enterprise without a profile that is not registered or not a credit subject.
 */
async function update(
    ctx: Context,
    enterpriseId: string,
    events: readonly CreditEvent[] | ((current: CreditProfile) => readonly CreditEvent[]),
    refresh = false,
): Promise<ProfileUpdate | undefined> {
    const cache = cacheOf(ctx);
    const tx = txId(ctx);
    const at = txTime(ctx);
    let current = await currentProfile(ctx, enterpriseId);
    const isNew = current === undefined;
    if (!current) {
        const enterprise = await readEnterprise(ctx, enterpriseId);
        if (!enterprise || !isCreditSubjectKind(enterprise.kind)) {
            // Profiles exist only for registered credit subjects; see docs/credit-scoring.md.
            return undefined;
        }
        current = baseProfile(enterpriseId, at, tx);
    }
    const planned = typeof events === 'function' ? events(current) : events;
    planned.forEach(validateCreditEvent);
    const updated = applyEvents(current, planned, tx, at, refresh || planned.length === 0);
    if (updated === current) {
        // A re-evaluation that changed nothing: no write, so the transaction only reads the profile.
        return { profile: current, recorded: !isNew, written: false };
    }
    await writeRecord(ctx, profileKey(ctx, enterpriseId), updated);
    if (isNew) {
        await linkRecord(ctx, [enterpriseId], { type: PROFILE_TYPE, id: enterpriseId });
        await putIndex(ctx, WARNING_INDEX, [updated.warning, enterpriseId]);
    } else if (current.warning !== updated.warning) {
        await deleteIndex(ctx, WARNING_INDEX, [current.warning, enterpriseId]);
        await putIndex(ctx, WARNING_INDEX, [updated.warning, enterpriseId]);
    }
    cache.set(enterpriseId, updated);
    return { profile: updated, recorded: true, written: true };
}

/**
 * Records credit events from any transaction: groups them by enterprise (in id order, events in
 * the given order) and updates each profile with one write. May be called several times in one
 * transaction; later calls build on earlier ones. Events naming an enterprise without a profile
 * that is not registered, or not a credit subject (CREDIT_SUBJECT_KINDS), are skipped: profiles
 * exist only for registered credit subjects, and credit bookkeeping never vetoes a business
 * transaction that passed its own rules. Emits no chaincode event (the
 * calling transaction emits its own).
 * Throws INTERNAL when an event is malformed (a defect in the calling module).
 */
export async function recordCreditEvents(ctx: Context, events: readonly CreditEvent[]): Promise<void> {
    events.forEach(validateCreditEvent);
    const byEnterprise = new Map<string, CreditEvent[]>();
    for (const event of events) {
        const list = byEnterprise.get(event.enterpriseId) ?? [];
        list.push(event);
        byEnterprise.set(event.enterpriseId, list);
    }
    for (const enterpriseId of [...byEnterprise.keys()].sort()) {
        await update(ctx, enterpriseId, byEnterprise.get(enterpriseId) as CreditEvent[]);
    }
}

/**
 * Where an enterprise stands with its attestations at the transaction time, as the recognition
 * module judges it (`attestationStanding` in recognition/attestation.ts). Profiles only consume it,
 * so this module never imports the recognition module.
 */
export interface AttestationStanding {
    /** The latest valid attestation (DESIGN 5.7: `latestValidAttestation`), if any. */
    latest?: AttestationFact;
    /** Ids of every attestation of the enterprise that is valid at the transaction time. */
    validIds: readonly string[];
}

/**
 * The events that bring the attestation fact `current` to the latest valid attestation `standing.latest`,
 * at transaction time `at`. Pure.
 *
 * - Nothing when the fact already is the latest valid attestation, or when there is none and the fact
 *   has expired by `at` (an expired attestation already no longer counts; time acts through `asOf`).
 * - ATTESTATION_REVOKED for the fact when it stopped counting before its expiry: it is no longer
 *   valid (revoked, or its signer key revoked).
 * - ATTESTATION for the latest valid attestation when it is not the fact: it replaces a fact that
 *   was superseded by a later-issued passport, expired or stopped counting.
 */
export function attestationEvents(enterpriseId: string, current: AttestationFact | undefined, standing: AttestationStanding, at: string): CreditEvent[] {
    const { latest } = standing;
    if (current && latest && current.id === latest.id) {
        return [];
    }
    const events: CreditEvent[] = [];
    const currentExpired = current !== undefined && Date.parse(current.expiresAt) <= Date.parse(at);
    if (current && !currentExpired && !standing.validIds.includes(current.id)) {
        events.push({ type: 'ATTESTATION_REVOKED', enterpriseId, ref: current.id });
    }
    if (latest) {
        events.push({ type: 'ATTESTATION', enterpriseId, ref: latest.id, score: latest.score, expiresAt: latest.expiresAt });
    }
    return events;
}

/**
 * Brings an enterprise's attestation fact to its latest valid attestation, recording only the events
 * that change it (see `attestationEvents`); writes nothing when nothing changes or the enterprise has
 * no profile and is not a registered credit subject. For the recognition module's SubmitAttestation, RevokeAttestation and RevokeBureauKey.
 * Throws INTERNAL when the standing is malformed (a defect in the caller).
 */
export async function syncAttestationFact(ctx: Context, enterpriseId: string, standing: AttestationStanding): Promise<void> {
    const current = await currentProfile(ctx, enterpriseId);
    const events = attestationEvents(enterpriseId, current?.facts.attestation, standing, txTime(ctx));
    if (events.length > 0) {
        await recordCreditEvents(ctx, events);
    }
}

/**
 * Re-evaluates an enterprise's profile at the transaction time (recent windows and attestation
 * expiry move with time), starting from the base when it has none. With a `standing`, the
 * attestation fact is also brought to the latest valid attestation; the REFRESH entry then lists the
 * attestation events, if any. A re-evaluation that changes neither facts, score, reasons, warning
 * nor warning rules writes nothing (no REFRESH entry, no new profile): anyone who may read a profile
 * may refresh it, and a refresh must leave no trace unless time or an attestation changed something.
 * Returns undefined when the enterprise has no profile and is not a registered credit subject.
 */
export async function refreshCreditProfile(ctx: Context, enterpriseId: string, standing?: AttestationStanding): Promise<ProfileUpdate | undefined> {
    return update(ctx, enterpriseId, (current) => (standing ? attestationEvents(enterpriseId, current.facts.attestation, standing, txTime(ctx)) : []), true);
}
