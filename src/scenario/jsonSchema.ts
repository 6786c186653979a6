/**
 * The JSON Schema (draft-07, what yaml-language-server supports) of the scenario YAML, for editors: completion,
 * hover text and squiggles. It is built here and written to schema/scenario.schema.json by `npm run schema`;
 * schema.ts (the decoders) stays the truth. The target's part is in jsonSchemaTarget.ts, each client's in
 * jsonSchemaClient.ts. jsonSchema.test.ts keeps the two in step: the same keys at the same places,
 * the same required keys and defaults, examples the loader accepts, and a committed file that is not stale.
 */
import { CLIENT_ID_VARS, DEFAULT_CLIENT_ID } from './templateFields.js';
import { connect, GROUP_NAME, groupRef, publish, subscription } from './jsonSchemaClient.js';
import { target } from './jsonSchemaTarget.js';
import * as j from './jsonSchemaValues.js';
import type { JsonSchema } from './jsonSchemaValues.js';

const group = j.object(
  { description: 'A group of identical clients.' },
  {
    name: j.text({ description: 'Group name, unique in the scenario: letters, digits, _ and -.', examples: ['devices', 'backend'] }, GROUP_NAME),
    count: j.groupCount({ description: 'Number of clients in the group (1 to 10,000,000).', examples: [1000, 1] }),
    clientId: j.template(
      { description: `MQTT client id; must use {i} when count > 1. Default: "${DEFAULT_CLIENT_ID}".`, default: DEFAULT_CLIENT_ID, examples: ['dev-{run}-{i}'] },
      CLIENT_ID_VARS,
    ),
    connect,
    subscribe: j.array({ description: 'Subscriptions every client of the group makes. Default: none.', default: [] }, subscription),
    publish,
    respond: j.bool({
      description: 'MQTT 5: answer every received request (a message with a response topic) on its response topic, with its correlation data. Default: false.',
      default: false,
    }),
    fromOtherRuns: j.bool({
      description:
        'Also time messages that carry the mqbench header of another run (another mqbench process, full 32-byte header): end-to-end latency is recorded and they are counted as otherRuns, outside the delivery ledger (no loss or duplicates are judged for them). Default: false.',
      default: false,
    }),
  },
  ['name', 'count'],
);

const disconnect = j.object(
  { description: 'A share of the group drops and reconnects after reconnectAfter plus a random 0..jitter.' },
  {
    group: groupRef('whose clients drop'),
    fraction: j.fraction({
      description: 'Share of the group that drops: above 0 and at most 1, e.g. 0.3 or "30%". Default: 1.',
      default: 1,
      examples: ['30%', 0.3],
    }),
    abrupt: j.bool({ description: 'true: the socket is destroyed without DISCONNECT (as when a network fails). Default: false.', default: false }),
    reconnectAfter: j.duration({ description: 'Wait this long before reconnecting. Default: 1s.', default: '1s', examples: ['0s', '1s'] }),
    jitter: j.duration({ description: 'Plus a random delay up to this long, per client. Default: 1s.', default: '1s', examples: ['5s'] }),
  },
  ['group'],
);

const event: JsonSchema = {
  ...j.object(
    { description: 'Something that happens at a set time after publishing starts: exactly one of disconnect, pause or resume.' },
    {
      at: j.duration({ description: 'When, counted from the start of publishing.', examples: ['20s'] }),
      disconnect,
      pause: j.object({ description: 'The group stops publishing (its slots until resume are skipped).' }, { group: groupRef('that pauses') }, ['group']),
      resume: j.object({ description: 'The group starts publishing again.' }, { group: groupRef('that resumes') }, ['group']),
    },
    ['at'],
  ),
  oneOf: [{ required: ['disconnect'] }, { required: ['pause'] }, { required: ['resume'] }],
};

/** The whole schema, as an object. */
export function scenarioJsonSchema(): JsonSchema {
  const root = j.object(
    {
      description:
        'An mqbench scenario: the broker, groups of simulated clients, timed events and pass/fail thresholds. Check it with `mqbench validate <file>`.',
    },
    {
      name: j.text(
        { description: 'Scenario name, used in result file names: letters, digits, ., _ and -.', examples: ['fanout-commands'] },
        j.match('[A-Za-z0-9._-]+', 'scenario names use letters, digits, ., _ and -'),
      ),
      description: j.text({ description: 'One line about what the scenario models.' }),
      target,
      warmup: j.duration({ description: 'Published and measured, but left out of the summary. Default: 0s.', default: '0s', examples: ['2s'] }),
      duration: j.duration({
        description: 'Steady-state publishing time after every group has connected; more than 0s; --duration overrides it; not with stages. Default: 10s.',
        default: '10s',
        examples: ['30s', '2m'],
      }),
      drain: j.duration({
        description: 'After the last send, wait this long for in-flight messages before counting them lost. Default: 2s.',
        default: '2s',
        examples: ['5s'],
      }),
      workers: j.integer({ description: 'Worker threads, 1 to 64 (default: CPU cores - 1, at least 1); --workers overrides it.', examples: [4] }, 1, 64),
      groups: j.array({ description: 'The groups of simulated clients (at least one).' }, group, 1),
      events: j.array({ description: 'Timed events (disconnect, pause, resume), in order. Default: none.', default: [] }, event),
      stages: j.array(
        {
          description:
            "Publish-rate stages instead of duration (ramp up, hold, ramp down): each moves every group's rate linearly from the previous level (0 at the start) to its own; warm-up is the first part of the stages.",
        },
        j.object(
          { description: 'One stage: how long it lasts and the rate level it reaches at its end.' },
          {
            duration: j.duration({ description: 'How long the stage lasts.', examples: ['30s', '2m'] }),
            rate: j.level({
              description: 'Level reached at the end of the stage, as a share of each group\'s rate: "100%" or 1.0 (0% to 1000%).',
              examples: ['100%', '150%', 0.5],
            }),
          },
          ['duration', 'rate'],
        ),
        1,
      ),
      thresholds: j.array(
        { description: 'Pass/fail checks on the summary; a failure makes the run exit 3. Default: none.', default: [] },
        j.threshold({
          description:
            'A check "<metric> <op> <value>": latency <connect|publishAck|endToEnd|endToEndUncorrected|reconnect>.<min|mean|p50|p90|p99|p999|max> in us, ms or s (plain = ms); messages.<sent|acked|received|expected|lost|duplicated|outOfOrder|…>; connections.<attempted|succeeded|failed|lost|reconnected|…>; throughput.<sentPerSec|receivedPerSec>. Operators: < <= > >= == !=.',
          examples: ['endToEnd.p99 < 50ms', 'messages.lost == 0', 'throughput.receivedPerSec >= 1000/s'],
        }),
      ),
    },
    ['name', 'groups'],
  );
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: 'mqbench scenario', ...root };
}

/** The text of schema/scenario.schema.json (what `npm run schema` writes). */
export function renderScenarioJsonSchema(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
