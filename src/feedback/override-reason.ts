import { NON_ADHERENCE_REASON_SYSTEM, overrideReasons } from '../cds/cards/card-text.js';

/**
 * The override reasons our cards offer, as the feedback store keeps them. A reason comes back from the EHR as a
 * Coding; only its code is trusted, and only when it is one we offered: its display is taken from our own list
 * (the service's first language, Danish), never from the request, where a user's free text could stand.
 */
export interface CodedOverrideReason {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

const OFFERED = new Map(overrideReasons('da').map((r) => [r.code, r]));

/** Our reason for the code sent, or undefined for a code we never offered (or a system that is not ours). */
export function codedOverrideReason(sent: { system?: string; code?: string }): CodedOverrideReason | undefined {
  if (sent.system !== undefined && sent.system !== NON_ADHERENCE_REASON_SYSTEM) return undefined;
  const ours = sent.code === undefined ? undefined : OFFERED.get(sent.code);
  return ours ? { system: NON_ADHERENCE_REASON_SYSTEM, code: ours.code, display: ours.display } : undefined;
}
