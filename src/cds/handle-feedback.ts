import type { FeedbackRecord, Store } from '../storage/store.js';
import { codedOverrideReason } from '../feedback/override-reason.js';
import { InvalidRequestError, UnknownServiceError } from './errors.js';
import type { CdsFeedback } from './protocol-types.js';
import { validateFeedback } from './schemas.js';
import { findService } from './services.js';

/**
 * `POST /cds-services/{id}/feedback`. The items are committed before we answer, so an acknowledged item survives a
 * crash; an item sent again (same card, outcome and timestamp), to this instance or another, is stored once. Only
 * what we gave the EHR is stored: a suggestion uuid, an override reason from our own list (its display ours). The
 * clinician's comment and any reason text as sent are free text that may name the patient: never stored.
 */
export async function handleFeedback(
  serviceId: string,
  body: unknown,
  store: Pick<Store, 'recordFeedback'>,
  receivedAt: string,
): Promise<{ items: number; stored: number; duplicates: number; uncodedReasons: number }> {
  if (!findService(serviceId)) throw new UnknownServiceError(serviceId);
  const issues = validateFeedback(body);
  if (issues.length > 0) throw new InvalidRequestError(issues);
  let uncodedReasons = 0;
  const items = (body as CdsFeedback).feedback.map((item): FeedbackRecord => {
    const sent = item.overrideReason?.reason;
    const reason = sent ? codedOverrideReason(sent) : undefined;
    if (sent && !reason) uncodedReasons += 1;
    return {
      serviceId,
      cardUuid: item.card,
      outcome: item.outcome,
      outcomeTimestamp: item.outcomeTimestamp,
      // Suggestion ids are our uuids; anything else is not ours to keep.
      acceptedSuggestions: (item.acceptedSuggestions ?? []).map((s) => s.id).filter((id) => UUID.test(id)),
      ...(reason ? { overrideReasonSystem: reason.system, overrideReasonCode: reason.code, overrideReasonDisplay: reason.display } : {}),
    };
  });
  const { stored, duplicates } = await store.recordFeedback(items, receivedAt);
  return { items: items.length, stored, duplicates, uncodedReasons };
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
