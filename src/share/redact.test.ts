import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACT_OPTIONS, REDACTED, redactInputs, type RedactOptions } from './redact.ts';
import { isSecretKey } from './secrets.ts';

const SECRETS_ONLY: RedactOptions = { secrets: true, hosts: false, ips: false, users: false };

function redactLine(line: string, options: RedactOptions = SECRETS_ONLY): string {
  return redactInputs([{ name: 'ps.txt', text: line }], options).inputs[0].text;
}

describe('secrets in command lines', () => {
  it('redacts --password=v but keeps --password-file path (the path is not the secret)', () => {
    expect(redactLine('app --password=hunter2 --password-file /etc/app/pw'))
      .toBe(`app --password=${REDACTED} --password-file /etc/app/pw`);
  });

  it('redacts the word after a dashed flag: --db-password hunter2', () => {
    expect(redactLine('app --db-password hunter2 --port 5432')).toBe(`app --db-password ${REDACTED} --port 5432`);
  });

  it('leaves the next flag alone when a password flag has no value (mysql --password prompts)', () => {
    expect(redactLine('mysql --password -h db1')).toBe('mysql --password -h db1');
  });

  it('redacts KEY=v environment assignments, any case and prefix', () => {
    expect(redactLine('MYSQL_ROOT_PASSWORD=s3cr3t DB_PASS=x1 clientSecret=abc GITHUB_TOKEN=ghp_abc PATH=/usr/bin'))
      .toBe(`MYSQL_ROOT_PASSWORD=${REDACTED} DB_PASS=${REDACTED} clientSecret=${REDACTED} GITHUB_TOKEN=${REDACTED} PATH=/usr/bin`);
  });

  it('keeps PWD=/root: the working directory is not a password', () => {
    expect(redactLine('PWD=/root OLDPWD=/home')).toBe('PWD=/root OLDPWD=/home');
  });

  it('does not take bypass, oauth or max-tokens for secrets', () => {
    for (const k of ['bypass', 'oauth', 'compass', '--max-tokens', '--authorization-mode', '--token-auth-file']) {
      expect(isSecretKey(k), k).toBe(false);
    }
    for (const k of ['--pass', 'DB_PASS', 'dbPass', '--auth', 'x-api-key', 'aws_secret_access_key', 'requirepass', '-Djavax.net.ssl.keyStorePassword']) {
      expect(isSecretKey(k), k).toBe(true);
    }
  });

  it('redacts java -D properties ending in Password', () => {
    expect(redactLine('java -Djavax.net.ssl.keyStorePassword=changeit -jar app.jar'))
      .toBe(`java -Djavax.net.ssl.keyStorePassword=${REDACTED} -jar app.jar`);
  });

  it('redacts inside quotes and JSON, keeping the quotes', () => {
    expect(redactLine(`node -e {"password": "p a s s", "user": "x"}`)).toBe(`node -e {"password": "${REDACTED}", "user": "x"}`);
    expect(redactLine(`sh -c export TOKEN='abc def'; run`)).toBe(`sh -c export TOKEN='${REDACTED}'; run`);
  });

  it('redacts to the end of the line when a quoted secret is left open (prefer redaction to disclosure)', () => {
    expect(redactLine(`sh -c PASSWORD="abc def ghi`)).toBe(`sh -c PASSWORD="${REDACTED}`);
  });

  it('redacts mysql -pSECRET, sshpass -p, redis-cli -a and curl -u user:pass', () => {
    expect(redactLine('mysql -uroot -pS3cret -h db')).toBe(`mysql -uroot -p${REDACTED} -h db`);
    expect(redactLine('sshpass -p S3cret ssh host')).toBe(`sshpass -p ${REDACTED} ssh host`);
    expect(redactLine('redis-cli -a S3cret -p 6379 ping')).toBe(`redis-cli -a ${REDACTED} -p 6379 ping`);
    expect(redactLine('curl -u admin:S3cret https://x/')).toBe(`curl -u admin:${REDACTED} https://x/`);
  });

  it('keeps -p of tools where it is a port or a flag (sshd -p2222, mkdir -p)', () => {
    expect(redactLine('/usr/sbin/sshd -D -p2222')).toBe('/usr/sbin/sshd -D -p2222');
    expect(redactLine('mkdir -p /run/x')).toBe('mkdir -p /run/x');
  });

  it('redacts Authorization headers, Bearer tokens, JWTs and AWS key ids', () => {
    expect(redactLine('curl -H Authorization: Bearer abc.def-ghi https://api/')).toBe(`curl -H Authorization: Bearer ${REDACTED} https://api/`);
    expect(redactLine('curl -H Authorization: Basic dXNlcjpwYXNz x')).toBe(`curl -H Authorization: Basic ${REDACTED} x`);
    expect(redactLine('agent --header=Authorization:token ghp_123')).toBe(`agent --header=Authorization:token ${REDACTED}`);
    expect(redactLine('worker eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl --v')).toBe(`worker ${REDACTED} --v`);
    expect(redactLine('env AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE x ASIAABCDEFGHIJKLMNOP')).toBe(`env AWS_ACCESS_KEY_ID=${REDACTED} x ${REDACTED}`);
  });

  it('redacts the password of scheme://user:pass@host and a lone token as user', () => {
    expect(redactLine('app --db=postgres://app:hunter2@db:5432/x')).toBe(`app --db=postgres://app:${REDACTED}@db:5432/x`);
    expect(redactLine('git clone https://ghp_abc123@github.com/o/r')).toBe(`git clone https://${REDACTED}@github.com/o/r`);
    expect(redactLine('curl https://example.com/a@b')).toBe('curl https://example.com/a@b');
  });

  it('redacts the body of a private key block line by line and keeps the line count', () => {
    const text = ['before', '-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA', 'abcdef', '-----END RSA PRIVATE KEY-----', 'after'].join('\n');
    const out = redactLine(text).split('\n');
    expect(out).toEqual(['before', '-----BEGIN RSA PRIVATE KEY-----', REDACTED, REDACTED, '-----END RSA PRIVATE KEY-----', 'after']);
  });

  it('redacts a key block that never ends to the end of the input', () => {
    const out = redactLine('x -----BEGIN PRIVATE KEY-----MIIE\nabc\ndef').split('\n');
    expect(out).toEqual([`x -----BEGIN PRIVATE KEY-----${REDACTED}`, REDACTED, REDACTED]);
  });

  it('redacts a key block inlined in one line', () => {
    expect(redactLine('KEY=-----BEGIN EC PRIVATE KEY-----MHcCAQEE-----END EC PRIVATE KEY----- next'))
      .toBe(`KEY=-----BEGIN EC PRIVATE KEY-----${REDACTED}-----END EC PRIVATE KEY----- next`);
  });

  it('is idempotent: redacting a redacted text changes nothing', () => {
    const once = redactLine('app --password=x TOKEN=y postgres://a:b@h/ Bearer zzz', DEFAULT_REDACT_OPTIONS);
    const again = redactInputs([{ name: 'x', text: once }], SECRETS_ONLY);
    expect(again.inputs[0].text).toBe(once);
    expect(again.changes).toHaveLength(0);
  });

  it('never puts whitespace into a replaced value', () => {
    const r = redactInputs([{ name: 'x', text: 'a PASSWORD="with spaces in it" b' }], SECRETS_ONLY);
    for (const c of r.changes) expect(r.inputs[0].text.slice(c.start, c.end)).not.toMatch(/\s/);
  });
});

