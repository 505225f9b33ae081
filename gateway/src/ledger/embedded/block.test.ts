import { expect } from 'chai';
import { createHash } from 'crypto';
import { TransactionEntry, decodeBlock, entryOf, hashHeader, readTransactionHeader, sealBlock, storedDataHash } from './block';

const hash = (text: string): Buffer => createHash('sha256').update(text).digest();

function entry(txId: string, overrides: Partial<TransactionEntry> = {}): TransactionEntry {
    return {
        txId,
        nonce: 'ab'.repeat(24),
        creator: { mspId: 'PlatformMSP', certificateHash: 'cd'.repeat(32) },
        timestamp: '2026-11-26T08:00:00.000Z',
        function: 'note:AcceptOffer',
        args: ['OF-1', '{"amount":"100","memo":"货款 ✓"}'],
        signature: Buffer.from([0x30, 0x44, 0x02, 0x20]),
        validationCode: 'VALID',
        readWriteSet: {
            reads: [
                { key: '\u0000note\u0000N-1\u0000', version: { block: 7, tx: 3 } },
                { key: 'absent', version: null },
            ],
            rangeQueries: [{ start: 'item-', end: 'item-~', exhausted: false, reads: [{ key: 'item-1', version: { block: 2, tx: 0 } }] }],
            writes: [
                { key: 'a', value: Buffer.from('{"x":1}') },
                { key: 'gone', value: null },
                { key: 'marker', value: Buffer.from([0]) },
            ],
            hashedReads: [{ collection: 'financingTerms', keyHash: hash('q'), version: null }],
            hashedWrites: [
                { collection: 'financingTerms', keyHash: hash('q'), valueHash: hash('terms') },
                { collection: 'financingTerms', keyHash: hash('old'), valueHash: null },
            ],
        },
        event: { name: 'AcceptOffer', payload: Buffer.from('{"offerId":"OF-1"}') },
        result: Buffer.from('{"ok":true}'),
        ...overrides,
    };
}

