// dbmcp against the official TypeScript SDK 2.x client (@modelcontextprotocol/client), pinned to
// protocol revision 2026-07-28: no initialize handshake, server/discover, per-request _meta
// carrying the protocol version and client capabilities, resultType/ttlMs/cacheScope on results.
//
//   node tests/interop/modern.mjs <path to dbmcp> [--timeout SECONDS] [--keep]
//
// Part 1 drives the SDK client (versionNegotiation pinned to 2026-07-28, no legacy fallback).
// Part 2 speaks raw JSON-RPC over the child's pipes for what a conforming client never sends:
// an unsupported protocol version (-32022) and a request without the _meta envelope (-32602).
import { spawn } from 'node:child_process';
import readline from 'node:readline';

import { Client, LOG_LEVEL_META_KEY, ProtocolError } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import {
  DEMO_TABLES,
  EXPECTED_TOOLS,
  check,
  initDemo,
  protocolErrors,
  tapTransport,
  runScript,
  sleep,
  textJson,
  userRows,
  within,
} from './lib.mjs';

const SCRIPT = 'modern.mjs';
const MODERN = '2026-07-28';
const VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';
const CAPS_KEY = 'io.modelcontextprotocol/clientCapabilities';
const SERVER_INFO_KEY = 'io.modelcontextprotocol/serverInfo';
const T = 15_000;

