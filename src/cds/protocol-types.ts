/**
 * The CDS Hooks 2.0 protocol as TypeScript types, written from HL7's logical models (CDSHooksRequest,
 * CDSHooksResponse, CDSHooksServices and the hook contexts). The JSON Schemas in `cds-hooks/schemas/` are the
 * runtime check; these types describe the same shapes for the compiler. Everything the spec lets a client send
 * beyond these fields (unknown fields, `extension`) is tolerated, hence the `extension` members.
 */
import type { Appointment, Bundle, Coding, FhirResource } from 'fhir/r4.js';

/** The hooks this service answers. */
export const CDS_HOOKS = ['encounter-start', 'patient-view', 'appointment-book'] as const;
export type CdsHook = (typeof CDS_HOOKS)[number];

/** CDS Hooks extension object: named extension properties, anything JSON. */
export type CdsExtension = Readonly<Record<string, unknown>>;

export interface FhirAuthorization {
  /** Transient: never stored, never logged. */
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
  /** OAuth 2.0 client identifier of the CDS Service. */
  readonly subject: string;
  /** Patient id the token is bound to, when the scopes are patient-level. */
  readonly patient?: string;
}

export interface CdsEncounterStartContext {
  /** 'Practitioner/123' or 'PractitionerRole/abc'. */
  readonly userId: string;
  readonly patientId: string;
  readonly encounterId: string;
}

export interface CdsPatientViewContext {
  readonly userId: string;
  readonly patientId: string;
  readonly encounterId?: string;
}

export interface CdsAppointmentBookContext {
  readonly userId: string;
  readonly patientId: string;
  readonly encounterId?: string;
  /** The proposed Appointments. */
  readonly appointments: Bundle<Appointment>;
}

export interface CdsHookContextMap {
  readonly 'encounter-start': CdsEncounterStartContext;
  readonly 'patient-view': CdsPatientViewContext;
  readonly 'appointment-book': CdsAppointmentBookContext;
}
export type CdsHookContext<H extends CdsHook = CdsHook> = CdsHookContextMap[H];

/**
 * A prefetch value: a FHIR resource (a Bundle or a single resource; an OperationOutcome means the EHR's prefetch
 * failed), or null when the EHR knows there is no such data. An absent key means "fetch it yourself".
 */
export type CdsPrefetchValue = FhirResource | null;

export interface CdsRequest<H extends CdsHook = CdsHook> {
  readonly hook: H;
  /** UUID of this hook call. */
  readonly hookInstance: string;
  /** FHIR base URL; present whenever fhirAuthorization is. */
  readonly fhirServer?: string;
  readonly fhirAuthorization?: FhirAuthorization;
  readonly context: CdsHookContext<H>;
  readonly prefetch?: Readonly<Record<string, CdsPrefetchValue>>;
  readonly extension?: CdsExtension;
}

export const CDS_INDICATORS = ['info', 'warning', 'critical'] as const;
export type CdsIndicator = (typeof CDS_INDICATORS)[number];

export const CDS_ACTION_TYPES = ['create', 'update', 'delete'] as const;
export type CdsActionType = (typeof CDS_ACTION_TYPES)[number];

export const CDS_SELECTION_BEHAVIORS = ['at-most-one', 'any'] as const;
export type CdsSelectionBehavior = (typeof CDS_SELECTION_BEHAVIORS)[number];

export const CDS_LINK_TYPES = ['absolute', 'smart'] as const;
export type CdsLinkType = (typeof CDS_LINK_TYPES)[number];

export interface CdsSource {
  readonly label: string;
  readonly url?: string;
  readonly icon?: string;
  readonly topic?: Coding;
  readonly extension?: CdsExtension;
}

export interface CdsAction {
  readonly type: CdsActionType;
  readonly description: string;
  /** The resource to create or update (not for delete). */
  readonly resource?: FhirResource;
  /** Relative reference 'Type/id' of the resource to delete. */
  readonly resourceId?: string;
  readonly extension?: CdsExtension;
}

export interface CdsSuggestion {
  readonly label: string;
  readonly uuid?: string;
  readonly isRecommended?: boolean;
  readonly actions?: readonly CdsAction[];
  readonly extension?: CdsExtension;
}

export interface CdsLink {
  readonly label: string;
  readonly url: string;
  readonly type: CdsLinkType;
  /** Only for type 'smart'. */
  readonly appContext?: string;
  readonly extension?: CdsExtension;
}

/** A Coding as the spec wants it in overrideReasons: display is required so the EHR can show it. */
export interface CdsOverrideReason {
  readonly code: string;
  readonly system: string;
  readonly display: string;
}

export interface CdsCard {
  /** Set it: feedback refers to cards by uuid. */
  readonly uuid?: string;
  /** Fewer than 140 characters. */
  readonly summary: string;
  /** GitHub-flavoured Markdown. */
  readonly detail?: string;
  readonly indicator: CdsIndicator;
  readonly source: CdsSource;
  readonly suggestions?: readonly CdsSuggestion[];
  /** Required when suggestions are present. */
  readonly selectionBehavior?: CdsSelectionBehavior;
  readonly overrideReasons?: readonly CdsOverrideReason[];
  readonly links?: readonly CdsLink[];
  readonly extension?: CdsExtension;
}

export interface CdsResponse {
  /** An empty list means "no guidance". */
  readonly cards: readonly CdsCard[];
  readonly systemActions?: readonly CdsAction[];
  readonly extension?: CdsExtension;
}

export const CDS_FEEDBACK_OUTCOMES = ['accepted', 'overridden'] as const;
export type CdsFeedbackOutcome = (typeof CDS_FEEDBACK_OUTCOMES)[number];

export interface CdsFeedbackItem {
  /** The card's uuid. */
  readonly card: string;
  readonly outcome: CdsFeedbackOutcome;
  /** Suggestion uuids, when accepted. */
  readonly acceptedSuggestions?: readonly { readonly id: string }[];
  readonly overrideReason?: {
    readonly reason?: Coding;
    readonly userComment?: string;
  };
  /** ISO 8601 date-time. */
  readonly outcomeTimestamp: string;
  readonly extension?: CdsExtension;
}

export interface CdsFeedback {
  readonly feedback: readonly CdsFeedbackItem[];
}

export interface CdsServiceDefinition {
  readonly hook: string;
  readonly id: string;
  readonly title?: string;
  readonly description: string;
  /** Key -> FHIR query template, e.g. 'Patient/{{context.patientId}}'. */
  readonly prefetch?: Readonly<Record<string, string>>;
  readonly usageRequirements?: string;
  readonly extension?: CdsExtension;
}

export interface CdsDiscovery {
  readonly services: readonly CdsServiceDefinition[];
}
