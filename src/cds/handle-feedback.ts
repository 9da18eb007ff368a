import type { FeedbackRecord, FeedbackStore } from '../feedback/feedback-store.js';
import { InvalidRequestError, UnknownServiceError } from './errors.js';
import type { CdsFeedback } from './protocol-types.js';
import { validateFeedback } from './schemas.js';
import { findService } from './services.js';

/**
 * `POST /cds-services/{id}/feedback`. The items are committed before we answer, so an acknowledged item survives a
 * crash; an item sent again (same card, outcome and timestamp) is stored once. The clinician's free-text comment is
 * not stored: it may name the patient.
 */
export function handleFeedback(
  serviceId: string,
  body: unknown,
  store: FeedbackStore,
  receivedAt: string,
): { items: number; stored: number; duplicates: number } {
  if (!findService(serviceId)) throw new UnknownServiceError(serviceId);
  const issues = validateFeedback(body);
  if (issues.length > 0) throw new InvalidRequestError(issues);
  const items = (body as CdsFeedback).feedback.map((item): FeedbackRecord => {
    const reason = item.overrideReason?.reason;
    return {
      serviceId,
      cardUuid: item.card,
      outcome: item.outcome,
      outcomeTimestamp: item.outcomeTimestamp,
      acceptedSuggestions: (item.acceptedSuggestions ?? []).map((s) => s.id),
      ...(reason?.system ? { overrideReasonSystem: reason.system } : {}),
      ...(reason?.code ? { overrideReasonCode: reason.code } : {}),
      ...(reason?.display ? { overrideReasonDisplay: reason.display } : {}),
    };
  });
  const { stored, duplicates } = store.recordFeedback(items, receivedAt);
  return { items: items.length, stored, duplicates };
}
