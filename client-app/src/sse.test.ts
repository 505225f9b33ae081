import { expect } from 'chai';
import { SseMessage, SseParser } from './sse';

function parse(chunks: string[]): { messages: SseMessage[]; parser: SseParser } {
    const messages: SseMessage[] = [];
    const parser = new SseParser((m) => messages.push(m));
    for (const chunk of chunks) {
        parser.push(chunk);
    }
    return { messages, parser };
}

describe('SseParser', () => {
    it('dispatches events with id, name and data', () => {
        const { messages, parser } = parse(['id: 3:0\nevent: SplitNote\ndata: {"rootId":"N-1"}\n\n']);
        expect(messages).to.deep.equal([{ id: '3:0', event: 'SplitNote', data: '{"rootId":"N-1"}' }]);
        expect(parser.lastEventId).to.equal('3:0');
    });

    it('reassembles events split across chunks, including a CRLF split in two', () => {
        const { messages } = parse(['id: 1:0\r', '\nevent: Issue', 'Note\r\ndata: {"a"', ':1}\r\n\r\n']);
        expect(messages).to.deep.equal([{ id: '1:0', event: 'IssueNote', data: '{"a":1}' }]);
    });

    it('joins multi-line data, ignores comments and defaults the event name', () => {
        const { messages } = parse([': keep-alive\n\ndata: line one\ndata: line two\n\n']);
        expect(messages).to.deep.equal([{ id: undefined, event: 'message', data: 'line one\nline two' }]);
    });

    it('does not dispatch an event without data', () => {
        const { messages, parser } = parse(['id: 9:1\nevent: Nothing\n\n']);
        expect(messages).to.have.length(0);
        expect(parser.lastEventId).to.equal('9:1');
    });

    it('waits for the blank line before dispatching', () => {
        const { messages } = parse(['data: x\n']);
        expect(messages).to.have.length(0);
    });
});
