import { expect } from 'chai';
import { generateKeyPairSync, sign, verify } from 'crypto';
import { readFileSync, readdirSync } from 'fs';
import { CryptoWorker, WORKER_NICE_INCREMENT } from './crypto-worker';

/** The nice value of each thread of this process (Linux: field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): Map<number, number> {
    const values = new Map<number, number>();
    for (const tid of readdirSync('/proc/self/task')) {
        try {
            const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
            // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
            values.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19 - 3]));
        } catch {
            // The thread ended meanwhile.
        }
    }
    return values;
}

describe('crypto worker', () => {
    const alice = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const bob = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const message = (n: number): Buffer => Buffer.from(`proposal ${n} ${'x'.repeat(n % 50)}`);
    let worker: CryptoWorker;

    beforeEach(() => {
        worker = new CryptoWorker();
    });
    afterEach(() => worker.close());

    it('signs so that crypto.verify accepts, and verifies as crypto.verify does, for many requests at once', async () => {
        const messages = Array.from({ length: 40 }, (_, n) => message(n));
        const signatures = await Promise.all(messages.map((m, n) => worker.sign(n % 2 ? alice.privateKey : bob.privateKey, m)));
        signatures.forEach((signature, n) => {
            expect(verify('sha256', messages[n], n % 2 ? alice.publicKey : bob.publicKey, signature)).to.equal(true);
        });
        const verdicts = await Promise.all(
            messages.map((m, n) => {
                const signature = sign('sha256', m, alice.privateKey);
                // Every third: the wrong key; every fifth: another message; every seventh: garbage.
                if (n % 7 === 0) {
                    return worker.verify(alice.publicKey, m, Buffer.from('not a signature'));
                }
                return worker.verify(n % 3 === 0 ? bob.publicKey : alice.publicKey, n % 5 === 0 ? message(n + 1) : m, signature);
            }),
        );
        verdicts.forEach((valid, n) => {
            expect(valid, `request ${n}`).to.equal(n % 7 !== 0 && n % 3 !== 0 && n % 5 !== 0);
        });
    });

    it('runs on a thread of its own at a lower priority, leaving the main thread as it was (Linux)', async function () {
        if (process.platform !== 'linux') {
            this.skip();
        }
        const before = threadNiceValues();
        const mainNice = before.get(process.pid) as number;
        expect(await worker.verify(alice.publicKey, message(8), sign('sha256', message(8), alice.privateKey))).to.equal(true);
        const started = [...threadNiceValues()].filter(([tid]) => !before.has(tid));
        expect(started.map(([, nice]) => nice)).to.include(Math.min(19, mainNice + WORKER_NICE_INCREMENT));
        expect(threadNiceValues().get(process.pid)).to.equal(mainNice);
    });

    it('rejects a signing request whose key cannot sign', async () => {
        const error = await worker.sign(alice.publicKey, message(1)).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(error).to.be.instanceOf(Error);
        expect(await worker.verify(alice.publicKey, message(1), sign('sha256', message(1), alice.privateKey))).to.equal(true);
    });

    it('answers what it holds and everything after on the thread pool once closed', async () => {
        const pending = worker.verify(alice.publicKey, message(2), sign('sha256', message(2), alice.privateKey));
        const signing = worker.sign(bob.privateKey, message(3));
        await worker.close();
        expect(await pending).to.equal(true);
        expect(verify('sha256', message(3), bob.publicKey, await signing)).to.equal(true);
        expect(await worker.verify(alice.publicKey, message(4), sign('sha256', message(4), bob.privateKey))).to.equal(false);
        expect(verify('sha256', message(5), alice.publicKey, await worker.sign(alice.privateKey, message(5)))).to.equal(true);
    });

    it('falls back to the thread pool when its worker dies, losing no request', async () => {
        const first = await worker.verify(alice.publicKey, message(6), sign('sha256', message(6), alice.privateKey));
        expect(first).to.equal(true);
        // Kill the worker behind the class's back, with requests on their way to it.
        const internal = worker as unknown as { worker?: { terminate(): Promise<number> } };
        const requests = Array.from({ length: 10 }, (_, n) => worker.verify(alice.publicKey, message(n), sign('sha256', message(n), alice.privateKey)));
        await internal.worker?.terminate();
        expect(await Promise.all(requests)).to.deep.equal(Array(10).fill(true));
        expect(await worker.verify(alice.publicKey, message(7), Buffer.from('forged'))).to.equal(false);
    });
});
