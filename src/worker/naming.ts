import { parsePayloadTemplate, type PayloadPart } from '../mqtt/payloadTemplate.js';
import { compileTemplate, type ParsedTemplate } from '../mqtt/template.js';
import type { PublishProperties } from '../driver/driver.js';
import type { PublishSpec } from '../scenario/model.js';
import type { GroupSpec, Scenario } from '../scenario/model.js';
import type { PlannedSubscription } from '../metrics/ledger.js';
import { perFilter } from './perFilter.js';

/** A group's compiled templates: client ids, subscription filters, publish topic. */
export interface GroupNames {
  clientId: ParsedTemplate;
  subscribe: ParsedTemplate[];
  publishTopic?: ParsedTemplate;
  /** Client count of the group `{target}` cycles through (0 when the topic has no {target}). */
  targetCount: number;
  /** The parsed JSON payload template, when the group publishes JSON. */
  payloadParts?: PayloadPart[];
  /** MQTT 5 properties sent with each of the group's messages. */
  publishProps?: PublishProperties;
  /** The will topic template (connect.will), compiled on first use. */
  will?: ParsedTemplate;
  /** Header-less payloads (payload.header: false): the bodies cycled by sequence number, or zero filler of the largest size. */
  raw?: { bodies: Buffer[]; filler: Buffer };
}

export function compileGroupNames(scenario: Scenario, g: GroupSpec): GroupNames {
  const targets = g.publish?.targets ? scenario.groups.find((x) => x.name === g.publish!.targets) : undefined;
  return {
    clientId: compileTemplate(g.clientId),
    subscribe: g.subscribe.map((s) => compileTemplate(s.topic)),
    publishTopic: g.publish ? compileTemplate(g.publish.topic) : undefined,
    targetCount: targets?.count ?? 0,
    payloadParts: g.publish?.payload.json ? compilePayload(g.publish.payload.json) : undefined,
    publishProps: g.publish?.properties ? toDriverProps(g.publish.properties) : undefined,
    raw: g.publish?.payload.header === false ? rawPayloads(g.publish.payload) : undefined,
  };
}

/** Built once per group: header-less messages are these buffers (or slices of the filler), never copied per message. */
function rawPayloads(p: PublishSpec['payload']): { bodies: Buffer[]; filler: Buffer } {
  const bodies = (p.body?.data ?? []).map((b) => Buffer.from(b, 'base64'));
  return { bodies, filler: Buffer.alloc(bodies.length ? 0 : (p.maxSize ?? p.size)) };
}

export function clientIdOf(names: GroupNames, g: GroupSpec, i: number, run: string): string {
  return names.clientId.render({ i, group: g.name, run });
}

export function filtersOf(names: GroupNames, g: GroupSpec, i: number, run: string): string[] {
  if (names.subscribe.length === 0) return perFilter(0);
  const clientId = clientIdOf(names, g, i, run);
  return names.subscribe.map((t) => t.render({ i, group: g.name, run, clientId }));
}

/**
 * Every subscription the plan makes, across all workers. Each worker derives the same list from
 * the scenario alone, so publishers know their receivers without asking other threads (whether a
 * receiver is there right now is in the shared Receivable array).
 */
export function* plannedSubscriptions(scenario: Scenario, clientBase: number[], slotBase: number[], run: string): Generator<PlannedSubscription> {
  for (let gi = 0; gi < scenario.groups.length; gi++) {
    const g = scenario.groups[gi];
    if (g.subscribe.length === 0) continue;
    const names = compileGroupNames(scenario, g);
    for (let i = 0; i < g.count; i++) {
      const client = clientBase[gi] + i;
      const filters = filtersOf(names, g, i, run);
      const slot = slotBase[gi] + i * filters.length;
      for (let k = 0; k < filters.length; k++) yield { client, slot: slot + k, filter: filters[k], qos: g.subscribe[k].qos };
    }
  }
}

/** Every client's will topic → its will payload, across all groups (each worker derives the same map), or null without wills. */
export function willTopics(scenario: Scenario, run: string): Map<string, Buffer> | null {
  if (!scenario.groups.some((g) => g.connect.will)) return null;
  const out = new Map<string, Buffer>();
  for (const g of scenario.groups) {
    if (!g.connect.will) continue;
    const names = compileGroupNames(scenario, g);
    const payload = Buffer.from(g.connect.will.payload, 'utf8');
    for (let i = 0; i < g.count; i++) out.set(willTopicOf(names, g, i, run)!, payload);
  }
  return out;
}

/** A client's will topic, when its group has a will. */
export function willTopicOf(names: GroupNames, g: GroupSpec, i: number, run: string): string | undefined {
  if (!g.connect.will) return undefined;
  names.will ??= compileTemplate(g.connect.will.topic);
  return names.will.render({ i, group: g.name, run, clientId: clientIdOf(names, g, i, run) });
}

function compilePayload(src: string): PayloadPart[] {
  const p = parsePayloadTemplate(src);
  if (!p.ok) throw new Error(`invalid payload template: ${p.message}`); // the loader checked it
  return p.parts;
}

function toDriverProps(p: NonNullable<PublishSpec['properties']>): PublishProperties {
  return {
    ...(p.messageExpirySec !== undefined ? { messageExpiryInterval: p.messageExpirySec } : {}),
    ...(p.contentType !== undefined ? { contentType: p.contentType } : {}),
    ...(p.userProperties !== undefined ? { userProperties: p.userProperties } : {}),
  };
}
