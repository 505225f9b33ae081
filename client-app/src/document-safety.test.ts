import { expect } from 'chai';
import { documentHandling, inertTypeOf, safeFileName } from './document-safety';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('document safety', () => {
    it('downloads HTML, SVG, XML and text as octet-stream, whatever the uploader declared', () => {
        for (const content of [
            "<script>document.title='PWNED origin='+location.origin</script>",
            '<!DOCTYPE html><html><body onload="alert(1)"></body></html>',
            '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            '<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>',
            'plain text',
            '',
        ]) {
            const handling = documentHandling(text(content), 'invoice-INV-1');
            expect(handling, content).to.deep.equal({ inline: false, type: 'application/octet-stream', fileName: 'invoice-INV-1.bin' });
        }
    });

    it('shows PDF and raster images, typed from the allow-list by their own bytes', () => {
        expect(documentHandling(text('%PDF-1.7\n...'), 'invoice-1')).to.deep.equal({ inline: true, type: 'application/pdf', fileName: 'invoice-1.pdf' });
        expect(inertTypeOf(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))?.type).to.equal('image/png');
        expect(inertTypeOf(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))?.type).to.equal('image/jpeg');
        expect(inertTypeOf(text('GIF89a'))?.type).to.equal('image/gif');
        expect(inertTypeOf(text('RIFF\0\0\0\0WEBPVP8 '))?.type).to.equal('image/webp');
        expect(inertTypeOf(text('RIFF\0\0\0\0WAVEfmt '))).to.equal(undefined);
        // HTML that merely mentions %PDF- later is still HTML.
        expect(inertTypeOf(text('<html>%PDF-</html>'))).to.equal(undefined);
    });

    it('makes a file name with no path, no markup and no leading dot', () => {
        expect(safeFileName('../../etc/passwd', 'bin')).to.equal('etc-passwd.bin');
        expect(safeFileName('invoice <INV/7>', 'p"df')).to.equal('invoice-INV-7-.pdf');
        expect(safeFileName('', '')).to.equal('document.bin');
    });
});
