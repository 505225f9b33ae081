import QRCode from 'qrcode';
import { agreementInactiveReason, agreementLapsed } from '../../../chaincode/src/ledger/expiry';
import { h } from '../dom';
import { formatDateTime, formatUnixSeconds, humanizeCode } from '../format';
import { OfflineVerdict, decodePassport, passportLink, verifyPassportOffline } from '../passport-check';
import type { Agreement, Attestation, BureauKey, Passport } from '../resources';
import type { AppContext } from './context';
import { InputError, badge, button, card, errorPanel, idText, requiredValue, runAction, select, table, transient } from './ui';
import { actionButton, confirmButton, requiredReason } from './view-kit';

function passportOf(a: Attestation): Passport {
    return {
        attestation: { subject: a.subject, score: a.score, grade: a.grade, reasonCodes: [...a.reasonCodes], evidenceHash: a.evidenceHash, issuedAt: a.issuedAt, expiresAt: a.expiresAt, nonce: a.nonce },
        signature: a.signature,
    };
}

/** Everyone: the enterprise's latest valid credit passport, with a QR code a partner can scan. */
export async function passportView(ctx: AppContext): Promise<Node> {
    const subject = ctx.params.enterpriseId ?? ctx.user?.enterpriseId ?? '';
    const attestations = (await ctx.api.listAttestations(subject)).sort((a, b) => b.issuedAt - a.issuedAt);
    const now = new Date().getTime() / 1000;
    const current = attestations.find((a) => a.status === 'VALID' && a.expiresAt > now);
    const history = card(
        'All passports',
        table(
            ['Passport', 'Score', 'Grade', 'Issued', 'Expires', 'Status'],
            attestations.map((a) => [idText(a.id), `${a.score}`, a.grade, formatUnixSeconds(a.issuedAt), formatUnixSeconds(a.expiresAt), badge(a.status)]),
            'No passport has been issued yet.',
        ),
    );
    if (!current) {
        return h('div', null, h('h1', null, `Credit passport of ${ctx.directory.name(subject)}`), card('Passport', h('p', { class: 'empty' }, 'No valid credit passport. The credit bureau issues one on request.')), history);
    }
    const passport = passportOf(current);
    const link = passportLink(window.location.origin, passport);
    const qr = h('div', { class: 'qr', id: 'passport-qr', role: 'img', 'aria-label': 'QR code of the passport link' });
    qr.innerHTML = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'L', margin: 2 });
    const json = JSON.stringify(passport, null, 2);
    return h(
        'div',
        null,
        h('h1', null, `Credit passport of ${ctx.directory.name(subject)}`),
        card(
            'Passport',
            h(
                'div',
                { class: 'passport' },
                qr,
                h(
                    'dl',
                    null,
                    h('dt', null, 'Subject'),
                    h('dd', null, `${ctx.directory.name(current.subject)} (${current.subject})`),
                    h('dt', null, 'Score'),
                    h('dd', { class: 'score' }, `${current.score} / 1000`),
                    h('dt', null, 'Grade'),
                    h('dd', null, current.grade),
                    h('dt', null, 'Reasons'),
                    h('dd', null, current.reasonCodes.map(humanizeCode).join(', ') || '—'),
                    h('dt', null, 'Issued by'),
                    h('dd', null, ctx.directory.name(current.bureauId), h('br'), h('code', null, current.signer)),
                    h('dt', null, 'Valid'),
                    h('dd', null, `${formatUnixSeconds(current.issuedAt)} → ${formatUnixSeconds(current.expiresAt)}`),
                    h('dt', null, 'Passport id'),
                    h('dd', null, h('code', { class: 'wrap' }, current.id)),
                ),
            ),
            h('p', { class: 'muted' }, 'A partner scans the code, or opens the link, and checks the bureau’s signature in its own browser.'),
            h('p', null, h('a', { href: link, id: 'passport-link' }, 'Verification link'), ' ', button('Copy passport JSON', () => void navigator.clipboard?.writeText(json))),
            h('details', null, h('summary', null, 'Passport JSON'), h('pre', { id: 'passport-json' }, json)),
        ),
        history,
    );
}

