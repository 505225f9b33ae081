import QRCode from 'qrcode';
import { agreementInactiveReason, agreementLapsed } from '../../../chaincode/src/ledger/expiry';
import { h } from '../dom';
import { formatDateTime, formatUnixSeconds, humanizeCode, langText } from '../format';
import { IssuerKeys, NoIssuerKeysError, ageText, issuerKeysNow } from '../issuer-keys';
import { OfflineVerdict, decodePassport, passportLink, verifyPassportOffline } from '../passport-check';
import { agreementsStillToRecognise, currentPassport, gradeScaleText, mappedGrade, passportState, recognitionProblems } from '../recognition-state';
import type { Agreement, Attestation, AttestationVerdict, BureauKey, Passport, Recognition } from '../resources';
import type { AppContext } from './context';
import { InputError, badge, card, copyTextButton, errorPanel, idText, requiredValue, runAction, select, table, transient } from './ui';
import { confirmButton, requiredReason } from './view-kit';

function passportOf(a: Attestation): Passport {
    return {
        attestation: { subject: a.subject, score: a.score, grade: a.grade, reasonCodes: [...a.reasonCodes], evidenceHash: a.evidenceHash, issuedAt: a.issuedAt, expiresAt: a.expiresAt, nonce: a.nonce },
        signature: a.signature,
    };
}

/** A passport's state now (ledger time), as a badge: Valid, Revoked, Expired, Signer revoked, Signer not registered. */
function passportBadge(a: Attestation, keys: readonly BureauKey[], now: Date): HTMLElement {
    return badge(passportState(a, keys, now));
}

/**
 * Everyone: the enterprise's current credit passport — the latest one that is not revoked, not
 * expired by the ledger's time and signed by a key still published as ACTIVE — with a QR code a
 * partner can scan.
 */
export async function passportView(ctx: AppContext): Promise<Node> {
    const subject = ctx.params.enterpriseId ?? ctx.user?.enterpriseId ?? '';
    const [list, keys] = await Promise.all([ctx.api.listAttestations(subject), ctx.api.listIssuers()]);
    const attestations = list.sort((a, b) => b.issuedAt - a.issuedAt);
    const now = ctx.now();
    const current = currentPassport(attestations, keys, now);
    const history = card(
        'All passports',
        h('p', { class: 'muted' }, 'A passport signed with a key the platform has since revoked is no longer valid: the bureau re-issues it with its new key.'),
        table(
            ['Passport', 'Score', 'Grade', 'Issued', 'Expires', 'Status'],
            attestations.map((a) => [idText(a.id), `${a.score}`, a.grade, formatUnixSeconds(a.issuedAt), formatUnixSeconds(a.expiresAt), passportBadge(a, keys, now)]),
            'No passport has been issued yet.',
            { id: 'passport-history' },
        ),
    );
    if (!current) {
        return h('div', null, h('h1', null, 'Credit passport of ', langText(ctx.directory.name(subject))), card('Passport', h('p', { class: 'empty' }, 'No valid credit passport. The credit bureau issues one on request.')), history);
    }
    const passport = passportOf(current);
    const link = passportLink(window.location.origin, passport);
    const qr = h('div', { class: 'qr', id: 'passport-qr', role: 'img', 'aria-label': 'QR code of the passport link' });
    qr.innerHTML = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'L', margin: 2 });
    const json = JSON.stringify(passport, null, 2);
    const jsonBox = h('details', null, h('summary', null, 'Passport JSON'), h('pre', { id: 'passport-json' }, json));
    return h(
        'div',
        null,
        h('h1', null, 'Credit passport of ', langText(ctx.directory.name(subject))),
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
                    h('dd', null, langText(ctx.directory.name(current.subject)), ` (${current.subject})`),
                    h('dt', null, 'Score'),
                    h('dd', { class: 'score' }, `${current.score} / 1000`),
                    h('dt', null, 'Grade'),
                    h('dd', null, current.grade),
                    h('dt', null, 'Reasons'),
                    h('dd', null, current.reasonCodes.map(humanizeCode).join(', ') || '—'),
                    h('dt', null, 'Issued by'),
                    h('dd', null, langText(ctx.directory.name(current.bureauId)), h('br'), h('code', null, current.signer)),
                    h('dt', null, 'Valid'),
                    h('dd', null, `${formatUnixSeconds(current.issuedAt)} → ${formatUnixSeconds(current.expiresAt)}`),
                    h('dt', null, 'Passport id'),
                    h('dd', null, h('code', { class: 'wrap' }, current.id)),
                ),
            ),
            h('p', { class: 'muted' }, 'A partner scans the code, or opens the link, and checks the bureau’s signature in its own browser.'),
            h(
                'p',
                null,
                h('a', { href: link, id: 'passport-link' }, 'Verification link'),
                ' ',
                // Where the browser copies nothing, the JSON opens below to be copied by hand.
                copyTextButton('Copy passport JSON', json, 'Could not copy: select the passport JSON below and copy it.', () => {
                    jsonBox.open = true;
                }),
            ),
            jsonBox,
        ),
        history,
    );
}

