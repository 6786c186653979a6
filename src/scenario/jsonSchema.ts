/**
 * The JSON Schema (draft-07, what yaml-language-server supports) of the scenario YAML, for editors: completion,
 * hover text and squiggles. It is built here and written to schema/scenario.schema.json by `npm run schema`;
 * schema.ts (the decoders) stays the truth. jsonSchema.test.ts keeps the two in step: the same keys at the same places,
 * the same required keys and defaults, examples the loader accepts, and a committed file that is not stale.
 */
import { CLIENT_ID_VARS, DEFAULT_CLIENT_ID, PUBLISH_VARS, SUBSCRIBE_VARS } from './templateFields.js';
import * as j from './jsonSchemaValues.js';
import type { JsonSchema } from './jsonSchemaValues.js';

const GROUP_NAME = j.match('[A-Za-z0-9_-]+', 'group names use letters, digits, _ and -');

const groupRef = (what: string) => j.text({ description: `Name of the group ${what}.`, examples: ['devices'] }, GROUP_NAME);

const tls = j.object(
  { description: 'TLS for mqtts:// and wss:// URLs (an error with any other URL). File paths are relative to the scenario file.' },
  {
    ca: j.filePath({ description: "PEM file of the CA certificate(s) to trust instead of Node's built-in list.", examples: ['certs/ca.pem'] }),
    cert: j.filePath({ description: 'PEM file of the client certificate (set together with key).', examples: ['certs/client.pem'] }),
    key: j.filePath({
      description: "PEM file of the client certificate's private key (unencrypted; never written to results).",
      examples: ['certs/client-key.pem'],
    }),
    insecure: j.bool({ description: 'true turns certificate checks off (warned about, recorded in results). Default: false.', default: false }),
    servername: j.hostName({
      description: "Host name for SNI and the certificate check, when it differs from the URL's host (not an IP address).",
      examples: ['broker.internal'],
    }),
  },
);

const observe = j.object(
  {
    description:
      'Watch the broker during the run (CPU, memory, fds, disk I/O, its message counters): a process on this machine, a Prometheus endpoint and/or its $SYS topics. --broker-pid, --broker-metrics and --broker-sys add to it. A source that fails is reported, never fatal.',
  },
  {
    pid: j.integer({ description: 'Process id of the broker on this machine (read from /proc).', examples: [1234] }, 1, 4_194_304),
    prometheus: j.object(
      { description: 'A Prometheus metrics endpoint of the broker or its host, scraped once a second.' },
      {
        url: j.text(
          {
            description: 'http:// or https:// URL of the endpoint (credentials in it are sent as HTTP Basic auth, never written out).',
            examples: ['http://127.0.0.1:15692/metrics', 'http://127.0.0.1:18083/api/v5/prometheus/stats'],
          },
          j.match('[hH][tT][tT][pP][sS]?://[^\\s/?#]+.*', 'expected an http:// or https:// URL'),
        ),
        preset: j.text(
          {
            description: 'Which metric names to read: emqx, rabbitmq, node_exporter (the host) or process (any Prometheus client library).',
            examples: ['rabbitmq', 'emqx', 'node_exporter'],
          },
          j.match('emqx|rabbitmq|node_exporter|process', 'one of: emqx, rabbitmq, node_exporter, process'),
        ),
        metrics: j.array(
          {
            description:
              'Custom metrics as name=metric{labels}, optionally *k or /k to change units; a known name (cpuSeconds, rssBytes, fds, messagesReceived …) fills that figure.',
            examples: [['cpuSeconds=process_cpu_seconds_total', 'queueDepth=rabbitmq_queue_messages']],
          },
          j.text({ description: 'name=metric{labels}', examples: ['rssBytes=process_resident_memory_bytes'] }),
        ),
      },
      ['url'],
    ),
    sys: j.bool({
      description:
        "true: read the broker's $SYS topics (mosquitto) over one extra connection: message counters, clients, heap. Automatic when the pid is a mosquitto process.",
      examples: [true],
    }),
  },
);

const target = j.object(
  { description: 'The broker under test. `--broker` on the command line overrides url (and urls).' },
  {
    url: j.brokerUrl({
      description: 'mqtt:// (1883), mqtts:// (8883), ws:// (80), wss:// (443) URL, or "embedded" for an in-process aedes broker. Default: embedded.',
      default: 'embedded',
      examples: ['mqtt://127.0.0.1:1883', 'mqtts://broker.example.com:8883', 'wss://broker.example.com/mqtt', 'embedded'],
    }),
    urls: j.array(
      {
        description:
          'Several brokers instead of url, e.g. the nodes of a cluster: client g (counted over all groups) connects to urls[g % n]. Results name the first and list them all.',
        examples: [['mqtt://10.0.0.1:1883', 'mqtt://10.0.0.2:1883']],
      },
      j.clusterUrl({ description: 'mqtt://, mqtts://, ws:// or wss:// URL of one broker.', examples: ['mqtt://10.0.0.1:1883'] }),
      1,
    ),
    sourceAddresses: j.array(
      {
        description:
          'Local IP addresses to bind client sockets to: client g binds sourceAddresses[g % n]. Each local address gives another ~28,000 ephemeral ports towards one broker address. Not with ws:// or wss://.',
        examples: [['127.0.0.2', '127.0.0.3']],
      },
      j.ipAddress({ description: 'An IPv4 or IPv6 address of this machine (127.0.0.0/8 is all loopback on Linux).', examples: ['127.0.0.2'] }),
      1,
    ),
    mqttVersion: j.mqttVersion({
      description: 'MQTT protocol version: 3.1 (protocol level 3, MQIsdp), 3.1.1 or 5. Default: 3.1.1.',
      default: '3.1.1',
      examples: ['3.1.1', 5],
    }),
    username: j.text({ description: 'MQTT username. Use ${VAR} to read it from the environment.', examples: ['${MQTT_USER}'] }),
    password: j.text({ description: 'MQTT password. Use ${VAR} to read it from the environment; never written to results.', examples: ['${MQTT_PASSWORD}'] }),
    tls,
    observe,
  },
);

const connect = j.object(
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

const subscription: JsonSchema = {
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

const publish: JsonSchema = {
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
