import * as path from 'path';
import { dataDirectory, embeddedDirectories } from '../../config';
import { verifyLedgerDirectory } from './verify-ledger-directory';

/**
 * `npm run ledger:verify [-- <directory>]`: verifies an embedded ledger's block chain and prints its
 * height and OK, or the first broken block. The directory is a ledger directory (`<data dir>/embedded/ledger`)
 * or a gateway data directory (its `embedded/ledger` is verified); without one, the ledger the gateway keeps
 * in its data directory (GATEWAY_DATA_DIR, default .xinlian). A relative directory is taken from where npm
 * was run (npm runs the script itself in the repository root). Never creates a database. Exit code 0 when
 * the chain verifies, 1 when it is broken, 2 on a usage error, a directory without a ledger, or an open error.
 */

/** The ledger of the gateway configured by `env`. */
function gatewayLedgerDirectory(env: NodeJS.ProcessEnv): string {
    return embeddedDirectories(dataDirectory(env)).ledger;
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
    const [argument] = argv;
    if (argument === '--help' || argument === '-h' || argv.length > 1) {
        process.stdout.write(`usage: npm run ledger:verify [-- <ledger directory or gateway data directory>]   (default: ${gatewayLedgerDirectory(env)}, the gateway's)\n`);
        return argv.length > 1 ? 2 : 0;
    }
    const directory = argument === undefined ? gatewayLedgerDirectory(env) : path.resolve(env.INIT_CWD ?? process.cwd(), argument);
    try {
        const result = await verifyLedgerDirectory(directory);
        if (result.ok) {
            process.stdout.write(`${result.directory}: height ${result.height} OK (tip ${result.tipHash ?? '-'})\n`);
            return 0;
        }
        process.stdout.write(`${result.directory}: height ${result.height} BROKEN at block ${result.brokenBlock}: ${result.reason}\n`);
        return 1;
    } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        return 2;
    }
}

main(process.argv.slice(2), process.env).then((code) => {
    process.exitCode = code;
});