const PS_AUX = [
  'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND',
  'root           1  0.0  0.1 167744 11520 ?        Ss   Mar03   0:05 /sbin/init',
  'alice       4242  0.0  0.0  12345  1234 pts/0    S+   10:00   0:00 ssh alice@db1.prod.acme.com',
  'postgres    4243  0.0  0.0  12345  1234 ?        Ss   10:00   0:00 postgres: app 10.1.2.3(5432) idle',
  'alexand+    4244  0.0  0.0  12345  1234 ?        S    10:00   0:00 /home/alice/bin/job --peer 10.1.2.3 --peer6 fe80::1ff:fe23:4567:890a',
].join('\n');

describe('pseudonyms', () => {
  it('gives the same name the same pseudonym everywhere in one share, across inputs', () => {
    const r = redactInputs([{ name: 'ps.txt', text: PS_AUX }, { name: 'dmesg', text: 'Mar  3 10:00:01 web-7 kernel: peer 10.1.2.3 alice' }]);
    const [ps, dmesg] = r.inputs.map((i) => i.text.split('\n'));
    expect(ps[2]).toMatch(/^user-1 +4242 .* ssh user-1@host-\d+$/);
    expect(ps[3]).toContain('ip-1(5432)');
    expect(ps[4]).toContain('/home/user-1/bin/job --peer ip-1 --peer6 ip-2');
    expect(dmesg[0]).toMatch(/^Mar {2}3 10:00:01 host-\d+ kernel: peer ip-1 user-1$/);
  });

  it('keeps root, service accounts and truncated system names (systemd+): they are the diagnosis', () => {
    const text = 'USER PID COMMAND\nroot 1 init\npostgres 2 pg\nsystemd+ 3 resolved\nmessage+ 4 dbus';
    expect(redactLine(text, DEFAULT_REDACT_OPTIONS)).toBe(text);
  });

  it('pseudonymises a truncated personal name in the USER column as one token', () => {
    const out = redactLine(PS_AUX, DEFAULT_REDACT_OPTIONS).split('\n')[4];
    expect(out.split(/\s+/)[0]).toMatch(/^user-\d+$/);
  });

  it('keeps the columns after a pseudonym where they were (padding absorbs the length change)', () => {
    const out = redactLine(PS_AUX, DEFAULT_REDACT_OPTIONS).split('\n');
    const orig = PS_AUX.split('\n');
    for (let i = 0; i < orig.length; i++) expect(out[i].indexOf(' 0.0 ') === orig[i].indexOf(' 0.0 ') || i === 0).toBe(true);
  });

  it('does not take TIME columns, MAC addresses, versions or loopback for addresses', () => {
    const line = 'x 10:00:01 00:1a:2b:3c:4d:5e v1.2.3.4.5 127.0.0.1 0.0.0.0 ::1 [::]:80';
    expect(redactLine(line, { secrets: false, hosts: false, ips: true, users: false })).toBe(line);
  });

  it('takes hosts from prompts, syslog, uname and URLs, and FQDNs with a known suffix', () => {
    const text = [
      '[root@node-7 ~]# ps aux',
      'Linux node-7 5.15.0-91-generic #101-Ubuntu SMP x86_64 GNU/Linux',
      'app --api=https://kube-api:6443 --zone api.svc.cluster.local',
      'java org.apache.catalina.startup.Bootstrap app.py',
    ].join('\n');
    const out = redactLine(text, { secrets: false, hosts: true, ips: false, users: false }).split('\n');
    expect(out[0]).toBe('[root@host-1 ~]# ps aux');
    expect(out[1]).toMatch(/^Linux host-1 5\.15/);
    expect(out[2]).toMatch(/^app --api=https:\/\/host-\d:6443 --zone host-\d$/);
    expect(out[3]).toBe('java org.apache.catalina.startup.Bootstrap app.py');
  });

  it('keeps public infrastructure domains (containerd -namespace k8s.io, registry.k8s.io) but not a customer bucket', () => {
    const line = 'containerd-shim-runc-v2 -namespace k8s.io --image registry.k8s.io/pause:3.9 s3://x https://acme-logs.s3.amazonaws.com/a';
    expect(redactLine(line, { secrets: false, hosts: true, ips: false, users: false }))
      .toBe('containerd-shim-runc-v2 -namespace k8s.io --image registry.k8s.io/pause:3.9 s3://x https://host-1/a');
  });

  it('switches each category off on its own', () => {
    const text = 'alice 1 app --password=x 10.0.0.9 https://db.example.com/';
    const header = 'USER PID COMMAND\n';
    const none = redactInputs([{ name: 'x', text: header + text }], { secrets: false, hosts: false, ips: false, users: false });
    expect(none.inputs[0].text).toBe(header + text);
    expect(none.changes).toHaveLength(0);
    const onlyIps = redactInputs([{ name: 'x', text: header + text }], { secrets: false, hosts: false, ips: true, users: false });
    expect(onlyIps.inputs[0].text).toBe(header + 'alice 1 app --password=x ip-1 https://db.example.com/');
    expect(onlyIps.counts).toEqual({ secrets: 0, hosts: 0, ips: 1, users: 0 });
  });
});