describe('block format', () => {
    it('decodes what it seals, field for field, with byte strings as base64 and versions as pairs', () => {
        const transactions = [entry('t1'), entry('t2', { signature: undefined, event: undefined, validationCode: 'MVCC_READ_CONFLICT', args: [] })];
        const sealed = sealBlock(5, 'ef'.repeat(32), transactions);
        const block = decodeBlock(sealed.bytes);
        expect(block.header).to.deep.equal(sealed.header);
        expect(block.hash).to.equal(sealed.hash).and.to.equal(hashHeader(sealed.header));
        expect(block.data.config).to.equal(undefined);
        const [first, second] = block.data.transactions;
        expect(first).to.deep.equal({
            txId: 't1',
            nonce: 'ab'.repeat(24),
            creator: { mspId: 'PlatformMSP', certificateHash: 'cd'.repeat(32) },
            timestamp: '2026-11-26T08:00:00.000Z',
            function: 'note:AcceptOffer',
            args: ['OF-1', '{"amount":"100","memo":"货款 ✓"}'],
            signature: Buffer.from([0x30, 0x44, 0x02, 0x20]).toString('base64'),
            validationCode: 'VALID',
            readWriteSet: {
                reads: [
                    ['\u0000note\u0000N-1\u0000', [7, 3]],
                    ['absent', null],
                ],
                rangeQueries: [{ start: 'item-', end: 'item-~', exhausted: false, reads: [['item-1', [2, 0]]] }],
                writes: [
                    ['a', Buffer.from('{"x":1}').toString('base64')],
                    ['gone', null],
                    ['marker', 'AA=='],
                ],
                hashedReads: [['financingTerms', hash('q').toString('hex'), null]],
                hashedWrites: [
                    ['financingTerms', hash('q').toString('hex'), hash('terms').toString('hex')],
                    ['financingTerms', hash('old').toString('hex'), null],
                ],
            },
            event: { name: 'AcceptOffer', payload: Buffer.from('{"offerId":"OF-1"}').toString('base64') },
            result: Buffer.from('{"ok":true}').toString('base64'),
        });
        expect(second).to.not.have.property('signature');
        expect(second).to.not.have.property('event');
        expect(second).to.deep.include({ validationCode: 'MVCC_READ_CONFLICT', args: [] });
        expect(decodeBlock(sealBlock(5, 'ef'.repeat(32), block.data.transactions.map(entryOf)).bytes)).to.deep.equal(block);
    });

    it('grows its buffer past its size estimate (multi-byte text) and keeps no slack', () => {
        const memo = '应收账款确权'.repeat(5000);
        const sealed = sealBlock(2, undefined, [entry('t1', { args: [memo] }), entry('t2')]);
        const block = decodeBlock(sealed.bytes);
        expect(block.data.transactions[0].args).to.deep.equal([memo]);
        expect(sealed.bytes.buffer.byteLength).to.be.lessThan((sealed.bytes.length * 4) / 3 + 8192);
        expect(storedDataHash(sealed.bytes)).to.equal(sealed.header.dataHash);
    });

    it('hashes the stored data and the header, and links to the previous block', () => {
        const genesis = sealBlock(0, undefined, [], { channelId: 'xinlian', chaincode: 'xinlian' });
        expect(decodeBlock(genesis.bytes).data.config).to.deep.equal({ channelId: 'xinlian', chaincode: 'xinlian' });
        expect(genesis.header.previousHash).to.equal('0'.repeat(64));
        const next = sealBlock(1, genesis.hash, [entry('t1')]);
        expect(next.header.previousHash).to.equal(genesis.hash);
        expect(storedDataHash(next.bytes)).to.equal(next.header.dataHash);
        const other = sealBlock(1, genesis.hash, [entry('t1', { args: ['OF-2'] })]);
        expect(other.header.dataHash).to.not.equal(next.header.dataHash);
    });

    it('reports where each written value sits in the stored bytes (empty for a delete)', () => {
        const sealed = sealBlock(3, undefined, [entry('t1'), entry('t2')]);
        expect(sealed.valueSpans).to.have.length(2);
        for (const spans of sealed.valueSpans) {
            const values = spans.map(([start, end]) => sealed.bytes.subarray(start, end).toString('utf8'));
            expect(values).to.deep.equal(['{"x":1}', '', '\u0000']);
        }
    });

    it('reads the id and timestamp of a transaction from where it starts in the stored bytes', () => {
        const sealed = sealBlock(3, undefined, [entry('t1'), entry('t2', { timestamp: '2026-11-26T08:00:01.250Z' })]);
        expect(sealed.txOffsets).to.have.length(2);
        expect(readTransactionHeader(sealed.bytes, sealed.txOffsets[0])).to.deep.equal({ txId: 't1', timestamp: '2026-11-26T08:00:00.000Z' });
        expect(readTransactionHeader(sealed.bytes, sealed.txOffsets[1])).to.deep.equal({ txId: 't2', timestamp: '2026-11-26T08:00:01.250Z' });
        expect(() => readTransactionHeader(sealed.bytes, 0), 'inside the header').to.throw();
        expect(() => readTransactionHeader(sealed.bytes, sealed.bytes.length - 2), 'past the data').to.throw();
        expect(() => readTransactionHeader(Buffer.from('{"header":{}}'), 0), 'a JSON block').to.throw();
    });

    it('refuses bytes that are not a block, truncated data and trailing bytes', () => {
        const sealed = sealBlock(1, undefined, [entry('t1')]);
        expect(() => decodeBlock(Buffer.from('not a block'))).to.throw();
        expect(() => decodeBlock(sealed.bytes.subarray(0, sealed.bytes.length - 3))).to.throw('truncated');
        expect(() => decodeBlock(Buffer.concat([sealed.bytes, Buffer.from([0])]))).to.throw('trailing');
    });

    it('still reads and hashes a block stored as JSON by earlier versions', () => {
        const data = { transactions: [] };
        const dataHash = createHash('sha256').update(JSON.stringify(data)).digest('hex');
        const header = { number: 1, previousHash: '0'.repeat(64), dataHash };
        const raw = Buffer.from(JSON.stringify({ header, data, hash: hashHeader(header) }));
        expect(decodeBlock(raw)).to.deep.equal({ header, data, hash: hashHeader(header) });
        expect(storedDataHash(raw)).to.equal(dataHash);
    });
});
