import type { Database } from './database';
import { TIP_KEY } from './keys';

/** The committed height and the hash of the last block, written in every block's batch. */
export interface Tip {
    readonly height: number;
    readonly hash: string;
}

export async function readTip(db: Database): Promise<Tip | undefined> {
    const raw = await db.get(TIP_KEY);
    return raw ? (JSON.parse(raw.toString('utf8')) as Tip) : undefined;
}

export function encodeTip(tip: Tip): Buffer {
    return Buffer.from(JSON.stringify(tip), 'utf8');
}
