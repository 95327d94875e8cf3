// Shared helpers for the interop scripts: assertions that name what failed, numbered steps, a
// temporary database made with `dbmcp init --demo`, the server's stderr kept for the failure
// report, and a hard deadline for the whole script.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';

export class CheckError extends Error {}

// Throws a CheckError with `message` (and `detail` pretty-printed) unless `condition` holds.
export function check(condition, message, detail) {
  if (!condition) {
    const extra = detail === undefined ? '' : `\n  got: ${show(detail)}`;
    throw new CheckError(`${message}${extra}`);
  }
}

export function show(value) {
  return inspect(value, { depth: 8, breakLength: 120, maxStringLength: 2000, maxArrayLength: 20 });
}

// Parses the usage line: <script> <dbmcp binary> [--timeout SECONDS] [--keep] [--mysql]
// --mysql: the demo database is a database of its own on the MySQL/MariaDB server of
// $DBMCP_TEST_MYSQL_URL (scripts/with-mariadb.sh), created for the run and dropped after it.
export function parseArgs(argv, script) {
  const args = argv.slice(2);
  const binary = args[0];
  if (!binary || binary.startsWith('-')) {
    console.error(`usage: node ${script} <path to dbmcp> [--timeout SECONDS] [--keep] [--mysql]`);
    process.exit(2);
  }
  if (!fs.existsSync(binary)) {
    console.error(`${script}: dbmcp binary not found at ${binary}`);
    process.exit(2);
  }
  let timeout = 180;
  let keep = false;
  let mysql = null;
  for (let i = 1; i < args.length; ++i) {
    if (args[i] === '--timeout') timeout = Number(args[++i]);
    else if (args[i] === '--keep') keep = true;
    else if (args[i] === '--mysql') {
      mysql = process.env.DBMCP_TEST_MYSQL_URL;
      if (!mysql) {
        console.error(`${script}: --mysql needs DBMCP_TEST_MYSQL_URL (run under scripts/with-mariadb.sh)`);
        process.exit(2);
      }
    }
    else {
      console.error(`${script}: unknown argument ${args[i]}`);
      process.exit(2);
    }
  }
  return { binary: path.resolve(binary), timeout, keep, mysql };
}

// Keeps the last `limit` characters a stream wrote (the server's stderr).
export class Tail {
  constructor(limit = 8000) {
    this.limit = limit;
    this.text = '';
  }
  attach(stream) {
    if (!stream) return;
    stream.setEncoding?.('utf8');
    stream.on('data', (chunk) => {
      this.text = (this.text + chunk).slice(-this.limit);
    });
  }
}