describe('the change list', () => {
  it('points at the replaced spans in the redacted text, with input, line and category', () => {
    const r = redactInputs([{ name: 'a', text: 'ok' }, { name: 'b', text: 'x\napp --token=abc 10.2.3.4' }]);
    expect(r.changes.map((c) => [c.input, c.line, c.category, r.inputs[c.inputIndex].text.split('\n')[c.line - 1].slice(c.start, c.end)]))
      .toEqual([['b', 2, 'secrets', REDACTED], ['b', 2, 'ips', 'ip-1']]);
  });

  it('holds no secret value', () => {
    const r = redactInputs([{ name: 'a', text: 'app --password=hunter2' }]);
    expect(JSON.stringify(r.changes)).not.toContain('hunter2');
    expect(r.inputs[0].text).not.toContain('hunter2');
  });
});

describe('properties', () => {
  it('keeps the line count and never leaks a generated secret value', async () => {
    const fc = await import('fast-check');
    const word = fc.stringMatching(/^[A-Za-z0-9_./:-]{1,12}$/);
    const secret = fc.stringMatching(/^[A-Za-z0-9]{8,16}$/).map((s) => `Zq${s}`);
    const form = fc.constantFrom('--password=%', '--api-key %', 'DB_TOKEN=%', 'Authorization: Bearer %', 'mysql -p%', 'https://u:%@h/');
    fc.assert(fc.property(fc.array(fc.tuple(fc.array(word, { maxLength: 6 }), form, secret), { minLength: 1, maxLength: 8 }), (rows) => {
      const lines = rows.map(([words, f, s]) => [...words, f.replace('%', s)].join(' '));
      const out = redactInputs([{ name: 'p', text: lines.join('\n') }]).inputs[0].text;
      expect(out.split('\n')).toHaveLength(lines.length);
      for (const [, , s] of rows) expect(out).not.toContain(s);
    }), { numRuns: 300 });
  });
});

