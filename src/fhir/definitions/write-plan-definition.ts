import type { CourseDefinition, Definitions, LimitDefinition } from '../../course/definitions/types.js';
import { arr, isObject, str, type JsonObject } from '../map/guards.js';
import { DefinitionExtension as X } from './extension-urls.js';

/**
 * A course PlanDefinition as published with the active numbers: the resource it was read from, its limits,
 * look-backs, follow-up targets and final-due triggers replaced by the active definition's (CDS_CONFIG overrides
 * applied). What the embedded FHIR server serves and `cli definitions --out` writes, so neither states a default
 * the service no longer uses.
 */
const days = (value: number) => ({ value, unit: value === 1 ? 'dag' : 'dage', system: 'http://unitsofmeasure.org', code: 'd' });
const months = (value: number) => ({ value, unit: value === 1 ? 'måned' : 'måneder', system: 'http://unitsofmeasure.org', code: 'mo' });

function limitExtension(l: LimitDefinition): JsonObject {
  const window = l.windowMonths !== undefined ? months(l.windowMonths) : l.windowDays !== undefined ? days(l.windowDays) : undefined;
  return {
    url: X.limit,
    extension: [
      { url: 'id', valueId: l.id }, { url: 'rule', valueCode: l.rule }, { url: 'kind', valueCode: l.kind },
      { url: 'max', valueInteger: l.max },
      ...(window ? [{ url: 'window', valueDuration: window }] : []),
      ...(l.anchor ? [{ url: 'anchor', valueCode: l.anchor }] : []),
    ],
  };
}

const withoutExt = (el: unknown, url: string): JsonObject[] => arr(el, 'extension').filter((e): e is JsonObject => isObject(e) && str(e, 'url') !== url);

function stepAction(action: JsonObject, def: CourseDefinition, defs: Definitions): JsonObject {
  const id = str(action, 'id');
  const step = def.steps.find((s) => s.id === id);
  if (!step) return action;
  let extension = withoutExt(action, X.limit);
  const milestone = step.milestone ? def.milestones[step.milestone] : undefined;
  extension = extension.map((e) => {
    if (str(e, 'url') !== X.step || !milestone) return e;
    const parts = arr(e, 'extension').filter((p): p is JsonObject => isObject(p) && str(p, 'url') !== 'lookBack' && str(p, 'url') !== 'instrument');
    const questionnaires = milestone.instruments.map((i) => defs.instruments.get(i)?.questionnaires[0]).filter((q): q is string => q !== undefined);
    return { ...e, extension: [...parts, ...questionnaires.map((q) => ({ url: 'instrument', valueCanonical: q })), { url: 'lookBack', valueDuration: days(milestone.lookBackDays) }] };
  });
  extension.push(...def.limits.filter((l) => l.step === step.id).map(limitExtension));
  if (extension.some((e) => str(e, 'url') === X.followUp)) {
    extension = extension.map((e) => (str(e, 'url') !== X.followUp ? e : {
      url: X.followUp,
      extension: [
        ...def.followUp.targetMonths.map((m) => ({ url: 'target', valueDuration: months(m) })),
        { url: 'tolerance', valueDuration: days(def.followUp.toleranceDays) },
      ],
    }));
  }
  return { ...action, extension };
}

export function activePlanDefinition(def: CourseDefinition, defs: Definitions): JsonObject | undefined {
  const source = def.resource;
  if (!isObject(source)) return undefined;
  const due: JsonObject[] = [];
  if (def.finalDue.afterDays !== null) due.push({ url: X.finalDue, extension: [{ url: 'afterDays', valueInteger: def.finalDue.afterDays }] });
  const count = def.finalDue.afterCount;
  const activity = count ? defs.codes.get(count.code)?.activity : undefined;
  if (count && activity) {
    due.push({ url: X.finalDue, extension: [{ url: 'afterCount', valueInteger: count.count }, { url: 'activity', valueCanonical: activity }] });
  }
  return {
    ...source,
    extension: [...withoutExt(source, X.finalDue), ...due],
    action: arr(source, 'action').map((a) => (isObject(a) ? stepAction(a, def, defs) : a)),
  };
}

/** Every course's active PlanDefinition and the resources it names, as one collection Bundle (for a FHIR server). */
export function activeDefinitionsBundle(defs: Definitions): JsonObject {
  const plans = [...defs.courses.values()].map((c) => activePlanDefinition(c, defs)).filter((p): p is JsonObject => p !== undefined);
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: plans.map((resource) => ({
      resource,
      request: { method: 'PUT', url: `PlanDefinition/${str(resource, 'id') ?? ''}` },
    })),
  };
}
