/**
 * Child process of the idempotency crash test: a gateway on the embedded ledger (sync on, as in
 * production) over the data directory in argv[2]. Prints `READY <baseUrl>` once it listens. When
 * the credit-line grant numbered argv[3] has committed, the process kills itself with SIGKILL before
 * that grant's response can be stored or sent: a crash at the worst moment, every time.
 */
import './support/quiet-chaincode-logging';
import type { LedgerBackend } from '../src/ledger/ledger-backend';
import { openGateway } from '../src/app';
import { openLedgerBackend } from '../src/ledger/open-ledger-backend';
import { newLogger } from '../src/operations/logger';
import { testConfig } from './support/test-gateway';

/** `backend`, except that it dies with SIGKILL once its `killAfter`-th grant has committed. */
function dyingAfterGrants(backend: LedgerBackend, killAfter: number): LedgerBackend {
    let grants = 0;
    return new Proxy(backend, {
        get(target, property) {
            if (property === 'submit') {
                const submit: LedgerBackend['submit'] = async (...args) => {
                    const outcome = await target.submit(...args);
                    if (args[1] === 'credit-line:GrantCreditLine' && ++grants === killAfter) {
                        process.kill(process.pid, 'SIGKILL');
                    }
                    return outcome;
                };
                return submit;
            }
            const value = Reflect.get(target, property, target) as unknown;
            return typeof value === 'function' ? value.bind(target) : value;
        },
    });
}

async function main(): Promise<void> {
    const config = testConfig(process.argv[2]);
    const gateway = await openGateway(config, { logger: newLogger(config.logLevel), backend: dyingAfterGrants(await openLedgerBackend(config), Number(process.argv[3])) });
    const port = await gateway.listen();
    process.stdout.write(`READY http://127.0.0.1:${port}/api/v1\n`);
}

main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
});