// Runs one script: `body(ctx)` gets {binary, dir, db, step, stderr}. Any exception, and the
// deadline, print what failed and exit 1; `cleanup` (e.g. closing the client) runs either way.
export async function runScript(script, argv, body) {
  const { binary, timeout, keep, mysql } = parseArgs(argv, script);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbmcp-interop-'));
  let db = path.join(dir, 'interop.db');
  const stderr = new Tail();
  const cleanups = [];
  if (mysql) {
    // A database of its own on the server: the other MariaDB tests share it.
    const name = `interop_${script.replace(/\W/g, '_')}_${process.pid}`;
    const admin = (sql) => runSchema(binary, mysql, path.join(dir, 'admin.sql'), sql, []);
    admin(`DROP DATABASE IF EXISTS ${name}; CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
    db = `${mysql.slice(0, mysql.lastIndexOf('/') + 1)}${name}`;
    cleanups.push(() => admin(`DROP DATABASE IF EXISTS ${name}`));
  }
  let current = '(start)';
  let stepNo = 0;

  let failing = false;
  const fail = async (what) => {
    if (failing) return new Promise(() => {}); // the first failure reports and exits
    failing = true;
    console.error(`\nFAIL ${script} at step "${current}": ${what}`);
    if (stderr.text.trim()) {
      console.error(`--- dbmcp stderr (last ${stderr.limit} chars) ---\n${stderr.text}\n--- end of stderr ---`);
    }
    for (const fn of cleanups.reverse()) {
      await Promise.race([Promise.resolve().then(fn).catch(() => {}), sleep(2000)]);
    }
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    else console.error(`kept ${dir}`);
    process.exit(1);
  };

  const deadline = setTimeout(() => {
    fail(`overall timeout of ${timeout}s exceeded (the server did not answer?)`);
  }, timeout * 1000);
  deadline.unref();

  const step = async (name, fn) => {
    current = name;
    stepNo += 1;
    const started = Date.now();
    const value = await fn();
    console.log(`ok ${stepNo} - ${name} (${Date.now() - started} ms)`);
    return value;
  };

  try {
    await body({ binary, dir, db, step, stderr, onCleanup: (fn) => cleanups.push(fn) });
  } catch (error) {
    const text = error instanceof CheckError ? error.message : error?.stack ?? show(error);
    await fail(text);
  }
  for (const fn of cleanups.reverse()) {
    await Promise.race([Promise.resolve().then(fn).catch(() => {}), sleep(5000)]);
  }
  clearTimeout(deadline);
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  console.log(`PASS ${script}: ${stepNo} steps`);
  process.exit(0);
}

// `dbmcp --db <db> init --demo`, synchronously; throws with its output when it fails.
export function initDemo(binary, db) {
  const run = spawnSync(binary, ['--db', db, 'init', '--demo'], { encoding: 'utf8', timeout: 60_000 });
  check(
    run.status === 0,
    `"${binary} --db ${db} init --demo" failed (status ${run.status}, signal ${run.signal}, error ${run.error})`,
    { stdout: run.stdout, stderr: run.stderr },
  );
}

// `dbmcp --db <db> --create init --schema <file>` with `sql` as the file, synchronously.
export function initSchema(binary, db, sql) {
  runSchema(binary, db, `${db}.sql`, sql, ['--create']);
}

// `dbmcp --db <db> [flags] init --schema <file>` with `sql` written to `file`, synchronously.
function runSchema(binary, db, file, sql, flags) {
  fs.writeFileSync(file, sql);
  const run = spawnSync(binary, ['--db', db, ...flags, 'init', '--schema', file], { encoding: 'utf8', timeout: 60_000 });
  check(run.status === 0, `"${binary} --db ${db} init --schema ${file}" failed (status ${run.status})`, {
    stdout: run.stdout,
    stderr: run.stderr,
  });
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Rejects with a clear message when `promise` takes longer than `ms`.
export function within(ms, promise, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new CheckError(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]);
}

// The parsed JSON of content[0].text, which mirrors structuredContent.
export function textJson(result) {
  const first = result?.content?.[0];
  check(first && first.type === 'text' && typeof first.text === 'string', 'content[0] is a text block', result);
  try {
    return JSON.parse(first.text);
  } catch {
    return undefined;
  }
}

// Rows of `n` users with unique emails: {name, email}. The cancel steps send 300000 (about 11 MB):
// the million-row cancel is tests/e2e/protocol.cpp's, because after a cancel the server frees the
// request before it exits (0.7 s for a million rows, ~4 s under ThreadSanitizer) and the SDKs'
// close() kills a server that has not exited 2 s after its input closed.
export function userRows(n, tag) {
  const rows = new Array(n);
  for (let i = 0; i < n; ++i) rows[i] = { name: `${tag}${i}`, email: `${tag}${i}@x` };
  return rows;
}

export const EXPECTED_TOOLS = [
  'list_tables',
  'describe_table',
  'get_record',
  'list_records',
  'search_records',
  'count_records',
  'aggregate_records',
  'insert_record',
  'insert_records',
  'update_record',
  'update_records',
  'delete_record',
  'delete_records',
  'database_diagnostics',
];

export const DEMO_TABLES = ['users', 'posts', 'products', 'tasks'];

// The client errors that are not the server's fault: the SDK's "progress notification for an
// unknown token" when, on the wire (`received`, from tapTransport), that notification came before
// the response to its request (the SDK dispatches notifications a microtask later than responses,
// so a progress line read in the same chunk as its response finds its token already forgotten),
// or when its request was cancelled (`cancelledTokens`: progress the server sent before it read
// the cancel). Returns the errors left.
export function protocolErrors(clientErrors, received, cancelledTokens) {
  const position = (predicate) => received.findIndex((r) => predicate(r.message));
  return clientErrors.filter((e) => {
    const text = /progress notification for an unknown token: (\{.*\})/.exec(e)?.[1];
    if (!text) return true;
    const notification = JSON.parse(text);
    const token = notification.params?.progressToken;
    if (cancelledTokens.has(token)) return false;
    const sent = position((m) => m.method === 'notifications/progress' && m.params?.progressToken === token &&
      m.params?.progress === notification.params?.progress);
    const answered = position((m) => !m.method && m.id === Number(token));
    return !(sent !== -1 && answered !== -1 && sent < answered);
  });
}

// Records what goes over an SDK StdioClientTransport (1.x or 2.x): `sent` and `received` hold
// {at, message}. Hooks the transport's own ReadBuffer and send(), so the SDK sees no difference.
export function tapTransport(transport) {
  const sent = [];
  const received = [];
  const buffer = transport._readBuffer;
  check(buffer && typeof buffer.readMessage === 'function', 'the SDK stdio transport has its ReadBuffer');
  const readMessage = buffer.readMessage.bind(buffer);
  buffer.readMessage = () => {
    const message = readMessage();
    if (message !== null) received.push({ at: Date.now(), message });
    return message;
  };
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    sent.push({ at: Date.now(), message });
    return send(message, options);
  };
  return { sent, received };
}
