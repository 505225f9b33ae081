import { expect } from 'chai';
import { X509Certificate, createHash } from 'crypto';
import { decodeError } from '../../../../chaincode/src/errors';
import { LedgerFixture, newLatch, newLedgerFixture } from '../../../test/ledger-fixture';
import { latches } from '../../../test/kv-contract';
import { CommitError, EndorseError, LedgerError, SubmitResult } from './index';

async function expectEndorseError(promise: Promise<unknown>, code: string): Promise<EndorseError> {
    try {
        await promise;
    } catch (error) {
        expect(error).to.be.instanceOf(EndorseError);
        expect(decodeError((error as Error).message).code).to.equal(code);
        expect((error as EndorseError).txId).to.match(/^[0-9a-f]{64}$/);
        return error as EndorseError;
    }
    throw new Error(`expected an EndorseError ${code}`);
}

async function expectCommitError(promise: Promise<unknown>, code: string): Promise<CommitError> {
    try {
        await promise;
    } catch (error) {
        expect(error).to.be.instanceOf(CommitError);
        expect((error as CommitError).code).to.equal(code);
        return error as CommitError;
    }
    throw new Error(`expected a CommitError ${code}`);
}

describe('embedded ledger engine', () => {
    let f: LedgerFixture;

    beforeEach(async () => {
        f = await newLedgerFixture();
    });
    afterEach(() => f.dispose());

    const get = async (key: string): Promise<string> => (await f.ledger.evaluate(f.alice, 'kv:Get', [key])).toString('utf8');

    describe('submit and evaluate', () => {
        it('commits a submitted transaction into a new block and reports where', async () => {
            const committed = await f.ledger.submit(f.alice, 'kv:Put', ['a', '1']);
            expect(committed.blockNumber).to.equal(1);
            expect(committed.txIndex).to.equal(0);
            expect(await get('a')).to.equal('1');
            expect(await f.ledger.getTransactionStatus(committed.txId)).to.deep.equal({ blockNumber: 1, txIndex: 0, validationCode: 'VALID' });
            const block = await f.ledger.readBlock(1);
            expect(block.data.transactions[0]).to.include({ txId: committed.txId, validationCode: 'VALID', function: 'kv:Put' });
            expect(block.data.transactions[0].creator.mspId).to.equal('PlatformMSP');
        });

        it('orders a transaction only after beforeOrdering resolves, and not at all when it rejects', async () => {
            const seen: string[] = [];
            let release: () => void = () => undefined;
            const held = f.ledger.submit(f.alice, 'kv:Put', ['a', '1'], {
                beforeOrdering: (txId) => {
                    seen.push(txId);
                    return new Promise<void>((resolve) => (release = resolve));
                },
            });
            while (seen.length === 0) {
                await new Promise((resolve) => setImmediate(resolve));
            }
            await new Promise((resolve) => setTimeout(resolve, 20));
            expect(f.ledger.height()).to.equal(1);
            expect(await f.ledger.getTransactionStatus(seen[0])).to.equal(undefined);
            release();
            expect((await held).txId).to.equal(seen[0]);
            expect((await f.ledger.getTransactionStatus(seen[0]))?.validationCode).to.equal('VALID');

            const refused = f.ledger.submit(f.alice, 'kv:Put', ['b', '2'], {
                beforeOrdering: async (txId) => {
                    seen.push(txId);
                    throw new Error('cannot record');
                },
            });
            expect(await refused.then(() => 'committed', (error: Error) => error.message)).to.equal('cannot record');
            expect(await f.ledger.getTransactionStatus(seen[1])).to.equal(undefined);
            expect(f.ledger.height()).to.equal(2);
            expect(await get('b')).to.equal('');
        });

        it('never writes on evaluate, even for a submit transaction', async () => {
            const before = await f.ledger.stateDigest();
            await f.ledger.evaluate(f.alice, 'kv:Put', ['a', '1']);
            expect(f.ledger.height()).to.equal(1);
            expect(await f.ledger.stateDigest()).to.equal(before);
        });

        it('hides a transaction its own writes: a read after a write sees committed state', async () => {
            await f.ledger.submit(f.alice, 'kv:Put', ['n', '5']);
            expect((await f.ledger.submit(f.alice, 'kv:Increment', ['n', ''])).result.toString()).to.equal('6');
        });

        it('runs the chaincode identity checks on the local CA certificate attributes', async () => {
            const who = JSON.parse((await f.ledger.evaluate(f.bob, 'kv:WhoAmI')).toString());
            expect(who).to.include({ mspId: 'BankMSP', role: 'financier', eid: 'E-BOB' });
        });

        it('takes transaction timestamps from the injected clock', async () => {
            const g = await newLedgerFixture({ clock: () => new Date('2030-01-02T03:04:05.000Z') });
            try {
                expect(JSON.parse((await g.ledger.evaluate(g.alice, 'kv:WhoAmI')).toString()).time).to.equal('2030-01-02T03:04:05.000Z');
            } finally {
                await g.dispose();
            }
        });
    });

    describe('creators', () => {
        /** The SHA-256 fingerprint of a certificate's DER as OpenSSL prints it, without the colons. */
        const opensslFingerprint = (pem: string): string => new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();

        it("records a transaction's creator as its certificate's fingerprint, SHA-256 of the DER", async () => {
            const committed = await f.ledger.submit(f.alice, 'kv:Put', ['a', '1']);
            const creator = (await f.ledger.readBlock(committed.blockNumber)).data.transactions[committed.txIndex].creator;
            expect(creator).to.deep.equal({ mspId: 'PlatformMSP', certificateHash: opensslFingerprint(f.alice.certificate) });
            expect(creator.certificateHash).to.not.equal(createHash('sha256').update(f.alice.certificate, 'utf8').digest('hex'));
        });

        it('treats PEM texts of one certificate that differ in line breaks and whitespace as one creator, whose chain verifies', async () => {
            const crlf = { ...f.alice, certificate: `${f.alice.certificate.replace(/\n/g, '\r\n')}\r\n` };
            const rewrapped = { ...f.alice, certificate: `\n${f.alice.certificate.replace(/\n(?!-----END)/g, '').replace('-----BEGIN CERTIFICATE-----', '$&\n')}\n\n` };
            const hashes: string[] = [];
            for (const identity of [f.alice, crlf, rewrapped]) {
                const committed = await f.ledger.submit(identity, 'kv:Put', ['a', identity.certificate.length.toString()]);
                hashes.push((await f.ledger.readBlock(committed.blockNumber)).data.transactions[committed.txIndex].creator.certificateHash);
            }
            await f.reopen();
            // After a restart the engine no longer remembers which certificates it stored.
            const again = await f.ledger.submit(crlf, 'kv:Put', ['a', 'after restart']);
            hashes.push((await f.ledger.readBlock(again.blockNumber)).data.transactions[again.txIndex].creator.certificateHash);
            expect(new Set(hashes)).to.deep.equal(new Set([opensslFingerprint(f.alice.certificate)]));
            expect(await f.ledger.verifyChain()).to.deep.include({ ok: true, height: 5 });
        });
    });

    describe('bad input', () => {
        it('rejects an unknown transaction, an unknown contract and a wrong argument count with coded errors, writing nothing', async () => {
            const before = await f.ledger.stateDigest();
            await expectEndorseError(f.ledger.submit(f.alice, 'kv:Nope', []), 'UNKNOWN_TRANSACTION');
            await expectEndorseError(f.ledger.submit(f.alice, 'nope:Put', ['a', '1']), 'UNKNOWN_TRANSACTION');
            await expectEndorseError(f.ledger.submit(f.alice, 'kv:Put', ['a']), 'INVALID_ARGUMENT');
            await expectEndorseError(f.ledger.submit(f.alice, '', []), 'INVALID_ARGUMENT');
            await expectEndorseError(f.ledger.submit(f.alice, 'kv:Put', [1 as unknown as string, '2']), 'INVALID_ARGUMENT');
            expect(await f.ledger.stateDigest()).to.equal(before);
            expect(f.ledger.height()).to.equal(1);
        });

        it('discards the writes of a transaction that fails after writing and carries its code', async () => {
            const error = await expectEndorseError(f.ledger.submit(f.alice, 'kv:WriteThenFail', ['x']), 'INVALID_STATE');
            expect(error.message).to.equal('[INVALID_STATE] refused after writing');
            expect(error.details[0].message).to.contain('chaincode response 500, [INVALID_STATE]');
            expect(await get('x')).to.equal('');
        });

        it('refuses an unparseable creator certificate as UNAUTHENTICATED', async () => {
            await expectEndorseError(f.ledger.submit({ mspId: 'PlatformMSP', certificate: 'not a cert' }, 'kv:Put', ['a', '1']), 'UNAUTHENTICATED');
        });

        it('refuses a proposal whose signature does not verify', async () => {
            const forger = { ...f.alice, signer: () => Buffer.from('forged') };
            const height = f.ledger.height();
            await expectEndorseError(f.ledger.submit(forger, 'kv:Put', ['a', '1']), 'UNAUTHENTICATED');
            // The chaincode runs while the signature is checked, but a bad signature wins over its answer.
            await expectEndorseError(f.ledger.submit(forger, 'kv:WriteThenFail', ['x']), 'UNAUTHENTICATED');
            await expectEndorseError(f.ledger.evaluate(forger, 'kv:Get', ['a']), 'UNAUTHENTICATED');
            const slowForger = { ...f.alice, signer: () => new Promise<Uint8Array>((resolve) => setTimeout(() => resolve(Buffer.from('late forgery')), 20)) };
            await expectEndorseError(f.ledger.submit(slowForger, 'kv:Put', ['a', '1']), 'UNAUTHENTICATED');
            const failingSigner = { ...f.alice, signer: () => Promise.reject(new Error('the key store is locked')) };
            const signerError = await f.ledger.submit(failingSigner, 'kv:Put', ['a', '1']).then(
                () => undefined,
                (error: Error) => error,
            );
            expect(signerError?.message).to.equal('the key store is locked');
            expect(f.ledger.height()).to.equal(height);
            expect((await f.ledger.evaluate(f.alice, 'kv:Get', ['a'])).toString()).to.equal('');
        });

        it('refuses an unsigned proposal when signatures are required', async () => {
            await f.reopen({ requireSignatures: true });
            await expectEndorseError(f.ledger.submit({ mspId: f.alice.mspId, certificate: f.alice.certificate }, 'kv:Put', ['a', '1']), 'UNAUTHENTICATED');
            await f.ledger.submit(f.alice, 'kv:Put', ['a', '1']);
        });

        it('refuses a creator whose certificate its MSP CA did not issue', async () => {
            const roots = await f.ca.trustedRoots();
            await f.reopen({ trustedRoots: { PlatformMSP: roots.PlatformMSP, BankMSP: roots.BankMSP } });
            await f.ledger.submit(f.alice, 'kv:Put', ['a', '1']);
            await expectEndorseError(f.ledger.submit({ ...f.bob, mspId: 'PlatformMSP' }, 'kv:Put', ['a', '2']), 'UNAUTHENTICATED');
        });

        it('rejects calls after close with LedgerError', async () => {
            await f.ledger.close();
            try {
                await f.ledger.submit(f.alice, 'kv:Put', ['a', '1']);
                expect.fail('submitted after close');
            } catch (error) {
                expect(error).to.be.instanceOf(LedgerError);
            }
        });
    });

    describe('MVCC and phantom validation', () => {
        it('fails the later of two concurrent read-modify-writes of one key with MVCC_READ_CONFLICT, losing no update', async () => {
            await f.ledger.submit(f.alice, 'kv:Put', ['counter', '0']);
            const latch = newLatch();
            latches.set('hold', latch.promise);
            const first = f.ledger.submit(f.alice, 'kv:Increment', ['counter', '']);
            const second = f.ledger.submit(f.bob, 'kv:Increment', ['counter', 'hold']);
            await first;
            latch.open();
            const conflict = await expectCommitError(second, 'MVCC_READ_CONFLICT');
            expect(await get('counter')).to.equal('1');
            expect((await f.ledger.getTransactionStatus(conflict.txId))?.validationCode).to.equal('MVCC_READ_CONFLICT');
            latches.delete('hold');
        });

        it('fails the later of many concurrent increments in the same block, and a retry succeeds', async () => {
            await f.ledger.submit(f.alice, 'kv:Put', ['counter', '0']);
            const g = f.ledger;
            const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => g.submit(f.alice, 'kv:Increment', ['counter', ''])));
            const committed = outcomes.filter((o) => o.status === 'fulfilled').length;
            expect(committed).to.be.greaterThan(0);
            for (const o of outcomes) {
                if (o.status === 'rejected') {
                    expect(o.reason).to.be.instanceOf(CommitError);
                }
            }
            expect(await get('counter')).to.equal(String(committed));
            await g.submit(f.alice, 'kv:Increment', ['counter', '']);
            expect(await get('counter')).to.equal(String(committed + 1));
        });

        it('loses no increment when every transaction gets its own block', async () => {
            const g = await f.reopen({ blockMaxTransactions: 1, blockTimeoutMs: 0, sync: true });
            await g.submit(f.alice, 'kv:Put', ['counter', '0']);
            const start = g.height();
            const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => g.submit(i % 2 ? f.bob : f.alice, 'kv:Increment', ['counter', ''])));
            const committed = outcomes.filter((o) => o.status === 'fulfilled').length;
            for (const o of outcomes) {
                if (o.status === 'rejected') {
                    expect(o.reason).to.be.instanceOf(CommitError);
                    expect((o.reason as CommitError).code).to.equal('MVCC_READ_CONFLICT');
                }
            }
            expect(committed).to.be.greaterThan(0);
            expect(g.height()).to.equal(start + 20);
            expect(await get('counter')).to.equal(String(committed));
            expect((await g.verifyChain()).ok).to.equal(true);
        });

        it('fails a range read with PHANTOM_READ_CONFLICT when a key is inserted into the range before it commits', async () => {
            await f.ledger.submit(f.alice, 'kv:Put', ['item-1', 'x']);
            const latch = newLatch();
            latches.set('scan', latch.promise);
            const count = f.ledger.submit(f.alice, 'kv:CountRange', ['item-', 'item-~', 'total', 'scan']);
            await f.ledger.submit(f.bob, 'kv:Put', ['item-2', 'y']);
            latch.open();
            await expectCommitError(count, 'PHANTOM_READ_CONFLICT');
            expect(await get('total')).to.equal('');
            latches.delete('scan');
        });

        it('fails a range read with PHANTOM_READ_CONFLICT when a key in the range is deleted or updated', async () => {
            await f.ledger.submit(f.alice, 'kv:Put', ['item-1', 'x']);
            for (const change of [['kv:Delete', ['item-1']], ['kv:Put', ['item-1', 'z']]] as const) {
                await f.ledger.submit(f.alice, 'kv:Put', ['item-1', 'x']);
                const latch = newLatch();
                latches.set('scan', latch.promise);
                const count = f.ledger.submit(f.alice, 'kv:CountRange', ['item-', 'item-~', 'total', 'scan']);
                await f.ledger.submit(f.bob, change[0], [...change[1]]);
                latch.open();
                await expectCommitError(count, 'PHANTOM_READ_CONFLICT');
            }
            latches.delete('scan');
        });

        it('commits a range read when a key outside the range changes', async () => {
            await f.ledger.submit(f.alice, 'kv:Put', ['item-1', 'x']);
            const latch = newLatch();
            latches.set('scan', latch.promise);
            const count = f.ledger.submit(f.alice, 'kv:CountRange', ['item-', 'item-~', 'total', 'scan']);
            await f.ledger.submit(f.bob, 'kv:Put', ['other', 'y']);
            latch.open();
            expect((await count).result.toString()).to.equal('1');
            latches.delete('scan');
        });
    });

    describe('queries and history', () => {
        it('returns composite keys by partial key in byte order and keeps them out of plain range scans', async () => {
            await f.ledger.submit(f.alice, 'kv:PutComposite', ['note', 'b', '2', 'v']);
            await f.ledger.submit(f.alice, 'kv:PutComposite', ['note', 'a', '1', 'v']);
            await f.ledger.submit(f.alice, 'kv:PutComposite', ['note', 'a', '0', 'v']);
            await f.ledger.submit(f.alice, 'kv:Put', ['plain', 'v']);
            expect(JSON.parse((await f.ledger.evaluate(f.alice, 'kv:ScanComposite', ['note', 'a'])).toString())).to.deep.equal([['a', '0'], ['a', '1']]);
            expect(JSON.parse((await f.ledger.evaluate(f.alice, 'kv:ScanComposite', ['note', ''])).toString())).to.have.length(3);
            expect(JSON.parse((await f.ledger.evaluate(f.alice, 'kv:Scan', ['', ''])).toString())).to.deep.equal(['plain']);
        });

        it('reports key history newest first, as Fabric v2 does, including deletes', async () => {
            const t1 = await f.ledger.submit(f.alice, 'kv:Put', ['h', '1']);
            const t2 = await f.ledger.submit(f.alice, 'kv:Put', ['h', '2']);
            const t3 = await f.ledger.submit(f.alice, 'kv:Delete', ['h']);
            const history = JSON.parse((await f.ledger.evaluate(f.alice, 'kv:History', ['h'])).toString());
            // Each entry's id and time are the ones its block records for the transaction.
            const timeOf = async (committed: SubmitResult): Promise<number> => Date.parse((await f.ledger.readBlock(committed.blockNumber)).data.transactions[committed.txIndex].timestamp);
            expect(history).to.deep.equal([
                { txId: t3.txId, timestampMs: await timeOf(t3), isDelete: true, value: '' },
                { txId: t2.txId, timestampMs: await timeOf(t2), isDelete: false, value: '2' },
                { txId: t1.txId, timestampMs: await timeOf(t1), isDelete: false, value: '1' },
            ]);
        });
    });

    describe('private data', () => {
        it('stores the value privately, its hash publicly, and keeps the value and transient data out of the block', async () => {
            const secret = 'rate=3.85%';
            const committed = await f.ledger.submit(f.alice, 'kv:PutPrivate', ['terms', 'q1'], { transient: { value: secret } });
            expect((await f.ledger.evaluate(f.alice, 'kv:GetPrivate', ['terms', 'q1'])).toString()).to.equal(secret);
            const hash = (await f.ledger.evaluate(f.alice, 'kv:GetPrivateHash', ['terms', 'q1'])).toString();
            expect(hash).to.equal(createHash('sha256').update(secret).digest('hex'));
            const block = await f.ledger.readBlock(committed.blockNumber);
            const serialised = JSON.stringify(block);
            expect(serialised).to.not.contain(secret);
            expect(serialised).to.not.contain(Buffer.from(secret).toString('base64'));
            expect(block.data.transactions[0].readWriteSet.hashedWrites).to.deep.equal([['terms', createHash('sha256').update('q1').digest('hex'), hash]]);
        });

        it('fails a transaction that read a private key changed before it committed with MVCC_READ_CONFLICT', async () => {
            await f.ledger.submit(f.alice, 'kv:PutPrivate', ['terms', 'q1'], { transient: { value: 'a' } });
            const latch = newLatch();
            latches.set('private', latch.promise);
            const copy = f.ledger.submit(f.alice, 'kv:CopyPrivate', ['terms', 'q1', 'copy', 'private']);
            await f.ledger.submit(f.bob, 'kv:PutPrivate', ['terms', 'q1'], { transient: { value: 'b' } });
            latch.open();
            await expectCommitError(copy, 'MVCC_READ_CONFLICT');
            expect(await get('copy')).to.equal('');
            latches.delete('private');
        });
    });

    describe('durability and the block chain', () => {
        it('keeps state, history, blocks and private data across a restart, and the chain verifies', async () => {
            await f.ledger.submit(f.alice, 'kv:Put', ['a', '1']);
            await f.ledger.submit(f.alice, 'kv:Put', ['a', '2']);
            await f.ledger.submit(f.alice, 'kv:PutPrivate', ['terms', 'q'], { transient: { value: 's' } });
            const digest = await f.ledger.stateDigest();
            const height = f.ledger.height();
            await f.reopen();
            expect(f.ledger.height()).to.equal(height);
            expect(await f.ledger.stateDigest()).to.equal(digest);
            expect(await get('a')).to.equal('2');
            const history = JSON.parse((await f.ledger.evaluate(f.alice, 'kv:History', ['a'])).toString()) as Array<{ value: string }>;
            expect(history.map((entry) => entry.value)).to.deep.equal(['2', '1']);
            expect((await f.ledger.evaluate(f.alice, 'kv:GetPrivate', ['terms', 'q'])).toString()).to.equal('s');
            expect(await f.ledger.verifyChain()).to.deep.include({ ok: true, height });
            const next = await f.ledger.submit(f.alice, 'kv:Put', ['a', '3']);
            expect(next.blockNumber).to.equal(height);
            expect((await f.ledger.readBlock(height)).header.previousHash).to.equal((await f.ledger.readBlock(height - 1)).hash);
        });

        for (const delayMs of [0, 20]) {
            it(`fails a block whose write fails ${delayMs ? 'slowly' : 'at once'}, refuses what was validated on top of it, then carries on`, async () => {
                await f.reopen({ blockMaxTransactions: 1, blockTimeoutMs: 0 });
                await f.ledger.submit(f.alice, 'kv:Put', ['a', '1']);
                const height = f.ledger.height();
                // The next LevelDB batch write fails, as a full disk would make it.
                const db = (f.ledger as unknown as { db: { batch(): { write(options: unknown): Promise<void> } } }).db;
                const batch = db.batch.bind(db);
                let failures = 1;
                db.batch = () => {
                    const chained = batch();
                    const write = chained.write.bind(chained);
                    chained.write = async (options: unknown) => {
                        if (failures-- > 0) {
                            // At once, it fails while the next block is being validated; slowly, after.
                            if (delayMs > 0) {
                                await new Promise((resolve) => setTimeout(resolve, delayMs));
                            }
                            throw new Error('no space left on device');
                        }
                        return write(options);
                    };
                    return chained;
                };
                const [first, second] = await Promise.allSettled([f.ledger.submit(f.alice, 'kv:Put', ['a', '2']), f.ledger.submit(f.bob, 'kv:Put', ['b', '3'])]);
                expect(first.status).to.equal('rejected');
                expect((first as PromiseRejectedResult).reason).to.be.instanceOf(LedgerError);
                if (second.status === 'rejected') {
                    expect(second.reason).to.be.instanceOf(LedgerError);
                }
                // Only a block validated after the failure can have been committed.
                expect(f.ledger.height()).to.equal(height + (second.status === 'fulfilled' ? 1 : 0));
                expect(await get('a')).to.equal('1');
                expect(await get('b')).to.equal(second.status === 'fulfilled' ? '3' : '');
                if (delayMs > 0) {
                    expect(second.status).to.equal('rejected');
                }
                for (let i = 0; i < 3; i++) {
                    await f.ledger.submit(f.alice, 'kv:Put', ['a', `${4 + i}`]);
                }
                expect(await get('a')).to.equal('6');
                expect(await f.ledger.verifyChain()).to.deep.include({ ok: true, height: f.ledger.height() });
            });
        }

        it('refuses a transaction id that is already committed as DUPLICATE_TXID', async () => {
            const nonce = Buffer.from('fixed-nonce');
            await f.reopen({ nonce: () => nonce });
            await f.ledger.submit(f.alice, 'kv:Put', ['a', '1']);
            await expectCommitError(f.ledger.submit(f.alice, 'kv:Put', ['a', '2']), 'DUPLICATE_TXID');
            expect(await get('a')).to.equal('1');
        });

        it('groups concurrent transactions into blocks of at most blockMaxTransactions', async () => {
            await f.reopen({ blockMaxTransactions: 4, blockTimeoutMs: 50 });
            const results = await Promise.all(Array.from({ length: 10 }, (_, i) => f.ledger.submit(f.alice, 'kv:Put', [`k${i}`, 'v'])));
            const blocks = new Set(results.map((r) => r.blockNumber));
            expect(blocks.size).to.equal(3);
            for (const n of blocks) {
                expect((await f.ledger.readBlock(n)).data.transactions.length).to.be.at.most(4);
            }
        });
    });
});