let issuerCache: BureauKey[] | undefined;

/** Public and foreign partner: checks a passport offline, then asks the ledger, then (partner) recognises it. */
export async function verifyView(ctx: AppContext): Promise<Node> {
    const input = h('textarea', { name: 'passport', rows: '8', placeholder: 'Paste the passport JSON or its link', spellcheck: 'false', id: 'passport-input' });
    if (ctx.params.p) {
        input.value = `#/verify?p=${ctx.params.p}`;
    }
    const result = transient(h('div', { id: 'verify-result', 'aria-live': 'polite' }));
    const verifyButton = h('button', { type: 'submit', class: 'primary' }, 'Verify offline');
    const form = h(
        'form',
        { class: 'card', id: 'verify-form' },
        h('h2', null, 'Verify a credit passport'),
        h('p', { class: 'muted' }, 'The signature and the issuer key are checked here, in your browser, with no data sent anywhere. Only then is the ledger asked whether the passport is still valid.'),
        input,
        h('p', null, verifyButton),
    );
    const now = new Date();
    const agreements = ctx.user?.role === 'foreign-partner' ? (await ctx.api.listAgreements(ctx.user.enterpriseId)).filter((a) => inForce(a, now)) : [];

    form.addEventListener('submit', (event) => {
        event.preventDefault();
        void runAction(
            ctx,
            verifyButton,
            async () => {
                result.textContent = '';
                let value: unknown;
                try {
                    value = decodePassport(input.value);
                } catch (error) {
                    throw new InputError((error as Error).message);
                }
                issuerCache ??= await ctx.api.listIssuers();
                const offline = verifyPassportOffline(value, issuerCache, new Date());
                result.append(offlineCard(offline));
                // Only an authentic passport is worth asking the ledger about.
                if (offline.valid && offline.passport) {
                    result.append(await ledgerCard(ctx, offline, agreements));
                }
            },
            { progress: 'Checking the passport…', rerender: false, container: form },
        );
    });
    if (ctx.params.p) {
        // Opened from a scanned link: verify at once, as soon as the form is in the page.
        setTimeout(() => {
            if (form.isConnected) {
                form.requestSubmit();
            }
        }, 0);
    }
    return h('div', null, h('h1', null, 'Passport verification'), form, result);
}

function offlineCard(verdict: OfflineVerdict): HTMLElement {
    return h(
        'section',
        { class: `card verdict ${verdict.valid ? 'verdict-ok' : 'verdict-bad'}`, id: 'offline-verdict' },
        h('h2', null, verdict.valid ? '✓ Authentic passport (checked offline)' : '✗ Not a valid passport'),
        h(
            'ol',
            { class: 'steps' },
            verdict.steps.map((step) => h('li', { class: step.ok ? 'ok' : 'bad' }, h('strong', null, `${step.ok ? '✓' : '✗'} ${step.label}: `), step.detail)),
        ),
        verdict.attestationId ? h('p', { class: 'muted' }, 'Passport id ', h('code', { class: 'wrap' }, verdict.attestationId)) : null,
    );
}

async function ledgerCard(ctx: AppContext, offline: OfflineVerdict, agreements: Agreement[]): Promise<HTMLElement> {
    const section = h('section', { class: 'card', id: 'ledger-verdict' }, h('h2', null, 'Status on the ledger'));
    try {
        const verdict = await ctx.api.verifyPassport(offline.passport as Passport);
        section.append(
            h('p', { class: verdict.valid ? 'ok' : 'bad' }, h('strong', null, verdict.valid ? '✓ Anchored and valid on the ledger' : '✗ The ledger does not accept this passport'), verdict.status ? ' — status ' : '', verdict.status ? badge(verdict.status) : null),
        );
        if (verdict.reasons.length > 0) {
            section.append(h('p', null, 'Reasons: ', verdict.reasons.map(humanizeCode).join(', ')));
        }
        if (verdict.valid && ctx.user?.role === 'foreign-partner' && offline.attestationId) {
            section.append(recogniseForm(ctx, offline.attestationId, agreements));
        }
    } catch (error) {
        section.append(errorPanel(error));
    }
    return section;
}

