import { verifyLedgerDirectory } from './verify-ledger-directory';

/**
 * `npm run ledger:verify -- <directory>`: verifies an embedded ledger's block chain and prints its
 * height and OK, or the first broken block. Exit code 0 when the chain verifies, 1 when it is
 * broken, 2 on a usage or open error.
 */
async function main(argv: string[]): Promise<number> {
    const directory = argv[0];
    if (!directory || directory === '--help' || directory === '-h') {
        process.stdout.write('usage: npm run ledger:verify -- <ledger directory>\n');
        return directory ? 0 : 2;
    }
    try {
        const result = await verifyLedgerDirectory(directory);
        if (result.ok) {
            process.stdout.write(`height ${result.height} OK (tip ${result.tipHash ?? '-'})\n`);
            return 0;
        }
        process.stdout.write(`height ${result.height} BROKEN at block ${result.brokenBlock}: ${result.reason}\n`);
        return 1;
    } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        return 2;
    }
}

main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
});
