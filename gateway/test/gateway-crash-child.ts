/**
 * Child process of the idempotency crash test: a gateway on the embedded ledger (sync on, as in
 * production) over the data directory in argv[2]. Prints `READY <baseUrl>` once it listens, and
 * then serves until it is killed.
 */
import { startTestGateway } from './support/test-gateway';

startTestGateway({}, process.argv[2])
    .then((gateway) => process.stdout.write(`READY ${gateway.baseUrl}\n`))
    .catch((error) => {
        process.stderr.write(`${(error as Error).stack}\n`);
        process.exit(1);
    });