describe('truncated user names', () => {
  it('gives a ps-truncated user (averyve+) and its full name in a command line the same pseudonym', () => {
    const text = [
      'USER         PID COMMAND',
      'root          16 runuser -u averyverylongusername -- sleep 100004',
      'averyve+      23 sleep 100004',
    ].join('\n');
    const out = redactLine(text, DEFAULT_REDACT_OPTIONS).split('\n');
    expect(out[1]).toBe('root          16 runuser -u user-1 -- sleep 100004');
    expect(out[2]).toBe('user-1        23 sleep 100004');
  });
});

describe('raw /proc and terminal captures', () => {
  it('redacts NUL-separated /proc/PID/cmdline arguments one by one', () => {
    const line = '/proc/19/cmdline:/usr/local/bin/app-server\0serve\0--password=hunter2\0--api-key=AKIAFAKEFAKEFAKE1234\0--db=postgres://app:s3cret@db:5432/x\0';
    expect(redactLine(line)).toBe(`/proc/19/cmdline:/usr/local/bin/app-server\0serve\0--password=${REDACTED}\0--api-key=${REDACTED}\0--db=postgres://app:${REDACTED}@db:5432/x\0`);
  });

  it('ends a USER column table at the first line without a PID, and reads prompts through colour codes', () => {
    const text = [
      '\x1b[01;31mroot@vm\x1b[00m:~# top -b -n1',
      '    PID USER      PR  NI S COMMAND',
      '     23 alice     20   0 S sleep',
      '\x1b[?2004l\rexit\r',
    ].join('\n');
    const out = redactLine(text, DEFAULT_REDACT_OPTIONS).split('\n');
    expect(out[0]).toBe('\x1b[01;31mroot@host-1\x1b[00m:~# top -b -n1');
    expect(out[2]).toBe('     23 user-1    20   0 S sleep');
    expect(out[3]).toBe('\x1b[?2004l\rexit\r');
  });
});
