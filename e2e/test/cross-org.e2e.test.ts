import { expect } from 'chai';
import type { Enterprise } from '@xinlian/chaincode';
import { NO_RETRY } from '../src/tx-client';
import { World, ensureEnterprises, freshUscc, openWorld } from '../src/world';
import { eventually, expectTxFailure } from './expect-failure';

describe('cross-org endorsement on the Fabric network', () => {
    let world: World;

    before(async () => {
        world = await openWorld();
        await ensureEnterprises(world);
    });

    after(() => world?.close());

    it('commits a registration endorsed by the Platform and Bank peers that the Partner peer then reads', async () => {
        const id = freshUscc(world);
        const out = await world.submit<Enterprise>('platform-admin', 'enterprise:RegisterEnterprise', {
            args: [{ id, name: 'E2E Cross-Org Supplier Co.', kind: 'SUPPLIER' }],
            endorsingOrganizations: ['PlatformMSP', 'BankMSP'],
        });
        expect(out.result.id).to.equal(id);
        expect(out.attempts).to.have.length(1);

        // The Partner peer took no part in endorsement; it sees the record once it has committed the block.
        const seen = await eventually(() => world.evaluate<Enterprise>('foreign-partner', 'enterprise:ReadEnterprise', { args: [id] }, 'partner'));
        expect(seen).to.include({ id, name: 'E2E Cross-Org Supplier Co.', kind: 'SUPPLIER' });
    });

    it('invalidates a registration endorsed by the Platform peer alone with ENDORSEMENT_POLICY_FAILURE', async () => {
        const id = freshUscc(world);
        await expectTxFailure(
            () => world.submit('platform-admin', 'enterprise:RegisterEnterprise', { args: [{ id, name: 'E2E One-Org Co.', kind: 'SUPPLIER' }], endorsingOrganizations: ['PlatformMSP'] }, NO_RETRY),
            'ENDORSEMENT_POLICY_FAILURE',
            'commit',
        );
        await expectTxFailure(() => world.evaluate('platform-admin', 'enterprise:ReadEnterprise', { args: [id] }), 'NOT_FOUND', 'evaluate');
    });

    it('returns the chaincode refusal of a duplicate registration as ALREADY_EXISTS from endorsement', async () => {
        const tier1 = world.user('tier1').eid as string;
        await expectTxFailure(
            () => world.submit('platform-admin', 'enterprise:RegisterEnterprise', { args: [{ id: tier1, name: 'Again', kind: 'SUPPLIER' }] }),
            'ALREADY_EXISTS',
            'endorse',
        );
    });
});
