import { importer } from 'ipfs-unixfs-importer';
import { MemoryBlockstore } from 'blockstore-core/memory';
import { CID } from 'multiformats/cid';

/**
 * The CID `ipfs add --cid-version 1` gives the same bytes: UnixFS, raw leaves, fixed 256 KiB
 * chunks, balanced DAG of at most 174 links per node, a single chunk reduced to its raw leaf.
 */
export const IPFS_ADD_OPTIONS = {
    cidVersion: 1,
    rawLeaves: true,
    reduceSingleLeafToSelf: true,
    chunkSize: 262_144,
    maxChildrenPerNode: 174,
} as const;

/** Computes the CIDv1 of `bytes` exactly as `ipfs add --cid-version 1` would. */
export async function computeCid(bytes: Uint8Array): Promise<string> {
    const blockstore = new MemoryBlockstore();
    let root: CID | undefined;
    for await (const entry of importer([{ content: bytes }], blockstore, {
        cidVersion: IPFS_ADD_OPTIONS.cidVersion,
        rawLeaves: IPFS_ADD_OPTIONS.rawLeaves,
        reduceSingleLeafToSelf: IPFS_ADD_OPTIONS.reduceSingleLeafToSelf,
    })) {
        root = entry.cid as unknown as CID;
    }
    if (!root) {
        throw new Error('the importer produced no root');
    }
    return root.toString();
}

/** Parses a CID string; undefined when it is not one. Normalises to the CIDv1 base32 form. */
export function parseCid(text: string): string | undefined {
    try {
        return CID.parse(text).toV1().toString();
    } catch {
        return undefined;
    }
}