function recogniseForm(ctx: AppContext, attestationId: string, agreements: Agreement[]): HTMLElement {
    if (agreements.length === 0) {
        return h('p', { class: 'empty' }, 'You have no agreement in force to recognise it under.');
    }
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Recognise passport');
    const form = h(
        'form',
        { class: 'panel', id: 'recognise-form' },
        h('label', { class: 'field' }, h('span', { class: 'label' }, 'Under agreement'), select('agreementId', agreements.map((a) => [a.id, `${a.id.slice(0, 12)}… valid until ${a.validUntil.slice(0, 10)}`]))),
        submit,
    );
    form.addEventListener('submit', (event) => {
        event.preventDefault();
        void runAction(ctx, submit, () => ctx.api.recognize(requiredValue(form, 'agreementId', 'an agreement'), attestationId), {
            progress: 'Recording the recognition on the ledger…',
            success: (r) => `Recognised with grade ${(r as { mappedGrade: string }).mappedGrade}.`,
            rerender: false,
            container: form,
        }).then((recognition) => {
            if (recognition) {
                form.replaceWith(h('p', { class: 'ok', id: 'recognised' }, h('strong', null, `✓ Recognised: domestic score ${recognition.domesticScore} maps to your grade ${recognition.mappedGrade}.`)));
            }
        });
    });
    return form;
}

/** An agreement passports can be recognised under, by the chaincode's own rule. */
function inForce(agreement: Agreement, now: Date): boolean {
    return agreementInactiveReason(agreement, now) === undefined;
}

/** An ACTIVE agreement out of force, or a PROPOSED one that can no longer be accepted, because its validity ended. */
function lapsed(agreement: Agreement, now: Date): boolean {
    return (agreement.status === 'ACTIVE' || agreement.status === 'PROPOSED') && agreementLapsed(agreement, now);
}

/** The status badge, saying when an ACTIVE or PROPOSED agreement is not in force because of its dates. */
function agreementBadge(agreement: Agreement, now: Date): HTMLElement {
    if (lapsed(agreement, now)) {
        return badge('LAPSED');
    }
    return badge(agreement.status === 'ACTIVE' && !inForce(agreement, now) ? 'NOT_YET_IN_FORCE' : agreement.status);
}

/** Foreign partner: agreements (accept proposed ones) and the recognitions recorded under them. */
export async function agreementsView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const agreements = await ctx.api.listAgreements(me);
    const recognitionLists = await Promise.all(agreements.map((a) => ctx.api.listRecognitions({ agreementId: a.id }).catch(() => [])));
    const now = new Date();
    const rows = agreements.map((a) => [
        idText(a.id),
        `${a.validFrom.slice(0, 10)} → ${a.validUntil.slice(0, 10)}`,
        a.gradeScale.map((band) => `${band.grade} ≥ ${band.minScore}`).join(' · '),
        agreementBadge(a, now),
        a.status === 'PROPOSED' && !lapsed(a, now)
            ? actionButton(ctx, 'Accept', () => ctx.api.acceptAgreement(a.id), { progress: 'Accepting the agreement with your identity…', success: 'Agreement accepted.' }, { class: 'primary' })
            : '',
    ]);
    const recognitions = recognitionLists.flat();
    return h(
        'div',
        null,
        h('h1', null, 'Mutual recognition'),
        card('Agreements', table(['Agreement', 'Validity', 'Grade scale', 'Status', ''], rows, 'No agreements.', { id: 'agreements' })),
        card(
            'Recognised passports',
            table(
                ['Subject', 'Domestic', 'Your grade', 'Recognised'],
                recognitions.map((r) => [ctx.directory.name(r.subject), `${r.domesticScore} (${r.domesticGrade})`, h('strong', null, r.mappedGrade), formatDateTime(r.recognizedAt)]),
                'None yet. Verify a passport to recognise it.',
                { id: 'recognitions' },
            ),
            h('p', null, h('a', { href: '#/verify' }, 'Verify a passport →')),
        ),
    );
}