/** Public and foreign partner: checks a passport offline, then asks the ledger, then (partner) recognises it. */
export async function verifyView(ctx: AppContext): Promise<Node> {
    const input = h('textarea', { name: 'passport', rows: '8', placeholder: 'Paste the passport JSON or its link', spellcheck: 'false', id: 'passport-input' });
    const label = h('label', { for: 'passport-input', class: 'label' }, 'Passport (its JSON or its verification link)');
    // Remember the keys as published now, so that a check still works if the network goes away later.
    void issuerKeysNow(() => ctx.api.listIssuers(), window.localStorage, ctx.now(), navigator.onLine).catch(() => undefined);
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
        label,
        input,
        h('p', null, verifyButton),
    );
    const agreements = ctx.user?.role === 'foreign-partner' ? (await ctx.api.listAgreements(ctx.user.enterpriseId)).filter((a) => inForce(a, ctx.now())) : [];

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
                    throw new InputError((error as Error).message, { control: input });
                }
                // The keys as published now (a key may have been revoked or generated since the
                // last check), judged at the ledger's time; with no network, the keys last read.
                let keys: IssuerKeys;
                try {
                    keys = await issuerKeysNow(() => ctx.api.listIssuers(), window.localStorage, ctx.now(), navigator.onLine);
                } catch (error) {
                    throw error instanceof NoIssuerKeysError ? new InputError(error.message) : error;
                }
                const offline = verifyPassportOffline(value, keys.keys, ctx.now());
                result.append(offlineCard(offline, keys, ctx.now()));
                // Only an authentic passport is worth asking the ledger about; with no network it cannot be asked.
                if (offline.valid && offline.passport) {
                    result.append(keys.fresh ? await ledgerCard(ctx, offline, agreements) : ledgerSkipped());
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

/** The ledger step, skipped: the platform cannot be reached. */
function ledgerSkipped(): HTMLElement {
    return h(
        'section',
        { class: 'card', id: 'ledger-skipped' },
        h('h2', null, 'Status on the ledger: not checked'),
        h('p', { class: 'muted' }, 'The platform cannot be reached, so the ledger was not asked whether the bureau has revoked this passport. Check again when you are online before relying on it; a passport can be recognised only then.'),
    );
}

function offlineCard(verdict: OfflineVerdict, keys: IssuerKeys, now: Date): HTMLElement {
    return h(
        'section',
        { class: `card verdict ${verdict.valid ? 'verdict-ok' : 'verdict-bad'}`, id: 'offline-verdict' },
        h('h2', null, verdict.valid ? '✓ Authentic passport (checked offline)' : '✗ Not a valid passport'),
        h(
            'ol',
            { class: 'steps' },
            verdict.steps.map((step) => h('li', { class: step.ok ? 'ok' : 'bad' }, h('strong', null, `${step.ok ? '✓' : '✗'} ${step.label}: `), step.detail)),
        ),
        keys.fresh
            ? null
            : h(
                  'p',
                  { class: 'hint', id: 'keys-age' },
                  `No network: checked against the issuer keys this browser last read from the platform, ${ageText(keys.fetchedAt, now)} ago (${formatDateTime(keys.fetchedAt)}). A key revoked since then is not known here.`,
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
        if (verdict.valid && ctx.user?.role === 'foreign-partner' && offline.attestationId && offline.passport) {
            const attestationId = offline.attestationId;
            // The partner's recognitions of this passport: one per agreement at most (the ledger refuses a second).
            const mine = (await ctx.api.listRecognitions({ subjectId: offline.passport.attestation.subject }).catch(() => [] as Recognition[])).filter(
                (r) => r.attestationId === attestationId && r.partnerId === ctx.user?.enterpriseId,
            );
            if (mine.length > 0) {
                section.append(
                    h(
                        'div',
                        { id: 'already-recognised' },
                        mine.map((r) => h('p', { class: 'ok' }, h('strong', null, `✓ Already recognised by you: domestic score ${r.domesticScore} maps to your grade ${r.mappedGrade}`), ` under agreement `, idText(r.agreementId), ` on ${formatDateTime(r.recognizedAt)}.`)),
                    ),
                );
            }
            const open = agreementsStillToRecognise(agreements.filter((a) => inForce(a, ctx.now())), mine, attestationId);
            if (open.length > 0 || mine.length === 0) {
                section.append(recogniseForm(ctx, attestationId, offline.passport.attestation.score, open));
            }
        }
    } catch (error) {
        section.append(errorPanel(error));
    }
    return section;
}

/** What the Recognise dropdown says of an agreement: the grade this score gets, the whole scale, the end of its validity. */
function agreementChoice(agreement: Agreement, score: number): string {
    return `${score} → ${mappedGrade(agreement.gradeScale, score) ?? '?'} under ${gradeScaleText(agreement.gradeScale)} (until ${agreement.validUntil.slice(0, 10)})`;
}

function recogniseForm(ctx: AppContext, attestationId: string, score: number, agreements: Agreement[]): HTMLElement {
    if (agreements.length === 0) {
        return h('p', { class: 'empty' }, 'You have no agreement in force to recognise it under.');
    }
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Recognise passport');
    const form = h(
        'form',
        { class: 'panel', id: 'recognise-form' },
        h('label', { class: 'field' }, h('span', { class: 'label' }, 'Under agreement'), select('agreementId', agreements.map((a) => [a.id, agreementChoice(a, score)]))),
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
                // The form (and its button, which had the focus) gives way to the outcome: the focus goes to it, not to the page's body.
                const done = h('p', { class: 'ok', id: 'recognised', tabindex: '-1' }, h('strong', null, `✓ Recognised: domestic score ${recognition.domesticScore} maps to your grade ${recognition.mappedGrade}.`));
                form.replaceWith(done);
                done.focus();
            } else if (document.activeElement === document.body || document.activeElement === null) {
                // Refused: the error is in the form; the button is there to try again.
                submit.focus();
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

/** Terminate an ACTIVE agreement (the partner): a reason, then confirmation. */
function terminateCell(ctx: AppContext, agreement: Agreement): HTMLElement {
    const reason = h('input', { name: 'reason', placeholder: 'Reason to terminate', 'aria-label': `Reason to terminate agreement ${agreement.id}`, autocomplete: 'off' });
    const why = (): string => requiredReason(reason, 'Give the reason to terminate the agreement.');
    return h(
        'span',
        { class: 'actions panel', 'data-agreement-id': agreement.id },
        reason,
        confirmButton(
            ctx,
            'Terminate',
            'Terminate this agreement? No passport can be recognised under it any more, and the recognitions made under it stop standing; this cannot be undone.',
            async () => ctx.api.terminateAgreement(agreement.id, why()),
            { progress: 'Terminating the agreement with your identity…', success: 'Agreement terminated.', check: () => void why() },
        ),
    );
}

/** Accept a PROPOSED agreement (the partner), after confirming its grade scale and validity. */
function acceptCell(ctx: AppContext, agreement: Agreement): HTMLElement {
    return h(
        'span',
        { class: 'actions panel', 'data-agreement-id': agreement.id },
        confirmButton(
            ctx,
            'Accept',
            `Accept this agreement? From ${agreement.validFrom.slice(0, 10)} until ${agreement.validUntil.slice(0, 10)} you recognise domestic scores with your grades ${gradeScaleText(agreement.gradeScale)}. Your identity signs the acceptance.`,
            () => ctx.api.acceptAgreement(agreement.id),
            // Accepting is what the partner asks for, not a loss: "Yes, accept" is the primary button, not the red one.
            { progress: 'Accepting the agreement with your identity…', success: 'Agreement accepted.', tone: 'primary' },
            { class: 'primary' },
        ),
    );
}

/** A recognition's standing now: "Standing", or why not (passport revoked or expired, key revoked, agreement ended). */
function recognitionStatus(recognition: Recognition, agreement: Agreement | undefined, verdict: AttestationVerdict | undefined, now: Date): HTMLElement {
    const problems = recognitionProblems(recognition, agreement, verdict, now);
    if (problems.length === 0) {
        return h('span', { class: 'standing' }, badge(verdict ? 'STANDING' : 'UNKNOWN'), verdict ? null : h('small', { class: 'muted' }, ' the ledger could not be asked'));
    }
    return h('span', { class: 'standing' }, badge(problems[0]), problems.length > 1 ? h('small', { class: 'muted' }, ` also ${problems.slice(1).map((p) => humanizeCode(p).toLowerCase()).join(', ')}`) : null);
}

/** Foreign partner: agreements (accept proposed ones, terminate active ones) and the recognitions recorded under them. */
export async function agreementsView(ctx: AppContext): Promise<Node> {
    const me = ctx.user?.enterpriseId ?? '';
    const agreements = await ctx.api.listAgreements(me);
    const recognitionLists = await Promise.all(agreements.map((a) => ctx.api.listRecognitions({ agreementId: a.id }).catch(() => [] as Recognition[])));
    const recognitions = recognitionLists.flat();
    // The ledger's verdict on each recognised passport now: revoked, expired, signing key revoked.
    const attestationIds = [...new Set(recognitions.map((r) => r.attestationId))];
    const verdicts = new Map(await Promise.all(attestationIds.map(async (id) => [id, await ctx.api.verifyAttestation(id).catch(() => undefined)] as const)));
    const now = ctx.now();
    const byId = new Map(agreements.map((a) => [a.id, a]));
    const rows = agreements.map((a) => [
        idText(a.id),
        `${a.validFrom.slice(0, 10)} → ${a.validUntil.slice(0, 10)}`,
        gradeScaleText(a.gradeScale),
        h('span', null, agreementBadge(a, now), a.terminationReason ? h('small', { class: 'muted' }, ` ${a.terminationReason}`) : null),
        a.status === 'PROPOSED' && !lapsed(a, now) ? acceptCell(ctx, a) : a.status === 'ACTIVE' ? terminateCell(ctx, a) : '',
    ]);
    return h(
        'div',
        null,
        h('h1', null, 'Mutual recognition'),
        card('Agreements', table(['Agreement', 'Validity', 'Grade scale', 'Status', ''], rows, 'No agreements.', { id: 'agreements' })),
        card(
            'Recognised passports',
            h('p', { class: 'muted' }, 'A recognition stands while its passport is valid (not revoked, not expired, its signing key not revoked) and its agreement is in force.'),
            table(
                ['Subject', 'Domestic', 'Your grade', 'Agreement', 'Passport expires', 'Recognised', 'Status'],
                recognitions.map((r) => [
                    langText(ctx.directory.name(r.subject)),
                    `${r.domesticScore} (${r.domesticGrade})`,
                    h('strong', null, r.mappedGrade),
                    idText(r.agreementId),
                    formatUnixSeconds(r.attestationExpiresAt),
                    formatDateTime(r.recognizedAt),
                    recognitionStatus(r, byId.get(r.agreementId), verdicts.get(r.attestationId), now),
                ]),
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
    const [lists, keys] = await Promise.all([Promise.all(subjects.map((e) => ctx.api.listAttestations(e.id).catch(() => [] as Attestation[]))), ctx.api.listIssuers()]);
    const issued = lists
        .flat()
        .filter((a) => a.bureauId === me)
        .sort((a, b) => b.issuedAt - a.issuedAt);
    const now = ctx.now();
    const hasKey = keys.some((k) => k.bureauId === me && k.status === 'ACTIVE');
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Issue passport');
    const form = h(
        'form',
        { class: 'card', id: 'issue-passport' },
        h('h2', null, 'Issue a credit passport'),
        h('p', { class: 'muted' }, 'The score comes from the subject’s credit profile; the gateway signs with the bureau key.'),
        h('label', { class: 'field' }, h('span', { class: 'label' }, 'Subject'), select('subjectId', subjects.map((e) => [e.id, e.name]))),
        hasKey ? null : h('p', { class: 'hint', id: 'no-active-key' }, 'Your bureau has no active signing key: the platform administrator generates a new one after a revocation.'),
        submit,
    );
    form.addEventListener('submit', (event) => {
        event.preventDefault();
        void runAction(ctx, submit, () => ctx.api.issueAttestation({ subjectId: requiredValue(form, 'subjectId', 'a subject') }), { progress: 'Signing and anchoring the passport…', success: 'Passport issued.' });
    });
    const rows = issued.map((a) => [
        langText(ctx.directory.name(a.subject)),
        idText(a.id),
        `${a.score}`,
        a.grade,
        formatUnixSeconds(a.issuedAt),
        formatUnixSeconds(a.expiresAt),
        h('span', null, passportBadge(a, keys, now), a.revocationReason ? h('small', { class: 'muted' }, ` ${a.revocationReason}`) : null),
        // Only a passport that is valid now is worth revoking: an expired one, or one whose key was revoked, is invalid already.
        passportState(a, keys, now) === 'VALID' ? revokeCell(ctx, a) : '',
    ]);
    return h(
        'div',
        null,
        h('h1', null, 'Credit attestations'),
        form,
        card('Passports issued', h('p', { class: 'muted' }, 'A revoked passport keeps its valid signature, so an offline check alone cannot tell; the ledger check that follows shows it revoked to every partner. A passport signed with a key since revoked is invalid everywhere (Signer revoked): issue it again with the new key.'), table(['Subject', 'Passport', 'Score', 'Grade', 'Issued', 'Expires', 'Status', ''], rows, 'You have not issued a passport yet.', { id: 'issued-passports' })),
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