await runScript(SCRIPT, process.argv, async ({ binary, db, step, stderr, onCleanup }) => {
  await step('dbmcp init --demo', () => initDemo(binary, db));

  const transport = new StdioClientTransport({ command: binary, args: ['--db', db], stderr: 'pipe' });
  stderr.attach(transport.stderr);

  // Wire tap on the session transport (the SDK probes with server/discover on a disposable
  // sibling process first; everything after that goes through here).
  const { sent, received } = tapTransport(transport);
  const responseTo = (request) => received.find((r) => r.message.id === request.id && !r.message.method)?.message;
  const lastRequest = (method) => sent.findLast((s) => s.message.method === method && s.message.id !== undefined)?.message;

  const client = new Client(
    { name: 'dbmcp-interop-modern', version: '1.0.0' },
    { capabilities: {}, versionNegotiation: { mode: { pin: MODERN }, probe: { timeoutMs: 10_000 } } },
  );
  const clientErrors = [];
  const cancelledTokens = new Set();
  client.onerror = (error) => clientErrors.push(String(error?.stack ?? error));
  onCleanup(() => client.close());

  await step(`connect pinned to ${MODERN} (server/discover probe, no initialize)`, async () => {
    await within(30_000, client.connect(transport), 'connect');
    check(client.getProtocolEra() === 'modern', 'the negotiated era is modern', client.getProtocolEra());
    check(client.getNegotiatedProtocolVersion() === MODERN, `the negotiated version is ${MODERN}`, client.getNegotiatedProtocolVersion());
    const discover = client.getDiscoverResult();
    check(discover?.supportedVersions?.includes(MODERN), `server/discover offers ${MODERN}`, discover);
    check(client.getServerVersion()?.name === 'dbmcp', 'serverInfo.name is "dbmcp"', client.getServerVersion());
    check(!sent.some((s) => s.message.method === 'initialize'), 'no initialize was sent', sent.map((s) => s.message.method));
  });

  await step('server/discover on the session', async () => {
    const result = await within(T, client.discover(), 'server/discover');
    const raw = responseTo(lastRequest('server/discover'));
    check(raw?.result, 'a server/discover result on the wire', raw);
    const r = raw.result;
    check(Array.isArray(r.supportedVersions) && r.supportedVersions.includes(MODERN), `supportedVersions includes ${MODERN}`, r);
    console.log(`# supportedVersions: ${JSON.stringify(r.supportedVersions)}`);
    for (const cap of ['tools', 'resources', 'completions']) check(r.capabilities && typeof r.capabilities[cap] === 'object', `capabilities.${cap}`, r.capabilities);
    check(typeof r.instructions === 'string' && r.instructions.length > 0, 'instructions', r);
    const info = r._meta?.[SERVER_INFO_KEY];
    check(info?.name === 'dbmcp' && typeof info.version === 'string', `_meta["${SERVER_INFO_KEY}"] names dbmcp`, r._meta);
    check(r.resultType === 'complete', 'resultType is "complete"', r);
    check(result.supportedVersions.includes(MODERN), 'the SDK parses the discover result', result);
  });

  let tools;
  await step('tools/list: resultType, ttlMs, cacheScope, deterministic order', async () => {
    const result = await within(T, client.listTools(undefined, { cacheMode: 'bypass' }), 'tools/list');
    tools = result.tools;
    const names = tools.map((t) => t.name);
    for (const name of EXPECTED_TOOLS) check(names.includes(name), `tool ${name} is listed`, names);
    for (const tool of tools) {
      check(tool.inputSchema?.type === 'object', `${tool.name}.inputSchema is an object schema`, tool.inputSchema);
      check(tool.annotations && typeof tool.annotations === 'object', `${tool.name} has annotations`, tool);
    }
    const raw = responseTo(lastRequest('tools/list'));
    check(raw?.result?.resultType === 'complete', 'tools/list resultType is "complete"', raw);
    check(Number.isInteger(raw.result.ttlMs) && raw.result.ttlMs >= 0, 'tools/list carries ttlMs', raw.result.ttlMs);
    check(['public', 'private'].includes(raw.result.cacheScope), 'tools/list carries cacheScope', raw.result.cacheScope);
    const again = await within(T, client.listTools(undefined, { cacheMode: 'bypass' }), 'tools/list again');
    check(JSON.stringify(again.tools.map((t) => t.name)) === JSON.stringify(names), 'the same order twice', again.tools.map((t) => t.name));
  });

  await step('every request on the wire carries the 2026-07-28 _meta envelope', async () => {
    const requests = sent.filter((s) => s.message.id !== undefined && s.message.method);
    check(requests.length >= 3, 'requests were sent', requests);
    for (const { message } of requests) {
      check(message.params?._meta?.[VERSION_KEY] === MODERN, `${message.method} carries _meta["${VERSION_KEY}"]`, message);
      check(typeof message.params._meta[CAPS_KEY] === 'object', `${message.method} carries _meta["${CAPS_KEY}"]`, message);
    }
  });

  await step('tools/call list_tables and list_records', async () => {
    const tables = await within(T, client.callTool({ name: 'list_tables', arguments: {} }), 'list_tables');
    check(!tables.isError, 'list_tables succeeds', tables);
    const names = tables.structuredContent?.tables?.map((t) => t.name) ?? [];
    for (const t of DEMO_TABLES) check(names.includes(t), `table ${t}`, tables);
    check(JSON.stringify(textJson(tables)) === JSON.stringify(tables.structuredContent), 'content[0].text mirrors structuredContent', tables);
    const raw = responseTo(lastRequest('tools/call'));
    check(raw?.result?.resultType === 'complete', 'tools/call resultType is "complete"', raw);
    check(raw.result._meta?.[SERVER_INFO_KEY]?.name === 'dbmcp' || raw.result._meta === undefined, 'serverInfo in result _meta (SHOULD)', raw.result._meta);

    const page = await within(T, client.callTool({ name: 'list_records', arguments: { table: 'users', limit: 2 } }), 'list_records');
    const sc = page.structuredContent;
    check(!page.isError && sc?.rows?.length === 2 && sc.total === 5 && sc.has_more === true, 'two of five users, has_more', page);
    check(sc.rows[0].email === 'ada@example.com', 'the first demo user', sc.rows);
  });

  await step('tools/call with failing arguments gives isError', async () => {
    for (const params of [
      { name: 'list_records', arguments: { table: 'no_such_table' } },
      { name: 'insert_record', arguments: { table: 'users', record: { name: 'Old', email: 'old@x', age: 200 } } },
    ]) {
      const result = await within(T, client.callTool(params), params.name);
      check(result.isError === true, `${params.name} ${JSON.stringify(params.arguments)} has isError: true`, result);
      check(typeof result.content?.[0]?.text === 'string', 'with a text message', result);
    }
  });

  await step('resources: list, templates, read; unknown resource is -32602', async () => {
    const list = await within(T, client.listResources(undefined, { cacheMode: 'bypass' }), 'resources/list');
    const uris = list.resources.map((r) => r.uri);
    for (const t of DEMO_TABLES) check(uris.includes(`db://tables/${t}/schema`), `resource for ${t}`, uris);
    const rawList = responseTo(lastRequest('resources/list'));
    check(rawList?.result?.resultType === 'complete' && Number.isInteger(rawList.result.ttlMs) && rawList.result.cacheScope, 'resources/list carries resultType, ttlMs, cacheScope', rawList?.result && { ...rawList.result, resources: '…' });

    const templates = await within(T, client.listResourceTemplates(undefined, { cacheMode: 'bypass' }), 'resources/templates/list');
    check(templates.resourceTemplates.some((t) => t.uriTemplate === 'db://tables/{table}/schema'), 'the schema template', templates);

    const read = await within(T, client.readResource({ uri: 'db://tables/users/schema' }, { cacheMode: 'bypass' }), 'resources/read');
    const schema = JSON.parse(read.contents[0].text);
    check(schema.columns.some((c) => c.name === 'email'), 'the users schema', schema);
    const rawRead = responseTo(lastRequest('resources/read'));
    check(rawRead?.result?.resultType === 'complete' && Number.isInteger(rawRead.result.ttlMs) && rawRead.result.cacheScope, 'resources/read carries resultType, ttlMs, cacheScope', rawRead?.result && { ...rawRead.result, contents: '…' });

    let error;
    try {
      await within(T, client.readResource({ uri: 'db://tables/no_such_table/schema' }, { cacheMode: 'bypass' }), 'resources/read unknown');
    } catch (e) {
      error = e;
    }
    check(error instanceof ProtocolError && error.code === -32602, 'unknown resource -> -32602 (2026-07-28)', { error: String(error), code: error?.code });
  });

  await step('completion/complete for the template argument table', async () => {
    const result = await within(
      T,
      client.complete({ ref: { type: 'ref/resource', uri: 'db://tables/{table}/schema' }, argument: { name: 'table', value: 'u' } }),
      'completion/complete',
    );
    check(JSON.stringify(result.completion.values) === JSON.stringify(['users']), 'u -> users', result);
  });

  await step(`logging only with _meta["${LOG_LEVEL_META_KEY}"]`, async () => {
    const logCount = () => received.filter((r) => r.message.method === 'notifications/message').length;
    const before = logCount();
    await within(T, client.callTool({ name: 'insert_records', arguments: { table: 'tasks', records: [{ title: 'quiet', status: 'pending', priority: 1 }] } }), 'insert without logLevel');
    await sleep(200);
    check(logCount() === before, 'no notifications/message without a logLevel in _meta', received.slice(before));
    const result = await within(
      T,
      client.callTool({ name: 'insert_records', arguments: { table: 'tasks', records: [{ title: 'loud', status: 'pending', priority: 1 }] }, _meta: { [LOG_LEVEL_META_KEY]: 'debug' } }),
      'insert with logLevel',
    );
    check(!result.isError, 'the insert succeeds', result);
    await sleep(200);
    const logs = received.filter((r) => r.message.method === 'notifications/message').slice(before);
    check(logs.length > 0, 'notifications/message arrive with logLevel debug');
    for (const { message } of logs) check(message.params?.level && 'data' in message.params, 'a level and data', message);
  });

  await step('50 concurrent tools/call', async () => {
    const calls = [];
    for (let i = 0; i < 50; ++i) {
      const k = (i % 5) + 1;
      if (i % 2) calls.push({ params: { name: 'count_records', arguments: { table: 'users', where: { id: { lte: k } } } }, expect: (sc) => sc.count === k });
      else calls.push({ params: { name: 'get_record', arguments: { table: 'products', id: k } }, expect: (sc) => sc.record?.id === k });
    }
    const results = await within(30_000, Promise.all(calls.map((c) => client.callTool(c.params))), '50 concurrent calls');
    results.forEach((r, i) => check(!r.isError && calls[i].expect(r.structuredContent), `concurrent call ${i} ${JSON.stringify(calls[i].params)}`, r));
  });

  const countUsers = async () => {
    const r = await within(T, client.callTool({ name: 'count_records', arguments: { table: 'users' } }), 'count_records');
    check(!r.isError && Number.isInteger(r.structuredContent?.count), 'count_records gives a count', r);
    return r.structuredContent.count;
  };

  await step('progress: insert_records 5000 rows, batch_size 1000', async () => {
    const before = await countUsers();
    const progress = [];
    const result = await within(
      60_000,
      client.callTool(
        { name: 'insert_records', arguments: { table: 'users', records: userRows(5000, 'm'), batch_size: 1000 } },
        { onprogress: (p) => progress.push(p), timeout: 60_000 },
      ),
      'insert_records 5000',
    );
    check(!result.isError && result.structuredContent?.inserted === 5000, '5000 rows inserted', result);
    check(progress.length >= 2, 'progress notifications arrived', progress);
    for (let i = 1; i < progress.length; ++i) check(progress[i].progress > progress[i - 1].progress, 'progress increases', progress);
    check((await countUsers()) === before + 5000, 'the table grew by 5000');
  });

  await step('cancellation: abort insert_records of 300000 rows after the first progress', async () => {
    const before = await countUsers();
    const controller = new AbortController();
    let seen = 0;
    const call = client.callTool(
      { name: 'insert_records', arguments: { table: 'users', records: userRows(300_000, 'k'), batch_size: 1000 } },
      { signal: controller.signal, timeout: 120_000, onprogress: () => { if (!seen++) controller.abort(); } },
    );
    let error;
    try {
      const result = await within(120_000, call, 'insert_records 300000');
      check(false, 'the aborted call rejects', { result, seen });
    } catch (e) {
      error = e;
    }
    check(seen >= 1, 'a progress notification arrived before the abort', String(error));
    check(/abort/i.test(String(error?.message ?? error)), 'the client rejects with an abort error', String(error));
    const request = sent.find((s) => s.message.method === 'tools/call' && s.message.params?.arguments?.records?.length === 300_000).message;
    const cancel = sent.find((s) => s.message.method === 'notifications/cancelled');
    check(cancel?.message.params.requestId === request.id, 'notifications/cancelled names the request', cancel?.message);
    cancelledTokens.add(request.params._meta.progressToken);
    const after = await countUsers();
    check(after === before, `the table is unchanged after the cancel (before ${before}, after ${after})`);
    await sleep(500);
    const later = await countUsers(); // the insert was rolled back, not merely not yet committed
    check(later === before, `the table is still unchanged 500 ms later (before ${before}, after ${later})`);
    const answer = received.find((r) => r.message.id === request.id);
    check(!answer, 'the server sends nothing more for the cancelled request (2026-07-28 stdio MUST)', answer?.message);
    const lateProgress = received.filter((r) => r.message.method === 'notifications/progress' && r.message.params.progressToken === request.params._meta.progressToken && r.at > cancel.at + 1000); // a second to read the cancel, as in legacy.mjs
    check(lateProgress.length === 0, 'no progress for the cancelled request after the cancel', lateProgress.map((r) => r.message));
  });

  await step('no protocol errors seen by the client; the server exits on end of input', async () => {
    // Progress that the SDK reports late (see protocolErrors) is not a protocol error.
    const errors = protocolErrors(clientErrors, received, cancelledTokens);
    check(errors.length === 0, 'client.onerror was never called', errors);
    check(!received.some((r) => r.message.method && r.message.id !== undefined), 'the server sent no requests (2026-07-28 stdio)', received.filter((r) => r.message.method && r.message.id !== undefined));
    const child = transport._process;
    check(child, 'the transport has its child process');
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const started = Date.now();
    await within(T, client.close(), 'close');
    const status = await within(T, exited, 'server exit');
    check(status.code === 0 && status.signal === null, 'the server exits 0 on end of input', { ...status, ms: Date.now() - started });
  });

  // Part 2: raw JSON-RPC over pipes, outside what the SDK lets a client send.
  await step('raw: unsupported version -> -32022, missing _meta -> -32602', async () => {
    const raw = rawSession(binary, db, stderr);
    onCleanup(() => raw.kill());
    const caps = {};
    const env = (version) => ({ [VERSION_KEY]: version, [CAPS_KEY]: caps });

    const bad = await raw.request({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: env('1900-01-01') } });
    check(bad.error?.code === -32022, 'an unsupported protocolVersion is -32022 UnsupportedProtocolVersion', bad);
    check(Array.isArray(bad.error.data?.supported) && bad.error.data.supported.includes(MODERN), 'error.data.supported lists 2026-07-28', bad);
    check(bad.error.data.requested === '1900-01-01', 'error.data.requested echoes the version (as in the spec example)', bad);

    const missing = await raw.request({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
    check(missing.error?.code === -32602, 'a request without the _meta envelope is -32602', missing);

    const discover = await raw.request({ jsonrpc: '2.0', id: 'd', method: 'server/discover', params: { _meta: env(MODERN) } });
    check(discover.result?.supportedVersions?.includes(MODERN) && discover.id === 'd', 'server/discover with a string id', discover);

    const call = await raw.request({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'count_records', arguments: { table: 'products' }, _meta: env(MODERN) } });
    check(call.result?.structuredContent?.count === 5 && call.result.resultType === 'complete', 'tools/call count_records products = 5', call);

    const unknown = await raw.request({ jsonrpc: '2.0', id: 4, method: 'no/such/method', params: { _meta: env(MODERN) } });
    check(unknown.error?.code === -32601, 'an unknown method is -32601', unknown);

    const status = await raw.close();
    check(status.code === 0, 'the server exits 0 on end of input', status);
    check(raw.unexpected.length === 0, 'nothing else on stdout', raw.unexpected);
  });
});

// A dbmcp child driven line by line: request() writes one message and waits for the response
// with the same id; anything that is not JSON, or answers no pending request, is kept in
// `unexpected` (notifications excepted).
function rawSession(binary, db, stderr) {
  const child = spawn(binary, ['--db', db], { stdio: ['pipe', 'pipe', 'pipe'] });
  stderr.attach(child.stderr);
  const pending = new Map();
  const unexpected = [];
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      unexpected.push(line);
      return;
    }
    const key = JSON.stringify(message.id);
    if (message.id !== undefined && !message.method && pending.has(key)) {
      pending.get(key)(message);
      pending.delete(key);
    } else if (!message.method || message.id !== undefined) {
      unexpected.push(message);
    }
  });
  return {
    unexpected,
    request(message) {
      const answer = new Promise((resolve) => pending.set(JSON.stringify(message.id), resolve));
      child.stdin.write(`${JSON.stringify(message)}\n`);
      return within(T, answer, `raw ${message.method} (id ${JSON.stringify(message.id)}): ${JSON.stringify(message)}`);
    },
    async close() {
      child.stdin.end();
      return within(T, exited, 'raw session exit');
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
