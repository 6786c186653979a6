/**
 * The JSON Schema of what each client of a group does (part of jsonSchema.ts): how it connects, what it
 * subscribes to and what it publishes (payload, MQTT 5 properties, rate), and how a group is named.
 */
import { PUBLISH_VARS, SUBSCRIBE_VARS } from './templateFields.js';
import * as j from './jsonSchemaValues.js';
import type { JsonSchema } from './jsonSchemaValues.js';

export const GROUP_NAME = j.match('[A-Za-z0-9_-]+', 'group names use letters, digits, _ and -');

export const groupRef = (what: string) => j.text({ description: `Name of the group ${what}.`, examples: ['devices'] }, GROUP_NAME);

export const connect = j.object(
  { description: 'How the clients of the group connect.' },
  {
    rate: j.rate({ description: 'New connections per second for the whole group (split exactly over workers). Default: 1000/s.', default: '1000/s' }),
    clean: j.bool({
      description: 'Clean session (MQTT 3.1.1) / clean start (MQTT 5). false keeps subscriptions and queued messages across reconnects. Default: true.',
      default: true,
    }),
    keepalive: j.duration({ description: 'MQTT keepalive, whole seconds from 0s (off) to 65535s. Default: 60s.', default: '60s', examples: ['60s', '30s'] }),
    sessionExpiry: j.duration({
      description:
        'MQTT 5 session expiry: how long the broker keeps the session after the connection ends. Default with clean: false on MQTT 5: 1h. Ignored for 3.1.1.',
      examples: ['1h', '10m'],
    }),
    timeout: j.duration({
      description: 'Give up on a connection attempt (TCP + CONNACK) after this long; more than 0s. Default: 10s.',
      default: '10s',
      examples: ['10s', '20s'],
    }),
    credentials: j.filePath({
      description:
        'Per-client credentials: a CSV file (relative to the scenario file) with a header line and the columns username, password and optionally cert, key (PEM file paths, relative to the CSV); client i of the group uses row i mod rows. Never written to results (its name and row count are).',
      examples: ['clients.csv'],
    }),
    lifetime: j.object(
      {
        description:
          'Churn: each client disconnects (gracefully) after duration + a random 0..jitter, and connects again after pause, for the whole run. Each reconnect is timed (latency row "reconnect") and persistent sessions are checked for recovery.',
      },
      {
        duration: j.duration({ description: 'How long a connection lives; more than 0s.', examples: ['30s'] }),
        jitter: j.duration({ description: 'A random 0..jitter added to each lifetime. Default: 0s.', default: '0s', examples: ['10s'] }),
        pause: j.duration({ description: 'How long a client stays away before it connects again. Default: 1s.', default: '1s', examples: ['2s'] }),
      },
      ['duration'],
    ),
    will: j.object(
      {
        description:
          "Last will: the broker publishes it when a client's connection ends without DISCONNECT (abrupt disconnect events, lost connections), never after a graceful one. Will deliveries are counted as their own stream.",
      },
      {
        topic: j.template({ description: 'Will topic (no wildcards).', examples: ['status/{run}/{clientId}'] }, SUBSCRIBE_VARS, { noWildcards: true }),
        payload: j.text({ description: 'Will payload (UTF-8 text). Default: empty.', default: '', examples: ['offline'] }),
        qos: j.qos({ description: 'Will QoS: 0, 1 or 2. Default: 0.', default: 0, examples: [0, 1] }),
        retain: j.bool({ description: 'Publish the will retained. Default: false.', default: false }),
      },
      ['topic'],
    ),
  },
);

const subscriptionObject = j.object(
  { description: 'A subscription made by every client of the group.' },
  {
    topic: j.template(
      {
        description: 'Topic filter; + and # wildcards and $share/<group>/<filter> are allowed.',
        examples: ['cmd/{run}/{i}', '$share/ingest/telemetry/{run}/#'],
      },
      SUBSCRIBE_VARS,
    ),
    qos: j.qos({ description: 'Maximum QoS of the subscription: 0, 1 or 2. Default: 0.', default: 0, examples: [0, 1, 2] }),
    at: j.duration({ description: 'Subscribe this long after publishing starts (a late subscriber) instead of right after connecting.', examples: ['15s'] }),
    until: j.duration({ description: 'Unsubscribe this long after publishing starts (later than at).', examples: ['45s'] }),
  },
  ['topic'],
);

export const subscription: JsonSchema = {
  description: 'A subscription: a topic filter string (QoS 0) or a mapping with topic, qos, at and until.',
  anyOf: [j.template({ description: 'Topic filter subscribed at QoS 0.', examples: ['broadcast/#'] }, SUBSCRIBE_VARS), subscriptionObject],
};

