import * as path from 'path';
import { Config, embeddedDirectories } from '../config';
import { openEmbeddedBackend } from './embedded-backend';
import type { LedgerBackend } from './ledger-backend';

/** Opens the configured backend: the embedded ledger (default) or a Fabric network. */
export async function openLedgerBackend(config: Config): Promise<LedgerBackend> {
    if (config.ledgerBackend === 'fabric') {
        const { connectFabricBackend } = await import('./fabric-backend');
        return connectFabricBackend({ fabric: config.fabric, walletDirectory: path.join(config.dataDir, 'fabric-wallet'), walletPassphrase: config.walletPassphrase, keyScrypt: config.keyScrypt });
    }
    return openEmbeddedBackend({
        ...embeddedDirectories(config.dataDir),
        walletPassphrase: config.walletPassphrase,
        keyScrypt: config.keyScrypt,
        clockOffsetDays: config.ledgerClockOffsetDays,
    });
}
