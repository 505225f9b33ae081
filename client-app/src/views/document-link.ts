import { documentHandling } from '../document-safety';
import type { AppContext } from './context';
import { button, runAction } from './ui';

/**
 * "Open" for a stored document (invoice, appraisal report). Its bytes come from another enterprise,
 * so they never render in this app's origin: a PDF or raster image (recognised by its own bytes) opens
 * as a blob typed from the allow-list; anything else — HTML, SVG, XML, text — is downloaded as
 * application/octet-stream under a safe file name (`stem`, e.g. "invoice-INV-7").
 */
export function documentLink(ctx: AppContext, cid: string, stem: string, label = 'Open'): HTMLButtonElement {
    return button(
        label,
        (event) =>
            void runAction(
                ctx,
                event.currentTarget,
                async () => {
                    const bytes = new Uint8Array(await (await ctx.api.downloadDocument(cid)).arrayBuffer());
                    const handling = documentHandling(bytes, stem);
                    const url = URL.createObjectURL(new Blob([bytes], { type: handling.type }));
                    if (handling.inline) {
                        window.open(url, '_blank', 'noopener');
                    } else {
                        const anchor = document.createElement('a');
                        anchor.href = url;
                        anchor.download = handling.fileName;
                        anchor.rel = 'noopener';
                        document.body.append(anchor);
                        anchor.click();
                        anchor.remove();
                        ctx.toast(`The document is not a PDF or an image, so it is not shown here: it was downloaded as ${handling.fileName}.`);
                    }
                    // Long enough for the new tab or the download to read it.
                    setTimeout(() => URL.revokeObjectURL(url), 60_000);
                },
                { progress: 'Fetching the document…', rerender: false, container: event.currentTarget.closest('.card') ?? undefined },
            ),
        { title: cid, class: 'link', 'data-document-cid': cid },
    );
}