const payload = j.object(
  { description: 'The published payload.' },
  {
    size: j.size({
      description:
        'Payload size in bytes, including the mqbench header (32 bytes; 16 bytes for payloads of 16 to 31 bytes, with shorter fields: see the README; any size from 0 with header: false): 128, "512B", "4KB" (= 4KiB = 4096 B), "1MB", or a range "64..1KB" (each message gets a size in it). Default: 64.',
      default: 64,
      examples: [128, '1KB', '4KiB', '64..512'],
    }),
    json: j.text({
      description:
        'A JSON object template instead of binary filler: placeholders {i} {group} {clientId} {run} {seq} {ts} and generated {int:1..9} {float:15..30} {choice:on|off}; mqbench adds a "_mqb" field. size is then ignored.',
      examples: ['{"device": "{clientId}", "temp": {float:15..30}, "state": "{choice:on|off}"}'],
    }),
    header: j.bool({
      description:
        'false: send the payload without the mqbench header (then sizes below 16 B, text, base64, hex, file and files are allowed). End-to-end latency and the delivery ledger (lost, duplicated, out of order) are then off for this group; publish→ack latency and the counts stay. Default: true.',
      default: true,
    }),
    text: j.text({ description: 'With header: false: this text (UTF-8) is every message.' }),
    base64: j.text({ description: 'With header: false: these bytes (base64) are every message.' }),
    hex: j.text({ description: 'With header: false: these bytes (hex, spaces allowed) are every message.' }),
    file: j.filePath({ description: 'With header: false: the bytes of this file (relative to the scenario file) are every message.' }),
    files: j.array(
      { description: 'With header: false: these files (relative to the scenario file) are the messages, in turn.' },
      j.filePath({ description: 'A payload file.' }),
      1,
    ),
  },
);

const publishProperties = j.object(
  { description: 'MQTT 5 properties sent with every message (needs mqttVersion: 5).' },
  {
    messageExpiry: j.duration({ description: 'Message expiry interval: the broker drops the message if not delivered by then.', examples: ['60s'] }),
    contentType: j.text({ description: 'Content type, e.g. application/json.', examples: ['application/json'] }),
    userProperties: { type: 'object', description: 'User properties: name → value (text).', additionalProperties: { type: 'string' } },
  },
);

export const publish: JsonSchema = {
  ...j.object(
    { description: 'What the clients of the group publish. Set exactly one of rate (for the whole group) or every (per client).' },
    {
      topic: j.template(
        { description: 'Topic to publish to (no + or # wildcards).', examples: ['telemetry/{run}/{i}/state', 'cmd/{run}/{target}'] },
        PUBLISH_VARS,
        { noWildcards: true },
      ),
      qos: j.publishQos({
        description: 'QoS 0, 1 or 2, or a weighted mix such as { 0: 70%, 1: 25%, 2: 5% }. Default: 0.',
        default: 0,
        examples: [0, 1, 2, { 0: '70%', 1: '25%', 2: '5%' }],
      }),
      retain: j.bool({
        description: 'Publish with the retain flag (the broker keeps the last message per topic for late subscribers). Default: false.',
        default: false,
      }),
      rate: {
        anyOf: [
          j.rate({
            description:
              'Messages per second for the whole group, split exactly over clients and workers (open model: the k-th message is due at start + k / rate).',
          }),
          {
            const: 'max',
            description:
              'Closed loop (QoS 1/2): each client publishes as fast as its acks allow (publish.inflight messages in flight); latency is then not corrected for coordinated omission.',
          },
        ],
        description: 'Messages per second for the whole group (open model), or max (closed loop on acks).',
        examples: ['500/s', '10/m'],
      },
      every: j.duration({
        description: 'Per client: each client publishes once per this interval (the group rate is count / every). More than 0s.',
        examples: ['5s', '500ms'],
      }),
      payload,
      targets: groupRef('whose clients {target} cycles through (round robin); the only other group by default'),
      properties: publishProperties,
      responseTopic: j.template(
        {
          description:
            'MQTT 5 request/response: each message carries this response topic (and its header as correlation data); a group with respond: true answers there, and the request → response time is measured. Subscribe the publishing group to it.',
          examples: ['resp/{run}/{clientId}'],
        },
        SUBSCRIBE_VARS,
        { noWildcards: true },
      ),
      topicAlias: j.bool({
        description: "MQTT 5: send repeated topics as topic aliases (the client assigns them up to the broker's maximum). Default: false.",
        default: false,
      }),
      inflight: j.integer(
        {
          description:
            "QoS 1/2 messages one client keeps unacknowledged before further ones wait (their wait stays in the corrected latency; those still waiting at the end are counted unsent). Default: the broker's MQTT 5 Receive Maximum, else 20; never more than the Receive Maximum.",
          examples: [20, 100],
        },
        1,
        65_535,
      ),
    },
    ['topic'],
  ),
  oneOf: [{ required: ['rate'] }, { required: ['every'] }],
};
