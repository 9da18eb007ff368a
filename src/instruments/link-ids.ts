/**
 * Questionnaire linkIds shared by our Questionnaires (fhir-resources/) and the FHIR mapper, so that a
 * QuestionnaireResponse written against our forms is read back without a lookup table.
 * The ODI linkIds are those of the public CMS ODI Questionnaire (odi-1..odi-10), so both forms map the same way.
 */

export const ODI_LINK_IDS = [
  'odi-1', 'odi-2', 'odi-3', 'odi-4', 'odi-5', 'odi-6', 'odi-7', 'odi-8', 'odi-9', 'odi-10',
] as const;
export type OdiLinkId = (typeof ODI_LINK_IDS)[number];

/** Read-only item of our ODI Questionnaire that may carry the total score (LOINC 97909-6). */
export const ODI_SCORE_LINK_ID = 'odi-score';

/** One PSFS activity slot: a group with the activity's text and its 0-10 rating. */
export interface PsfsSlotLinkIds {
  readonly slot: number;
  readonly group: string;
  readonly activity: string;
  readonly score: string;
}

export const PSFS_SLOT_COUNT = 5;

export const PSFS_SLOTS: readonly PsfsSlotLinkIds[] = Array.from({ length: PSFS_SLOT_COUNT }, (_, i) => ({
  slot: i + 1,
  group: `psfs-${i + 1}`,
  activity: `psfs-${i + 1}-activity`,
  score: `psfs-${i + 1}-score`,
}));

/** Read-only item of our PSFS Questionnaire that may carry the mean score. */
export const PSFS_SCORE_LINK_ID = 'psfs-score';

export const NPRS_LINK_ID = 'nprs';

/** Index 0-9 of an ODI section from its linkId, or undefined when the linkId is not an ODI section. */
export function odiSectionIndex(linkId: string): number | undefined {
  const i = (ODI_LINK_IDS as readonly string[]).indexOf(linkId);
  return i < 0 ? undefined : i;
}

/** The PSFS slot (1-5) and part of a linkId such as 'psfs-3-score', or undefined for any other linkId. */
export function psfsSlotOf(linkId: string): { readonly slot: number; readonly part: 'group' | 'activity' | 'score' } | undefined {
  const m = /^psfs-([1-5])(?:-(activity|score))?$/.exec(linkId);
  if (!m) return undefined;
  const part = (m[2] ?? 'group') as 'group' | 'activity' | 'score';
  return { slot: Number(m[1]), part };
}

/**
 * The ten ODI sections from ticks keyed by linkId (odi-1..odi-10); other linkIds are ignored, absent ones are
 * unanswered. Lets the mapper go from a QuestionnaireResponse to `scoreOdi` input without knowing the order.
 */
export function odiSectionsFromLinkIds(ticksByLinkId: ReadonlyMap<string, readonly number[]>): number[][] {
  return ODI_LINK_IDS.map((id) => [...(ticksByLinkId.get(id) ?? [])]);
}
