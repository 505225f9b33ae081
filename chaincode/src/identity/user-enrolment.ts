import type { Context } from 'fabric-contract-api';
import { fail } from '../errors';
import { ROLES, Role } from '../ledger/caller';
import { Input } from '../ledger/input';
import { compositeKey, readRecord } from '../ledger/state';
import { Enterprise, KIND_ROLE } from '../enterprise/enterprise';

/**
 * A user enrolment: the platform operator's statement, signed with its own identity, that it issued
 * the certificate with this fingerprint to a user of an enterprise. Every transaction's creator
 * certificate (see transaction-creator.ts) thereby maps to a named user, and an enterprise and the
 * regulator can see every identity the operator has issued in the enterprise's name.
 */

/** World-state type of enrolments (key: the certificate fingerprint). */
export const USER_ENROLMENT = 'userEnrolment';
/** Index of an enterprise's enrolments: `userEnrolmentOf ~ enterpriseId ~ username ~ fingerprint`. */
export const USER_ENROLMENT_OF = 'userEnrolmentOf';

/** The user names the gateway and the Fabric CAs accept. */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const FINGERPRINT = /^[0-9a-f]{64}$/;

/** An identity the platform operator enrolled for a user of an enterprise. */
export interface UserEnrolment {
    docType: 'userEnrolment';
    /** SHA-256 (hex) of the enrolled certificate's DER: the record's key. */
    certificateFingerprint: string;
    username: string;
    role: Role;
    enterpriseId: string;
    /** The organisation whose CA issued the certificate: the enterprise's. */
    mspId: string;
    /** The time of the transaction that recorded the enrolment. */
    recordedAt: string;
    /** The enterprise of the platform admin who recorded it. */
    recordedBy: string;
    /** Fingerprint of the platform admin's certificate that signed the record. */
    recordedByFingerprint: string;
}

/** What RecordUserEnrolment is asked to record. */
export interface EnrolmentRequest {
    username: string;
    role: Role;
    enterpriseId: string;
    certificateFingerprint: string;
}

/** The world-state key of an enrolment. */
export function enrolmentKey(ctx: Context, fingerprint: string): string {
    return compositeKey(ctx, USER_ENROLMENT, [fingerprint]);
}

/** Reads and validates an enrolment request. Throws INVALID_ARGUMENT. */
export function parseEnrolmentRequest(input: Input): EnrolmentRequest {
    const username = input.string('username', { max: 64, pattern: USERNAME });
    const role = input.oneOf('role', ROLES);
    const enterpriseId = input.string('enterpriseId', { max: 20 });
    const certificateFingerprint = input.string('certificateFingerprint', { max: 64, pattern: FINGERPRINT });
    input.done();
    return { username, role, enterpriseId, certificateFingerprint };
}

/** Builds the enrolment of `request` for `enterprise`, whose users act in one role only. Throws INVALID_ARGUMENT. */
export function newUserEnrolment(request: EnrolmentRequest, enterprise: Enterprise, recorder: { enterpriseId: string; certificateFingerprint: string }, now: string): UserEnrolment {
    if (KIND_ROLE[enterprise.kind] !== request.role) {
        throw fail.invalid(`enterprise ${enterprise.id} is a ${enterprise.kind}; its users act as ${KIND_ROLE[enterprise.kind]}, not ${request.role}`);
    }
    return {
        docType: 'userEnrolment',
        certificateFingerprint: request.certificateFingerprint,
        username: request.username,
        role: request.role,
        enterpriseId: enterprise.id,
        mspId: enterprise.mspId,
        recordedAt: now,
        recordedBy: recorder.enterpriseId,
        recordedByFingerprint: recorder.certificateFingerprint,
    };
}

/** Reads an enrolment, or undefined. */
export async function readUserEnrolment(ctx: Context, fingerprint: string): Promise<UserEnrolment | undefined> {
    return readRecord<UserEnrolment>(ctx, enrolmentKey(ctx, fingerprint));
}
