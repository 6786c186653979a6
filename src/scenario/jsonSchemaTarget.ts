/**
 * The JSON Schema of a scenario's `target` (part of jsonSchema.ts): the broker's URL and MQTT version, TLS, and
 * how the broker is watched during the run (observe).
 */
import * as j from './jsonSchemaValues.js';

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

export const target = j.object(
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
