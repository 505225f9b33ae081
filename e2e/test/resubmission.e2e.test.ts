import { expect } from 'chai';
import { randomBytes } from 'crypto';
import { promises as fs, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEMO_IDS } from '../../gateway/src/services/demo-seed';
import { loadConfig } from '../../gateway/src/config';
import { connectFabricBackend } from '../../gateway/src/ledger/fabric-backend';
import type { LedgerBackend, LedgerUser, Submission } from '../../gateway/src/ledger/ledger-backend';
import { endpointsFile } from '../src/endpoints';
import { freshUscc } from '../src/world';

/** The gateway's FABRIC_* settings for the platform org, from endpoints.json, as run-fabric.sh passes them. */
function platformEnvironment(): Record<string, string> {
    const endpoints = JSON.parse(readFileSync(endpointsFile(), 'utf8'));
    const org = endpoints.orgs.platform;
    return {
        LEDGER_BACKEND: 'fabric',
        FABRIC_CHANNEL: endpoints.channel,
        FABRIC_CHAINCODE: endpoints.chaincode,
        FABRIC_PLATFORM_PEER_ENDPOINT: org.peer.endpoint,
        FABRIC_PLATFORM_PEER_HOST_ALIAS: org.peer.hostAlias,
        FABRIC_PLATFORM_TLS_CA: org.peer.tlsRootCert,
        FABRIC_PLATFORM_CA_URL: org.ca.url,
        FABRIC_PLATFORM_CA_NAME: org.ca.caName,
        FABRIC_PLATFORM_CA_TLS_CERT: org.ca.tlsCert,
        FABRIC_PLATFORM_CA_REGISTRAR: org.ca.registrar.enrollmentId,
        FABRIC_PLATFORM_CA_REGISTRAR_SECRET: org.ca.registrar.enrollmentSecret,
        // Fresh CA identities on every run, so a reused network never sees the same enrollment id twice.
        FABRIC_CA_ID_PREFIX: `resend-${randomBytes(4).toString('hex')}-`,
        GATEWAY_WALLET_PASSPHRASE: randomBytes(12).toString('hex'),
        // Only the platform org is configured: no demo seed, which would enroll users of the other orgs.
        GATEWAY_SEED_DEMO: 'false',
    };
}

class NotSent extends Error {}

/**
 * The gateway's Fabric backend (gateway/src/ledger/fabric-backend.ts) on the real network: a
 * transaction that was endorsed and recorded but never sent for ordering, as when the gateway stops
 * in between, is settled by a later outcome lookup instead of staying unknown.
 */
describe('a recorded transaction that never reached the orderer (fabric backend, real network)', function () {
    this.timeout(180_000);
    let backend: LedgerBackend;
    let walletDirectory: string;
    const admin: LedgerUser = { username: 'resend-admin', mspId: 'PlatformMSP', role: 'platform-admin', enterpriseId: DEMO_IDS.platform };
    const reader: LedgerUser = { username: 'resend-reader', mspId: 'PlatformMSP', role: 'platform-admin', enterpriseId: DEMO_IDS.platform };

    /** Endorses RegisterEnterprise for `id` and records it, then stops before sending it: the submission as recorded. */
    async function recordWithoutSending(id: string): Promise<Submission> {
        let recorded: Submission | undefined;
        const request = JSON.stringify({ id, name: `Resend ${id}`, kind: 'SUPPLIER' });
        const error = await backend
            .submit(admin, 'enterprise:RegisterEnterprise', [request], {
                onSubmitting: async (submission) => {
                    recorded = submission;
                    throw new NotSent('the gateway stopped here');
                },
            })
            .then(
                () => undefined,
                (e: unknown) => e,
            );
        expect(error, 'submit must fail with the recording hook').to.be.instanceOf(Error);
        expect(recorded, 'the submission was recorded').to.not.equal(undefined);
        return recorded as Submission;
    }

    async function enterprise(id: string): Promise<{ id: string } | undefined> {
        try {
            return JSON.parse((await backend.evaluate(reader, 'enterprise:ReadEnterprise', [id])).toString('utf8'));
        } catch (error) {
            if ((error as { code?: string }).code === 'NOT_FOUND') {
                return undefined;
            }
            throw error;
        }
    }

    before(async () => {
        const config = loadConfig(platformEnvironment());
        walletDirectory = await fs.mkdtemp(path.join(os.tmpdir(), 'xinlian-resend-'));
        backend = await connectFabricBackend({ fabric: config.fabric, walletDirectory, walletPassphrase: config.walletPassphrase, keyScrypt: config.keyScrypt });
        await backend.enroll(admin);
        await backend.enroll(reader);
    });

    after(async () => {
        await backend?.close();
        if (walletDirectory) {
            await fs.rm(walletDirectory, { recursive: true, force: true });
        }
    });

    it('commits it when the outcome is asked for, exactly once, and reports the chaincode result', async () => {
        const id = freshUscc();
        const submission = await recordWithoutSending(id);
        expect(submission.transaction, 'the signed transaction is part of the record').to.be.a('string');
        expect(await enterprise(id), 'nothing was sent, so nothing is written').to.equal(undefined);

        const outcome = await backend.submissionOutcome(reader, submission);
        expect(outcome.state).to.equal('committed');
        expect(outcome.state === 'committed' && outcome.valid).to.equal(true);
        const result = JSON.parse((outcome.state === 'committed' && outcome.result ? outcome.result : Buffer.alloc(0)).toString('utf8'));
        expect(result.id).to.equal(id);
        expect((await enterprise(id))?.id).to.equal(id);

        // Asked again: already committed, so it is reported, not sent a second time.
        const again = await backend.submissionOutcome(reader, submission);
        expect(again.state === 'committed' && again.valid).to.equal(true);
    });

    it('reports it invalid, writing nothing, when what it read has changed since it was endorsed', async () => {
        const id = freshUscc();
        const stale = await recordWithoutSending(id);
        // The same enterprise registered meanwhile by a request that did go through.
        await backend.submit(admin, 'enterprise:RegisterEnterprise', [JSON.stringify({ id, name: `Registered ${id}`, kind: 'SUPPLIER' })]);

        const outcome = await backend.submissionOutcome(reader, stale);
        expect(outcome).to.deep.equal({ state: 'committed', valid: false });
        expect((await enterprise(id)) as unknown as { name: string }).to.have.property('name', `Registered ${id}`);
    });

    it('leaves it unknown when the record is not a transaction of this id', async () => {
        const first = await recordWithoutSending(freshUscc());
        const second = await recordWithoutSending(freshUscc());
        expect(await backend.submissionOutcome(reader, { ...first, transaction: second.transaction })).to.deep.equal({ state: 'unknown' });
        expect(await backend.submissionOutcome(reader, { ...second, transaction: undefined })).to.deep.equal({ state: 'unknown' });
    });
});
