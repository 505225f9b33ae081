import { expect } from 'chai';
import 'reflect-metadata';
import { AmountInputError, EVENT_TITLES, addDays, countOf, daysUntil, effectiveRateBps, endSentence, eventSummary, eventTitle, formatBps, formatDateTime, formatMinorUnits, formatMoney, formatUnixDate, formatUnixSeconds, groupDigits, containsHan, humanizeCode, langRuns, parseMajorUnits, parsePercentToBps, relativeDays, shortId, sumMinor, unixSecondsToIso } from './format';
import { MAX_TIMESTAMP } from '../../chaincode/src/recognition/passport';

describe('format', () => {
    describe('formatMinorUnits', () => {
        it('places the decimal point by the exponent and groups thousands', () => {
            expect(formatMinorUnits('123456789', 2)).to.equal('1,234,567.89');
            expect(formatMinorUnits('5', 2)).to.equal('0.05');
            expect(formatMinorUnits('5', 3)).to.equal('0.005');
            expect(formatMinorUnits('1000', 0)).to.equal('1,000');
            expect(formatMinorUnits('0', 2)).to.equal('0.00');
        });

        it('keeps every digit of amounts beyond the safe integer range', () => {
            expect(formatMinorUnits('123456789012345678901', 2)).to.equal('1,234,567,890,123,456,789.01');
            expect(formatMinorUnits(9007199254740993n, 2)).to.equal('90,071,992,547,409.93');
        });

        it('formats negative amounts and strips leading zeros', () => {
            expect(formatMinorUnits('-150', 2)).to.equal('-1.50');
            expect(formatMinorUnits('000150', 2)).to.equal('1.50');
            expect(formatMinorUnits('-0', 2)).to.equal('0.00');
        });

        it('rejects text that is not an integer', () => {
            expect(() => formatMinorUnits('1.5', 2)).to.throw(RangeError);
            expect(() => formatMinorUnits('12e3', 2)).to.throw(RangeError);
        });
    });

    describe('formatMoney', () => {
        it('uses the currency exponent of ISO 4217', () => {
            expect(formatMoney('100000000', 'CNY')).to.equal('CNY 1,000,000.00');
            expect(formatMoney('1500', 'JPY')).to.equal('JPY 1,500');
            expect(formatMoney('1500', 'KWD')).to.equal('KWD 1.500');
        });

        it('shows a dash for a missing amount and the raw text for a malformed one', () => {
            expect(formatMoney(undefined, 'CNY')).to.equal('—');
            expect(formatMoney('abc', 'CNY')).to.equal('CNY abc');
        });
    });

    describe('parseMajorUnits', () => {
        it('parses major units into minor units without floating point', () => {
            expect(parseMajorUnits('1,234.56', 'CNY')).to.equal('123456');
            expect(parseMajorUnits(' 0.1 ', 'CNY')).to.equal('10');
            expect(parseMajorUnits('1 000 000', 'CNY')).to.equal('100000000');
            expect(parseMajorUnits('1500', 'JPY')).to.equal('1500');
            expect(parseMajorUnits('0.29', 'USD')).to.equal('29');
            expect(parseMajorUnits('90071992547409.93', 'CNY')).to.equal('9007199254740993');
        });

        it('rejects more decimals than the currency has', () => {
            expect(() => parseMajorUnits('1.005', 'CNY')).to.throw(AmountInputError, /at most 2 decimal places/);
            expect(() => parseMajorUnits('1.5', 'JPY')).to.throw(AmountInputError, /no decimals/);
        });

        it('rejects zero, negatives, empty input and junk', () => {
            expect(() => parseMajorUnits('0', 'CNY')).to.throw(AmountInputError, /more than zero/);
            expect(parseMajorUnits('0', 'CNY', { allowZero: true })).to.equal('0');
            expect(() => parseMajorUnits('-5', 'CNY')).to.throw(AmountInputError);
            expect(() => parseMajorUnits('', 'CNY')).to.throw(AmountInputError, /Enter an amount/);
            expect(() => parseMajorUnits('12abc', 'CNY')).to.throw(AmountInputError);
            expect(() => parseMajorUnits('1.2.3', 'CNY')).to.throw(AmountInputError);
        });

        it('refuses an amount above the ledger’s largest (10^18 minor units)', () => {
            expect(parseMajorUnits('10000000000000000.00', 'CNY')).to.equal('1000000000000000000');
            expect(() => parseMajorUnits('10000000000000000.01', 'CNY')).to.throw(AmountInputError, /too large/);
            expect(() => parseMajorUnits('99999999999999999999999', 'JPY')).to.throw(AmountInputError, /too large/);
        });

        it('round-trips with formatMinorUnits', () => {
            for (const minor of ['1', '10', '99', '100', '123456789', '999999999999999999', '1000000000000000000']) {
                expect(parseMajorUnits(formatMinorUnits(minor, 2), 'CNY')).to.equal(minor);
            }
        });
    });

    describe('rates', () => {
        it('formats basis points as a percentage with two decimals', () => {
            expect(formatBps(350)).to.equal('3.50 %');
            expect(formatBps(5)).to.equal('0.05 %');
            expect(formatBps(10000)).to.equal('100.00 %');
        });

        it('parses a typed percentage into basis points', () => {
            expect(parsePercentToBps('3.5')).to.equal(350);
            expect(parsePercentToBps('3.25 %')).to.equal(325);
            expect(parsePercentToBps('4')).to.equal(400);
            expect(() => parsePercentToBps('3.125')).to.throw(AmountInputError);
            expect(() => parsePercentToBps('abc')).to.throw(AmountInputError);
        });

        it('asks for a rate when none is typed, and refuses one above 100 %', () => {
            expect(() => parsePercentToBps('')).to.throw(AmountInputError, /^Enter a rate\.$/);
            expect(() => parsePercentToBps('  ')).to.throw(AmountInputError, /^Enter a rate\.$/);
            expect(parsePercentToBps('100')).to.equal(10_000);
            expect(() => parsePercentToBps('100.01')).to.throw(AmountInputError, /at most 100\.00 %/);
            expect(() => parsePercentToBps('999')).to.throw(AmountInputError, /at most 100\.00 %/);
        });

        it('computes the effective annual rate of a discount (ACT/360, half-up)', () => {
            // face 1,000,000.00 at 3.60 % for 90 days: interest 9,000.00, price 991,000.00
            expect(effectiveRateBps('100000000', '99100000', 90)).to.equal(363n);
            // a fee makes the effective rate higher than the quoted rate
            expect(effectiveRateBps('100000000', '99000000', 90)).to.equal(404n);
            expect(effectiveRateBps('100', '100', 30)).to.equal(0n);
            expect(effectiveRateBps('100', '0', 30)).to.equal(undefined);
            expect(effectiveRateBps('100', '90', 0)).to.equal(undefined);
        });
    });

    describe('helpers', () => {
        it('sums minor units exactly', () => {
            expect(sumMinor(['9007199254740993', '1'])).to.equal('9007199254740994');
            expect(sumMinor([])).to.equal('0');
        });

        it('groups digits', () => {
            expect(groupDigits('1')).to.equal('1');
            expect(groupDigits('1234')).to.equal('1,234');
            expect(groupDigits('123456')).to.equal('123,456');
        });

        it('counts calendar days and adds days in UTC', () => {
            const from = new Date('2026-01-05T23:30:00Z');
            expect(daysUntil('2026-01-06', from)).to.equal(1);
            expect(daysUntil('2026-01-04', from)).to.equal(-1);
            expect(addDays(from, 90)).to.equal('2026-04-05');
        });

        it('says one day, not "1 days", before and after a date', () => {
            expect(countOf(1, 'day')).to.equal('1 day');
            expect(countOf(0, 'day')).to.equal('0 days');
            expect(countOf(2n, 'entry', 'entries')).to.equal('2 entries');
            expect(relativeDays(1)).to.equal('in 1 day');
            expect(relativeDays(-1)).to.equal('1 day ago');
            expect(relativeDays(-3)).to.equal('3 days ago');
            expect(relativeDays(30)).to.equal('in 30 days');
            expect(relativeDays(0)).to.equal('today');
        });

        it('ends a sentence with one full stop, also after a name ending in one', () => {
            expect(endSentence('Discount quotes asked from Pudong Factoring Co., Ltd.')).to.equal('Discount quotes asked from Pudong Factoring Co., Ltd.');
            expect(endSentence('Discount quotes asked from Bank of Jiangnan')).to.equal('Discount quotes asked from Bank of Jiangnan.');
        });

        it('shows any passport time the ledger accepts (unix seconds up to 2^53 − 1) as the ledger does, without throwing', () => {
            expect(MAX_TIMESTAMP).to.equal(2 ** 53 - 1);
            expect(formatUnixSeconds(1_767_621_780)).to.equal('2026-01-05 14:03 UTC');
            expect(formatUnixDate(1_767_621_780)).to.equal('2026-01-05');
            // Past the last instant a Date can hold, the time is held there, as the chaincode and the gateway's verify answer show it.
            expect(unixSecondsToIso(MAX_TIMESTAMP)).to.equal('+275760-09-13T00:00:00.000Z');
            expect(unixSecondsToIso(8_640_000_000_001)).to.equal('+275760-09-13T00:00:00.000Z');
            expect(unixSecondsToIso(8_639_999_999_999)).to.equal('+275760-09-12T23:59:59.000Z');
            expect(formatUnixSeconds(MAX_TIMESTAMP)).to.equal('+275760-09-13 00:00 UTC');
            expect(formatUnixDate(MAX_TIMESTAMP)).to.equal('+275760-09-13');
            expect(formatUnixSeconds(253_402_300_800)).to.equal('+010000-01-01 00:00 UTC');
            expect(formatUnixSeconds(0)).to.equal('1970-01-01 00:00 UTC');
            expect(formatUnixSeconds(Number.NaN)).to.equal('—');
            expect(formatUnixDate(Number.NaN)).to.equal('—');
            expect(formatDateTime('+275760-09-13T00:00:00.000Z')).to.equal('+275760-09-13 00:00 UTC');
        });

        it('shortens long ids and humanizes codes', () => {
            expect(shortId('N-0123456789abcdef')).to.equal('N-01234567…def');
            expect(shortId('N-1')).to.equal('N-1');
            expect(humanizeCode('ON_TIME_REDEMPTIONS')).to.equal('On time redemptions');
        });
    });

    describe('eventSummary', () => {
        const names: Record<string, string> = { '91320500MA1MX00059': 'Suzhou Precision Castings', '91330100MA2H000067': 'Hangzhou Fastener Works' };
        const name = (id: string): string => names[id] ?? id;

        it('shows an amount with its currency and the enterprises by name', () => {
            const offer = { offerId: 'OF-58d4cf7bc8b1234567890abc', noteId: 'N-c21d26fa8b75', fromId: '91320500MA1MX00059', toId: '91330100MA2H000067', amount: '10200000', currency: 'CNY' };
            expect(eventSummary(offer, name)).to.equal('CNY 102,000.00 · from Suzhou Precision Castings · to Hangzhou Fastener Works · offerId: OF-58d4cf7bc8b…');
        });

        it('reads the payload inside an SSE envelope, and labels limits', () => {
            const change = { txId: 'abc', payload: { lineId: 'CL-1', limit: '150000000', previousLimit: '100000000', currency: 'CNY' } };
            expect(eventSummary(change, name)).to.equal('limit CNY 1,500,000.00 · was CNY 1,000,000.00 · lineId: CL-1');
        });

        it('puts the status after the parties, and keeps an unknown enterprise as its id', () => {
            const confirmed = { receivableId: 'RCV-1', sellerId: '91320500MA1MX00059', buyerId: '91310000MA1FL00030', status: 'CONFIRMED' };
            expect(eventSummary(confirmed, name)).to.equal('seller Suzhou Precision Castings · buyer 91310000MA1FL00030 · confirmed · receivableId: RCV-1');
        });

        it('says an IP registration in words, with its registrant and owners by name', () => {
            const registered = {
                name: 'RegisterIpAsset',
                payload: { assetId: 'IP-0123456789abcdef', displayRegistryNumber: 'ZL202410555666.7', kind: 'PATENT', ownerIds: ['91320500MA1MX00059', '91330100MA2H000067'], pendingOwnerIds: ['91330100MA2H000067'], registeredBy: '91320500MA1MX00059', registryNumber: 'ZL2024105556667' },
            };
            const line = eventSummary(registered, name);
            expect(line).to.equal('Patent ZL202410555666.7 · registered by Suzhou Precision Castings · owners Suzhou Precision Castings, Hangzhou Fastener Works · awaiting confirmation by Hangzhou Fastener Works');
            expect(line).to.not.contain('registeredBy');
            expect(line).to.not.contain('91320500MA1MX0');
        });

        it('names the subject of an attestation', () => {
            const attested = { attestationId: '0xb672d7217fe6', subject: '91320500MA1MX00059', bureauId: '91110000MA02000001', signer: '0xA96a07E0A876' };
            expect(eventSummary(attested, name)).to.equal('bureau 91110000MA02000001 · subject Suzhou Precision Castings · attestationId: 0xb672d7217fe6 · signer: 0xA96a07E0A876');
        });

        it('says what a redemption paid in total and to whom, with the currency of its root', () => {
            const redeemed = {
                name: 'RedeemNote',
                payload: {
                    rootId: 'N-root',
                    issuerId: '91310000MA1FL00030',
                    redeemedNoteIds: ['N-a', 'N-b'],
                    payees: [
                        { holderId: '91320500MA1MX00059', amount: '15300000' },
                        { holderId: '91330100MA2H000067', amount: '10200000' },
                    ],
                    onTime: true,
                    closedOfferIds: [],
                    closedRequestIds: [],
                },
            };
            const currencyOf = (rootId: string): string | undefined => (rootId === 'N-root' ? 'CNY' : undefined);
            expect(eventSummary(redeemed, name, currencyOf)).to.equal(
                'paid CNY 255,000.00 to 2 holders · Suzhou Precision Castings CNY 153,000.00, Hangzhou Fastener Works CNY 102,000.00 · on time · by 91310000MA1FL00030',
            );
        });

        it('says a redemption was late, names at most three payees, and counts minor units until the currency is known', () => {
            const payees = ['1', '2', '3', '4'].map((n) => ({ holderId: `H${n}`, amount: '100' }));
            expect(eventSummary({ rootId: 'N-x', payees, onTime: false }, name)).to.equal('paid 400 minor units to 4 holders · H1 100 minor units, H2 100 minor units, H3 100 minor units and 1 more · late');
            expect(eventSummary({ rootId: 'N-x', payees: [{ holderId: 'H1', amount: '123456' }] }, name, () => 'JPY')).to.equal('paid JPY 123,456 to 1 holder · H1 JPY 123,456');
            // A payload that carries its currency needs no lookup.
            expect(eventSummary({ rootId: 'N-x', currency: 'USD', payees: [{ holderId: 'H1', amount: '123456' }] }, name)).to.equal('paid USD 1,234.56 to 1 holder · H1 USD 1,234.56');
        });

        it('says what a redemption paid into escrow and for whom, as each viewer sees it', () => {
            const currencyOf = (): string => 'CNY';
            const whole = {
                rootId: 'N-root',
                issuerId: '91310000MA1FL00030',
                currency: 'CNY',
                payees: [
                    { holderId: '91320500MA1MX00059', amount: '9000050', noteIds: ['N-a'] },
                    { holderId: 'H3', amount: '0000', noteIds: ['N-c'] },
                ],
                escrows: [{ holderId: '91330100MA2H000067', amount: '3000000', noteIds: ['N-b'] }],
                onTime: true,
                escrowRelease: false,
            };
            // The issuer, its bank and the regulator: what was paid, and what is held in escrow for whom.
            expect(eventSummary(whole, name, currencyOf)).to.equal(
                'paid CNY 90,000.50 to 2 holders · Suzhou Precision Castings CNY 90,000.50, H3 CNY 0.00 · CNY 30,000.00 held in escrow for Hangzhou Fastener Works (frozen) · on time · by 91310000MA1FL00030',
            );
            // The frozen holder sees only its own escrow line (the gateway cuts the others): no "paid CNY 0.00 to 0 holders".
            const frozenView = { ...whole, payees: [] };
            expect(eventSummary(frozenView, name)).to.equal('CNY 30,000.00 held in escrow for Hangzhou Fastener Works (frozen) · on time · by 91310000MA1FL00030');
            // Several frozen holders: their total, then each.
            const two = { ...whole, payees: [], escrows: [whole.escrows[0], { holderId: 'H4', amount: '100', noteIds: ['N-d'] }] };
            expect(eventSummary(two, name)).to.equal('CNY 30,001.00 held in escrow for 2 frozen holders: Hangzhou Fastener Works CNY 30,000.00, H4 CNY 1.00 · on time · by 91310000MA1FL00030');
            // A party named only for what the redemption closed (an offer's recipient, an invited financier): that is its news.
            const recipientView = { ...whole, payees: [], escrows: [], closedOfferIds: ['OF-1'], closedRequestIds: [] };
            expect(eventSummary(recipientView, name)).to.equal('the note was redeemed, which closed 1 transfer offer of yours · on time · by 91310000MA1FL00030');
            const financierView = { ...whole, payees: [], escrows: [], closedRequestIds: ['DR-1', 'DR-2'] };
            expect(eventSummary(financierView, name)).to.equal('the note was redeemed, which closed 2 discount requests of yours · on time · by 91310000MA1FL00030');
            // Paying out escrow: what left escrow, and what is still held.
            const release = { ...whole, escrowRelease: true, payees: [{ holderId: '91330100MA2H000067', amount: '3000000' }], escrows: [{ holderId: 'H4', amount: '100' }] };
            expect(eventSummary(release, name)).to.equal('paid CNY 30,000.00 out of escrow to 1 holder · Hangzhou Fastener Works CNY 30,000.00 · CNY 1.00 still held in escrow for H4 (frozen) · on time · by 91310000MA1FL00030');
            expect(eventTitle('RedeemNote', { name: 'RedeemNote', payload: release })).to.equal('Escrow paid out');
            expect(eventTitle('RedeemNote', { name: 'RedeemNote', payload: whole })).to.equal('Note redeemed');
        });

        it('leaves an amount without a currency as it is, and skips lists and objects', () => {
            expect(eventSummary({ amount: '500', spentNoteIds: ['N-1'], onTime: true }, name)).to.equal('amount: 500 · onTime: true');
            expect(eventSummary(undefined, name)).to.equal('');
        });
    });

    describe('eventTitle', () => {
        it('gives every event the chaincode emits a title of its own (one per transaction that changes state)', () => {
            // Every submitted transaction emits one event named after it (gateway events-service ADMIN_EVENTS).
            // The contracts' metadata, read as fabric-chaincode-node reads it (quietly: its annotations log at info).
            process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'CRITICAL';
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const { contracts } = require('../../chaincode/src/index') as { contracts: Array<{ prototype: object }> };
            const emitted = contracts
                .flatMap((contract) => (Reflect.getMetadata('fabric:transactions', contract.prototype) ?? []) as Array<{ name: string; tag: string[] }>)
                .filter((transaction) => transaction.tag.includes('SUBMIT'))
                .map((transaction) => transaction.name)
                .sort();
            expect(emitted).to.include.members(['RecognizeAttestation', 'SubmitAttestation', 'RegisterIpAsset', 'RedeemNote']);
            expect(emitted.filter((event) => !Object.prototype.hasOwnProperty.call(EVENT_TITLES, event)), 'events without a title').to.deep.equal([]);
            expect(Object.keys(EVENT_TITLES).filter((event) => !emitted.includes(event)), 'titles of no event').to.deep.equal([]);
        });

        it('says events in the words the app uses for the same actions', () => {
            expect(eventTitle('RecognizeAttestation')).to.equal('Passport recognised');
            expect(eventTitle('SubmitAttestation')).to.equal('Passport issued');
            expect(eventTitle('RevokeAttestation')).to.equal('Passport revoked');
            expect(eventTitle('RegisterIpAsset')).to.equal('IP asset registered');
            expect(eventTitle('OfferTransfer')).to.equal('Transfer offered');
            // A name this client does not know yet is still spelled out.
            expect(eventTitle('SomethingNew2Happened')).to.equal('Something new2 happened');
            expect(eventTitle('constructor')).to.equal('Constructor');
        });
    });

    describe('langRuns', () => {
        it('marks a Chinese name as simplified Chinese, whole', () => {
            expect(langRuns('华东重工有限公司')).to.deep.equal([{ text: '华东重工有限公司', lang: 'zh-Hans' }]);
            // Full-width brackets, and spaces and plain brackets between Chinese characters, stay inside.
            expect(langRuns('华东重工（集团）有限公司')).to.deep.equal([{ text: '华东重工（集团）有限公司', lang: 'zh-Hans' }]);
            expect(langRuns('华东重工 (集团) 有限公司')).to.deep.equal([{ text: '华东重工 (集团) 有限公司', lang: 'zh-Hans' }]);
        });

        it('cuts a line that names one into its English and its Chinese', () => {
            expect(langRuns('Issued by 苏州精密铸造有限公司 · tier 2')).to.deep.equal([{ text: 'Issued by ' }, { text: '苏州精密铸造有限公司', lang: 'zh-Hans' }, { text: ' · tier 2' }]);
            expect(langRuns('Xinlian 信链 platform')).to.deep.equal([{ text: 'Xinlian ' }, { text: '信链', lang: 'zh-Hans' }, { text: ' platform' }]);
        });

        it('leaves text without a Han character as it is, full-width punctuation alone included', () => {
            expect(langRuns('Bank of Jiangnan')).to.deep.equal([{ text: 'Bank of Jiangnan' }]);
            expect(langRuns('a，b')).to.deep.equal([{ text: 'a，b' }]);
            expect(containsHan('Pudong Factoring Co., Ltd.')).to.equal(false);
            expect(containsHan('浦东保理')).to.equal(true);
        });

        it('knows Han characters beyond the basic plane', () => {
            expect(langRuns('𠮷野家 Co.')).to.deep.equal([{ text: '𠮷野家', lang: 'zh-Hans' }, { text: ' Co.' }]);
        });
    });
});
