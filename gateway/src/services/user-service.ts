import { KIND_ROLE } from '@xinlian/chaincode';
import type { Enterprise, Role, TransactionCreator, UserEnrolment } from '@xinlian/chaincode';
import { AccountLog, AuthService, Principal, UserView, audited, checkUsername } from '../auth/auth-service';
import { AppError, appError } from '../errors';
import type { LedgerUser } from '../ledger/ledger-backend';
import type { LedgerClient } from './ledger-client';

/**
 * Users and their ledger identities. Every identity the platform enrols for a user is recorded on
 * the ledger by the platform admin who created it (identity:RecordUserEnrolment: user name, role,
 * enterprise, certificate fingerprint, time), so the enterprise and the regulator can see every
 * identity issued in the enterprise's name and attribute each transaction to a user.
 */

export interface CreateUserRequest {
    readonly username: string;
    readonly password: string;
    readonly role: Role;
    readonly enterpriseId: string;
}

/** What the user service needs of the gateway's accounts. */
export type UserAccounts = Pick<AuthService, 'createUser' | 'listUsers'>;

/**
 * Where user creations are logged: one audit line each (AccountLog: action 'create-user', the admin as
 * actor, the new user as target, outcome, client address), never a secret.
 */
export type UserLog = AccountLog;

export interface UserServiceOptions {
    readonly log?: UserLog;
}

export interface UserService {
    /**
     * Creates a user of a registered enterprise, enrolls its identity and records the enrolment on the
     * ledger (platform admin). When the ledger refuses the record or cannot be reached, no user is
     * created. A name of the gateway's own identities (auth/reserved-names.ts) is refused before the ledger
     * is asked anything. `client`, the request's client address, is for the audit log.
     * Throws FORBIDDEN, NOT_FOUND, INVALID_ARGUMENT, ALREADY_EXISTS, LEDGER_UNAVAILABLE, LEDGER_TIMEOUT.
     */
    createUser(admin: Principal, request: CreateUserRequest, client?: string): Promise<UserView>;
    /**
     * Records the enrolment of an identity enrolled without createUser (the platform admin's own, the
     * gateway's read identity), unless the ledger holds it already (platform admin).
     * Throws FORBIDDEN, NOT_FOUND, INVALID_ARGUMENT, LEDGER_UNAVAILABLE, LEDGER_TIMEOUT.
     */
    recordEnrolment(admin: Principal, user: LedgerUser): Promise<void>;
    /** Every user (platform admin). Throws FORBIDDEN. */
    listUsers(admin: Principal): ReturnType<AuthService['listUsers']>;
}

function requireAdmin(principal: Principal): void {
    if (principal.role !== 'platform-admin') {
        throw appError.forbidden('only a platform admin manages users');
    }
}

export function newUserService(auth: UserAccounts, ledger: LedgerClient, options: UserServiceOptions = {}): UserService {
    /** Reads the fingerprint of `user`'s enrolled certificate as the ledger sees it, and records it, signed by `admin`. */
    async function record(admin: Principal, user: LedgerUser): Promise<{ enrolment: UserEnrolment; txId: string }> {
        const identity = await ledger.evaluate<TransactionCreator>(user, 'identity:ReadCallerIdentity', []);
        if (identity.enterpriseId !== user.enterpriseId || identity.role !== user.role || identity.mspId !== user.mspId) {
            throw new AppError('INTERNAL', `the identity enrolled for ${user.username} does not carry the user's role, enterprise and organisation`);
        }
        const written = await ledger.submit<UserEnrolment>(admin, 'identity:RecordUserEnrolment', [
            { username: user.username, role: user.role, enterpriseId: user.enterpriseId, certificateFingerprint: identity.certificateFingerprint },
        ]);
        return { enrolment: written.result, txId: written.txId };
    }

    return {
        createUser(admin, request, client) {
            let recorded: { enrolment: UserEnrolment; txId: string } | undefined;
            const entry = { action: 'create-user', actor: admin.username, target: request.username, client, role: request.role, enterpriseId: request.enterpriseId } as const;
            return audited(
                options.log,
                entry,
                async () => {
                    requireAdmin(admin);
                    checkUsername(request.username);
                    const enterprise = await ledger.evaluate<Enterprise>(admin, 'enterprise:ReadEnterprise', [request.enterpriseId]);
                    if (KIND_ROLE[enterprise.kind] !== request.role) {
                        throw appError.invalid(`enterprise ${enterprise.id} is a ${enterprise.kind}; its users act as ${KIND_ROLE[enterprise.kind]}, not ${request.role}`);
                    }
                    // Recorded after enrolment and before the user is stored (under the name's lock): a refusal or an
                    // outage leaves no user, and nobody can log in as a user the ledger has no record of.
                    return auth.createUser(
                        { ...request, enterpriseId: enterprise.id, mspId: enterprise.mspId },
                        {
                            beforeStore: async (user) => {
                                recorded = await record(admin, user);
                            },
                        },
                    );
                },
                (created) => ({
                    username: created.username,
                    mspId: created.mspId,
                    certificateFingerprint: recorded?.enrolment.certificateFingerprint,
                    txId: recorded?.txId,
                    createdBy: admin.username,
                }),
            );
        },

        async recordEnrolment(admin, user) {
            requireAdmin(admin);
            try {
                const { enrolment, txId } = await record(admin, user);
                options.log?.info(
                    { username: user.username, role: user.role, enterpriseId: user.enterpriseId, mspId: user.mspId, certificateFingerprint: enrolment.certificateFingerprint, txId, createdBy: admin.username },
                    'recorded the enrolment of an identity on the ledger',
                );
            } catch (error) {
                if (!(error instanceof AppError && error.code === 'ALREADY_EXISTS')) {
                    throw error;
                }
            }
        },

        listUsers(admin) {
            requireAdmin(admin);
            return auth.listUsers();
        },
    };
}
