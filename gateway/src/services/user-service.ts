import { KIND_ROLE } from '@xinlian/chaincode';
import type { Enterprise, Role } from '@xinlian/chaincode';
import type { AuthService, Principal, UserView } from '../auth/auth-service';
import { appError } from '../errors';
import type { LedgerClient } from './ledger-client';

export interface CreateUserRequest {
    readonly username: string;
    readonly password: string;
    readonly role: Role;
    readonly enterpriseId: string;
}

export interface UserService {
    /** Creates a user of a registered enterprise and enrolls its identity (platform admin). Throws FORBIDDEN, NOT_FOUND, INVALID_ARGUMENT, ALREADY_EXISTS. */
    createUser(admin: Principal, request: CreateUserRequest): Promise<UserView>;
    /** Every user (platform admin). Throws FORBIDDEN. */
    listUsers(admin: Principal): UserView[];
}

function requireAdmin(principal: Principal): void {
    if (principal.role !== 'platform-admin') {
        throw appError.forbidden('only a platform admin manages users');
    }
}

export function newUserService(auth: AuthService, ledger: LedgerClient): UserService {
    return {
        async createUser(admin, request) {
            requireAdmin(admin);
            const enterprise = await ledger.evaluate<Enterprise>(admin, 'enterprise:ReadEnterprise', [request.enterpriseId]);
            if (KIND_ROLE[enterprise.kind] !== request.role) {
                throw appError.invalid(`enterprise ${enterprise.id} is a ${enterprise.kind}; its users act as ${KIND_ROLE[enterprise.kind]}, not ${request.role}`);
            }
            return auth.createUser({ ...request, enterpriseId: enterprise.id, mspId: enterprise.mspId });
        },
        listUsers(admin) {
            requireAdmin(admin);
            return auth.listUsers();
        },
    };
}
