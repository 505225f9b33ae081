import { identifierKind, isValidLei, isValidUscc } from '../../chaincode/src/enterprise/identifiers';

/**
 * Checks of the platform administrator's forms, run before anything is sent so the user reads in
 * plain words what the ledger would refuse: an enterprise identifier (USCC or LEI, with its check
 * characters, by the chaincode's own identifiers module), its country, a grade scale.
 */

/** A verdict: undefined when the value may be sent, else what to tell the user. */
export type Problem = string | undefined;

/** An enterprise identifier as the ledger keys it: trimmed, capitals. */
export function normaliseEnterpriseId(typed: string): string {
    return typed.trim().toUpperCase();
}

/** A USCC (18 characters, GB 32100-2015) or an LEI (20 characters, ISO 17442), check characters included. */
export function enterpriseIdProblem(id: string): Problem {
    if (id === '') {
        return 'Enter the unified social credit code (18 characters) or the LEI (20 characters).';
    }
    if (identifierKind(id) !== undefined) {
        return undefined;
    }
    if (id.length === 18) {
        return isValidUscc(id) ? undefined : `${id} is not a valid unified social credit code: a character is mistyped or its check character (the last one) does not match. (An LEI has 20 characters.)`;
    }
    if (id.length === 20) {
        return isValidLei(id) ? undefined : `${id} is not a valid LEI: a character is mistyped or its check digits (the last two) do not match.`;
    }
    return `The identifier has ${id.length} characters: a unified social credit code has 18, an LEI 20.`;
}

/** The country of registration: two capital letters; required with an LEI; CN with a USCC (the default). */
export function countryProblem(id: string, country: string): Problem {
    if (country !== '' && !/^[A-Z]{2}$/.test(country)) {
        return `Country: enter the two-letter ISO 3166 code (for example CN, SG, DE), not "${country}".`;
    }
    const kind = identifierKind(id);
    if (kind === 'LEI' && country === '') {
        return 'Country: an enterprise identified by an LEI needs its country of registration (two letters, for example SG).';
    }
    if (kind === 'USCC' && country !== '' && country !== 'CN') {
        return 'Country: a unified social credit code identifies a Chinese entity, so the country is CN (or leave it empty).';
    }
    return undefined;
}

/** One band of a grade scale: scores from `minScore` up to the next band. */
export interface GradeBand {
    minScore: number;
    grade: string;
}

/**
 * Reads a grade scale typed one band a line (or separated by commas) as "grade: minimum score", e.g.
 * "A: 800, B: 500, C: 0". Returns the bands highest first, or a problem in words: every score 0..1000
 * must map to exactly one grade (a band starts at 0; no two bands start at one score; each grade once).
 */
export function parseGradeScale(text: string): { bands: GradeBand[] } | { problem: string } {
    const parts = text
        .split(/[\n,;]+/)
        .map((p) => p.trim())
        .filter((p) => p !== '');
    if (parts.length === 0) {
        return { problem: 'Enter the grade scale: one "grade: minimum score" a line, for example "A: 800", "B: 500", "C: 0".' };
    }
    if (parts.length > 50) {
        return { problem: 'A grade scale has at most 50 bands.' };
    }
    const bands: GradeBand[] = [];
    for (const part of parts) {
        const match = /^(.+?)\s*[:=]\s*(\d{1,4})$/.exec(part);
        if (!match) {
            return { problem: `"${part}" is not a band: write the grade, a colon and the lowest score it covers (for example "A: 800").` };
        }
        const grade = match[1].trim();
        const minScore = Number(match[2]);
        if (minScore > 1000) {
            return { problem: `${grade}: scores go from 0 to 1000, so a band cannot start at ${minScore}.` };
        }
        if (grade.length > 32) {
            return { problem: `The grade "${grade}" is too long (at most 32 characters).` };
        }
        if (bands.some((b) => b.grade === grade)) {
            return { problem: `The grade ${grade} appears twice.` };
        }
        if (bands.some((b) => b.minScore === minScore)) {
            return { problem: `Two bands start at ${minScore}: a score would map to two grades.` };
        }
        bands.push({ grade, minScore });
    }
    bands.sort((a, b) => b.minScore - a.minScore);
    if (bands[bands.length - 1].minScore !== 0) {
        return { problem: `Scores 0 to ${bands[bands.length - 1].minScore - 1} have no grade: the lowest band must start at 0.` };
    }
    return { bands: bands.map((b) => ({ minScore: b.minScore, grade: b.grade })) };
}
