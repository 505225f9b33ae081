import { expect } from 'chai';
import { MIN_PASSWORD_LENGTH, mayReadEnterpriseUsers, passwordChangeCheck, passwordChangeProblem, passwordChangeRefusal, passwordProblem, signInRefusal } from './account-rules';
import { ApiError } from './api-client';

describe('account rules', () => {
    describe('passwordProblem', () => {
        it('refuses a password shorter than the gateway allows', () => {
            expect(MIN_PASSWORD_LENGTH).to.equal(10);
            expect(passwordProblem('suzhou', '123456789')).to.contain('at least 10 characters');
            expect(passwordProblem('suzhou', '1234567890')).to.equal(undefined);
        });

        it('refuses a password of white space only, as the gateway does', () => {
            expect(passwordProblem('suzhou', ' '.repeat(12))).to.equal('The password must not be spaces only.');
            expect(passwordProblem('suzhou', ' twelve chars ')).to.equal(undefined);
        });

        it('refuses the user name as password', () => {
            expect(passwordProblem('ops.clerk-2', 'ops.clerk-2')).to.contain('not be the user name');
            expect(passwordProblem('ops.clerk-2', 'ops.clerk-2x')).to.equal(undefined);
        });
    });

    describe('passwordChangeProblem', () => {
        const ok = { currentPassword: 'xinlian-demo', newPassword: 'a-longer-secret', repeat: 'a-longer-secret' };

        it('accepts a change that keeps the rule and is repeated exactly', () => {
            expect(passwordChangeProblem('suzhou', ok)).to.equal(undefined);
        });

        it('asks for the current and the new password', () => {
            expect(passwordChangeProblem('suzhou', { ...ok, currentPassword: '' })).to.contain('current password');
            expect(passwordChangeProblem('suzhou', { ...ok, newPassword: '', repeat: '' })).to.contain('new password');
        });

        it('refuses a new password that breaks the rule, naming it the new password', () => {
            expect(passwordChangeProblem('suzhou', { ...ok, newPassword: 'short', repeat: 'short' })).to.equal('The new password must have at least 10 characters.');
            expect(passwordChangeProblem('suzhoucorp', { ...ok, newPassword: 'suzhoucorp', repeat: 'suzhoucorp' })).to.equal('The new password must not be the user name.');
        });

        it('refuses a repeat that does not match, and a new password equal to the current one', () => {
            expect(passwordChangeProblem('suzhou', { ...ok, repeat: 'a-longer-secreT' })).to.contain('does not match');
            expect(passwordChangeProblem('suzhou', { currentPassword: 'a-longer-secret', newPassword: 'a-longer-secret', repeat: 'a-longer-secret' })).to.contain('same as the current');
        });

        it('names the field each problem is about', () => {
            expect(passwordChangeCheck('suzhou', ok)).to.equal(undefined);
            expect(passwordChangeCheck('suzhou', { ...ok, currentPassword: '' })?.field).to.equal('currentPassword');
            expect(passwordChangeCheck('suzhou', { ...ok, newPassword: 'short', repeat: 'short' })).to.deep.equal({ message: 'The new password must have at least 10 characters.', field: 'newPassword' });
            expect(passwordChangeCheck('suzhou', { ...ok, repeat: 'a-longer-secreT' })?.field).to.equal('repeat');
            expect(passwordChangeCheck('suzhou', { currentPassword: 'a-longer-secret', newPassword: 'a-longer-secret', repeat: 'a-longer-secret' })?.field).to.equal('newPassword');
        });
    });

    describe('signInRefusal', () => {
        it('tells a wrong password, a disabled user and too many attempts apart', () => {
            expect(signInRefusal(new ApiError({ status: 401, code: 'UNAUTHENTICATED' }))).to.deep.equal({ code: 'UNAUTHENTICATED', message: 'The user name or password is wrong.' });
            expect(signInRefusal(new ApiError({ status: 403, code: 'FORBIDDEN' }))).to.deep.equal({ code: 'FORBIDDEN', message: 'This user is disabled; ask the platform administrator.' });
            expect(signInRefusal(new ApiError({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 17 }))).to.deep.equal({ code: 'RATE_LIMITED', message: 'Too many sign-in attempts; try again in 17 seconds.' });
            expect(signInRefusal(new ApiError({ status: 429, code: 'RATE_LIMITED' }))?.message).to.equal('Too many sign-in attempts; try again in a moment.');
        });

        it('leaves other failures to the usual error panel', () => {
            expect(signInRefusal(new ApiError({ status: 0, code: 'NETWORK' }))).to.equal(undefined);
            expect(signInRefusal(new ApiError({ status: 503, code: 'LEDGER_UNAVAILABLE' }))).to.equal(undefined);
            expect(signInRefusal(new Error('boom'))).to.equal(undefined);
        });
    });

    describe('passwordChangeRefusal', () => {
        it('says a wrong current password and the wait of a rate limit', () => {
            expect(passwordChangeRefusal(new ApiError({ status: 403, code: 'FORBIDDEN' }))).to.equal('The current password is wrong.');
            expect(passwordChangeRefusal(new ApiError({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 1 }))).to.equal('Too many attempts; try again in 1 second.');
            expect(passwordChangeRefusal(new ApiError({ status: 400, code: 'INVALID_ARGUMENT' }))).to.equal(undefined);
        });
    });

    describe('mayReadEnterpriseUsers', () => {
        it('lets the regulator, the platform admin and the enterprise own users read its enrolled users, nobody else', () => {
            expect(mayReadEnterpriseUsers({ role: 'regulator', enterpriseId: 'R' }, 'E')).to.equal(true);
            expect(mayReadEnterpriseUsers({ role: 'platform-admin', enterpriseId: 'P' }, 'E')).to.equal(true);
            expect(mayReadEnterpriseUsers({ role: 'supplier', enterpriseId: 'E' }, 'E')).to.equal(true);
            expect(mayReadEnterpriseUsers({ role: 'supplier', enterpriseId: 'S' }, 'E')).to.equal(false);
            expect(mayReadEnterpriseUsers({ role: 'financier', enterpriseId: 'B' }, 'E')).to.equal(false);
            expect(mayReadEnterpriseUsers(undefined, 'E')).to.equal(false);
        });
    });
});