/** Credit bureau: issue a signed passport for an enterprise; the passports it issued, to revoke. */
export async function bureauView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const subjects = ctx.directory.all().filter((e) => e.kind === 'SUPPLIER' || e.kind === 'CORE_ENTERPRISE');
    const issued = (await Promise.all(subjects.map((e) => ctx.api.listAttestations(e.id).catch(() => [] as Attestation[]))))
        .flat()
        .filter((a) => a.bureauId === me)
        .sort((a, b) => b.issuedAt - a.issuedAt);
    const now = new Date().getTime() / 1000;
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Issue passport');
    const form = h(
        'form',
        { class: 'card', id: 'issue-passport' },
        h('h2', null, 'Issue a credit passport'),
        h('p', { class: 'muted' }, 'The score comes from the subject’s credit profile; the gateway signs with the bureau key.'),
        h('label', { class: 'field' }, h('span', { class: 'label' }, 'Subject'), select('subjectId', subjects.map((e) => [e.id, e.name]))),
        submit,
    );
    form.addEventListener('submit', (event) => {
        event.preventDefault();
        void runAction(ctx, submit, () => ctx.api.issueAttestation({ subjectId: requiredValue(form, 'subjectId', 'a subject') }), { progress: 'Signing and anchoring the passport…', success: 'Passport issued.' });
    });
    const rows = issued.map((a) => [
        ctx.directory.name(a.subject),
        idText(a.id),
        `${a.score}`,
        a.grade,
        formatUnixSeconds(a.issuedAt),
        formatUnixSeconds(a.expiresAt),
        h('span', null, badge(a.status === 'VALID' && a.expiresAt <= now ? 'EXPIRED' : a.status), a.revocationReason ? h('small', { class: 'muted' }, ` ${a.revocationReason}`) : null),
        a.status === 'VALID' ? revokeCell(ctx, a) : '',
    ]);
    return h(
        'div',
        null,
        h('h1', null, 'Credit attestations'),
        form,
        card('Passports issued', h('p', { class: 'muted' }, 'A revoked passport keeps its valid signature, so an offline check alone cannot tell; the ledger check that follows shows it revoked to every partner.'), table(['Subject', 'Passport', 'Score', 'Grade', 'Issued', 'Expires', 'Status', ''], rows, 'You have not issued a passport yet.', { id: 'issued-passports' })),
    );
}

/** Revoke a passport the bureau issued: a reason, then confirmation. */
function revokeCell(ctx: AppContext, a: Attestation): HTMLElement {
    const reason = h('input', { name: 'reason', placeholder: 'Reason to revoke', 'aria-label': `Reason to revoke the passport of ${ctx.directory.name(a.subject)}`, autocomplete: 'off' });
    const why = (): string => requiredReason(reason, 'Give the reason to revoke the passport.');
    return h(
        'span',
        { class: 'actions panel', 'data-attestation-id': a.id },
        reason,
        confirmButton(
            ctx,
            'Revoke',
            `Revoke the passport of ${ctx.directory.name(a.subject)} (score ${a.score}, grade ${a.grade})? Partners verifying it will see it revoked; this cannot be undone.`,
            async () => ctx.api.revokeAttestation(a.id, why()),
            { progress: 'Revoking the passport…', success: 'Passport revoked.', check: () => void why() },
        ),
    );
}
