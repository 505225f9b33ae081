import { expect } from 'chai';
import { AppError } from '../errors';
import { DEFAULT_MEDIA_TYPE, isMediaType, parseUploadMediaType, servedAs } from './media-type';

describe('media types', () => {
    describe('parseUploadMediaType', () => {
        it('keeps type/subtype lower-cased and without parameters', () => {
            expect(parseUploadMediaType('application/pdf')).to.equal('application/pdf');
            expect(parseUploadMediaType('Text/Plain; charset=UTF-8')).to.equal('text/plain');
            expect(parseUploadMediaType('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
            expect(parseUploadMediaType('image/svg+xml')).to.equal('image/svg+xml');
        });

        it('answers application/octet-stream for an absent or empty Content-Type', () => {
            expect(parseUploadMediaType(undefined)).to.equal(DEFAULT_MEDIA_TYPE);
            expect(parseUploadMediaType('  ')).to.equal(DEFAULT_MEDIA_TYPE);
        });

        it('refuses what is not a type/subtype of a registered top-level type with UNSUPPORTED_MEDIA_TYPE', () => {
            for (const header of ['x', 'false', 'text', 'text/', '/plain', 'text/plain/x', 'text/pl ain', 'x/y', 'text/<script>', '"text/plain"', ';text/plain', `application/${'a'.repeat(130)}`]) {
                let error: unknown;
                try {
                    parseUploadMediaType(header);
                } catch (caught) {
                    error = caught;
                }
                expect(error, header).to.be.instanceOf(AppError);
                expect((error as AppError).code, header).to.equal('UNSUPPORTED_MEDIA_TYPE');
                expect((error as AppError).status).to.equal(415);
            }
        });
    });

    describe('servedAs', () => {
        it('serves PDF, raster images and plain text inline, named by the CID', () => {
            for (const type of ['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'text/plain']) {
                expect(servedAs(type, 'bafk1')).to.deep.equal({ contentType: type, disposition: 'inline; filename="bafk1"' });
            }
        });

        it('serves every other type, SVG and HTML included, as an attachment', () => {
            for (const type of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/javascript', 'application/octet-stream', 'text/csv']) {
                expect(servedAs(type, 'bafk1')).to.deep.equal({ contentType: type, disposition: 'attachment; filename="bafk1"' });
            }
        });

        it('serves a media type stored before types were checked as an application/octet-stream attachment', () => {
            for (const stored of ['x', 'false', '', 'text/html; charset=x']) {
                expect(isMediaType(stored)).to.equal(false);
                expect(servedAs(stored, 'bafk1')).to.deep.equal({ contentType: 'application/octet-stream', disposition: 'attachment; filename="bafk1"' });
            }
        });
    });
});
