import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { openLocalCa } from './local-ca';
import { tuneShim } from './shim-tuning';

describe('shim tuning', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ClientIdentity } = require('fabric-shim') as { ClientIdentity: new (stub: unknown) => { getID(): string; getMSPID(): string; getAttributeValue(name: string): string | null } };
    const stubFor = (mspId: string, pem: string): unknown => ({
        getChannelID: () => 'xinlian',
        getTxID: () => 'tx',
        getCreator: () => ({ mspid: mspId, idBytes: Buffer.from(pem, 'utf8') }),
    });
    let directory: string;

    before(() => {
        directory = mkdtempSync(path.join(tmpdir(), 'xinlian-shim-tuning-'));
        tuneShim();
    });

    after(() => rmSync(directory, { recursive: true, force: true }));

    it("leaves uncaught exceptions and unhandled rejections to Node, not to the shim's loggers", () => {
        // Loaded, the shim and the contract API hook both into the process (see point 5 of shim-tuning.ts).
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('fabric-contract-api');
        expect(process.listeners('uncaughtException').map((listener) => listener.name)).to.not.include('bound _uncaughtException');
        expect(process.listeners('unhandledRejection').map((listener) => listener.name)).to.not.include('loggerUnhandledRejectionFn');
    });

    it('gives ClientIdentity the same identity and attributes for a certificate it has seen before', async () => {
        const ca = openLocalCa({ directory, passphrase: 'test-passphrase', scryptCost: { N: 2 ** 10, r: 8, p: 1 } });
        const alice = await ca.enroll('OrgAMSP', 'alice', { 'xl.role': 'supplier' });
        const bob = await ca.enroll('OrgAMSP', 'bob', { 'xl.role': 'financier' });
        const first = new ClientIdentity(stubFor(alice.mspId, alice.certificate));
        const again = new ClientIdentity(stubFor(alice.mspId, alice.certificate));
        const other = new ClientIdentity(stubFor(bob.mspId, bob.certificate));
        expect(again.getID()).to.equal(first.getID()).and.to.equal('x509::/CN=alice/OU=client/O=OrgAMSP::/CN=ca.orgamsp/O=OrgAMSP');
        expect(again.getAttributeValue('xl.role')).to.equal('supplier');
        expect(other.getAttributeValue('xl.role')).to.equal('financier');
        expect(other.getID()).to.not.equal(first.getID());
    });

    it('assembles later identities of a certificate from its cached id and attributes, with the MSP id and bytes of the call', async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const tuned = require('fabric-shim/lib/chaincode.js').ClientIdentity as new (stub: unknown) => {
            getID(): string;
            getMSPID(): string;
            getIDBytes(): Uint8Array;
            getAttributeValue(name: string): string | null;
            assertAttributeValue(name: string, value: string): boolean;
            attrs: Record<string, string>;
        };
        expect(tuned).to.not.equal(ClientIdentity);
        const ca = openLocalCa({ directory: path.join(directory, 'memo'), passphrase: 'test-passphrase', scryptCost: { N: 2 ** 10, r: 8, p: 1 } });
        const carol = await ca.enroll('OrgAMSP', 'carol', { 'xl.role': 'supplier', 'xl.eid': 'E-CAROL' });
        const reference = new ClientIdentity(stubFor(carol.mspId, carol.certificate));
        const first = new tuned(stubFor(carol.mspId, carol.certificate));
        const second = new tuned(stubFor('OrgBMSP', carol.certificate));
        for (const identity of [first, second]) {
            expect(identity).to.be.instanceOf(ClientIdentity);
            expect(identity.getID()).to.equal(reference.getID());
            expect(identity.getAttributeValue('xl.eid')).to.equal('E-CAROL');
            expect(identity.assertAttributeValue('xl.role', 'supplier')).to.equal(true);
            expect(identity.getAttributeValue('hf.Affiliation')).to.equal(reference.getAttributeValue('hf.Affiliation'));
            expect(Buffer.from(identity.getIDBytes()).toString('utf8')).to.equal(carol.certificate);
        }
        expect(second.getMSPID()).to.equal('OrgBMSP');
        second.attrs['xl.role'] = 'changed';
        expect(new tuned(stubFor(carol.mspId, carol.certificate)).getAttributeValue('xl.role')).to.equal('supplier');
    });

    it('still refuses an unparsable certificate every time', () => {
        const broken = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n';
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const tuned = require('fabric-shim/lib/chaincode.js').ClientIdentity as typeof ClientIdentity;
        for (const Identity of [ClientIdentity, tuned, tuned]) {
            expect(() => new Identity(stubFor('OrgAMSP', broken))).to.throw();
        }
    });

    it('formats a shim log line only when its level is enabled', () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const logger = require('fabric-shim/lib/logger').getLogger('contracts-spi/chaincodefromcontract.js') as {
            level: string;
            format: { transform: (...args: unknown[]) => unknown };
            transports: Array<{ silent: boolean }>;
            debug(message: string): void;
            error(message: string): void;
        };
        const { level, format } = logger;
        const transform = format.transform;
        let formatted = 0;
        format.transform = (...args: unknown[]) => {
            formatted++;
            return transform.apply(format, args);
        };
        const silent = logger.transports.map((t) => t.silent);
        logger.transports.forEach((t) => (t.silent = true));
        try {
            logger.level = 'error';
            logger.debug('dropped');
            expect(formatted).to.equal(0);
            logger.error('kept');
            expect(formatted).to.equal(1);
            logger.level = 'debug';
            logger.debug('kept too');
            expect(formatted).to.equal(2);
        } finally {
            format.transform = transform;
            logger.level = level;
            logger.transports.forEach((t, i) => (t.silent = silent[i]));
        }
    });
});
