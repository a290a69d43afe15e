// Consistent pseudonyms for host names, IP addresses and user names (sos clean's mapping files,
// kept in memory for one share): the same name always becomes the same `host-1`, `ip-1`,
// `user-1` across every input of the share, so "the same host" still reads as the same host.
// Names are learned first from places that say what they are (the USER column of a ps/top
// header, a syslog host field, a shell prompt, `uname -a`, a URL), then replaced wherever they
// appear as a whole token.
import type { LineEdits, RedactCategory } from './edits.ts';

type PseudoCategory = Exclude<RedactCategory, 'secrets'>;

const PREFIX: Record<PseudoCategory, string> = { hosts: 'host', ips: 'ip', users: 'user' };

export class Pseudonyms {
  private readonly maps: Record<PseudoCategory, Map<string, string>> = {
    hosts: new Map(), ips: new Map(), users: new Map(),
  };

  get(category: PseudoCategory, original: string): string {
    const key = category === 'users' ? original : original.toLowerCase();
    const map = this.maps[category];
    let p = map.get(key);
    if (p === undefined) {
      p = `${PREFIX[category]}-${map.size + 1}`;
      map.set(key, p);
    }
    return p;
  }

  size(category: PseudoCategory): number {
    return this.maps[category].size;
  }
}

// Accounts that name a service or the system, not a person: kept, because "runs as root" or
// "runs as postgres" is part of the diagnosis. Truncated ps forms (`systemd+`, `message+`) too.
const SYSTEM_USERS = new Set(`root daemon bin sys sync games man lp mail news uucp proxy www-data www
backup list irc gnats nobody nogroup nfsnobody messagebus syslog _apt uuidd tcpdump sshd polkitd rtkit
avahi avahi-autoipd colord chrony chronyd ntp dbus postfix postgres mysql redis nginx apache httpd memcache
memcached rabbitmq mongodb mongod elasticsearch kibana grafana prometheus node_exporter nagios zabbix haproxy
named bind dnsmasq libvirt-qemu libvirt-dnsmasq qemu libstoragemgmt rpc rpcuser ceph etcd kube docker containerd
tss sssd geoclue pulse gdm lightdm usbmux kernoops saned whoopsie hplip cups-pk-helper speech-dispatcher
fwupd-refresh landscape pollinate lxd unbound clickhouse cassandra zookeeper kafka hdfs yarn hadoop jenkins
gitlab-runner git tomcat jetty solr couchdb influxdb telegraf td-agent fluentd filebeat logstash vault consul
nomad dnsmasq ftp operator adm halt shutdown reboot input render kvm video audio netdev cups lp tape
dhcpcd openldap ldap squid varnish smmsp exim Debian-exim Debian-snmp snmp mosquitto minio opensearch
nslcd ntpd oracle grid mssql tor i2p clamav amavis dovecot dovenull vmail opendkim spamd nscd`.split(/\s+/));

export function isSystemUser(name: string): boolean {
  if (SYSTEM_USERS.has(name) || name.startsWith('systemd-') || name.startsWith('_')) return true;
  if (name.endsWith('+')) {
    // ps cuts names longer than 8 to 7 characters and `+`: `systemd+` is systemd-timesync.
    const prefix = name.slice(0, -1);
    if (prefix.startsWith('systemd') || prefix.startsWith('_')) return true;
    for (const u of SYSTEM_USERS) if (u.startsWith(prefix)) return true;
  }
  return false;
}

// A user name as ps/top print it: `alice`, `svc_app`, `alexand+` (truncated).
const USER_TOKEN = /^[A-Za-z_][A-Za-z0-9_.-]*\+?$/;
// Never take a state column value or a TTY for a name, whatever the header said.
const NOT_A_NAME = /^(?:[DRSTtZXIWP][<NLslW+]*|pts|tty\w*|\?|-)$/;

export function acceptUser(name: string): boolean {
  return name.length >= 2 && USER_TOKEN.test(name) && !NOT_A_NAME.test(name) && !isSystemUser(name);
}

// Public infrastructure names say nothing about the host and some carry meaning for the
// diagnosis: containerd's `-namespace k8s.io`, `registry.k8s.io/pause`, `pool.ntp.org`. Their
// subdomains too. Cloud provider domains are not here: `bucket.s3.amazonaws.com` names a customer.
const PUBLIC_DOMAINS = ['k8s.io', 'kubernetes.io', 'docker.io', 'docker.com', 'ntp.org', 'debian.org', 'ubuntu.com',
  'fedoraproject.org', 'centos.org', 'redhat.com', 'github.com', 'githubusercontent.com', 'gitlab.com', 'quay.io',
  'gcr.io', 'ghcr.io', 'golang.org', 'python.org', 'pypi.org', 'npmjs.org', 'npmjs.com', 'example.com', 'example.org',
  'example.net', 'kernel.org', 'letsencrypt.org', 'mozilla.org', 'google.com', 'cloudflare.com'];

export function isPublicDomain(name: string): boolean {
  const l = name.toLowerCase();
  return PUBLIC_DOMAINS.some((d) => l === d || l.endsWith(`.${d}`));
}

const NOT_HOSTS = new Set(['localhost', 'localhost.localdomain', 'localdomain', '(none)', 'none', 'kernel', 'linux']);

export function acceptHost(name: string): boolean {
  const l = name.toLowerCase();
  return name.length >= 2 && /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(name) && /[A-Za-z]/.test(name)
    && !NOT_HOSTS.has(l) && !/^localhost\b/.test(l) && !IPV4_EXACT.test(name) && !isPublicDomain(l);
}

// Header words that name the user column: `ps aux` USER, `ps -ef` UID (names, not numbers),
// `ps -o ruser,euser`, busybox `PID USER TIME COMMAND`, top `PID USER PR NI …`.
const USER_HEADERS = new Set(['USER', 'UID', 'RUSER', 'EUSER', 'SUSER', 'FUSER', 'UNAME', 'OWNER', 'LOGIN']);

// `Mar  3 10:00:01 node-7 kernel: INFO: task …` and `2024-03-03T10:00:01.123+00:00 node-7 kernel: …`
const SYSLOG_HOST = /^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?) (\S+) \S+?(?:\[\d+\])?:/;
// `[root@n1 ~]# ps aux`, `alice@web-3:~$ top -b -n1`.
const PROMPT = /^\s*\[?([a-z_][a-z0-9_-]*)@([A-Za-z0-9][\w.-]*)[\s:\]][^#$]*[#$]/;
// `Linux node-7 5.15.0-91-generic #101-Ubuntu SMP …`
const UNAME = /^Linux (\S+) \d+\.\d+/;
// `sshd: alice@pts/0`, `sshd: alice [priv]`, `sshd-session: alice [net]`.
const SSHD_USER = /\bsshd(?:-session)?: ([A-Za-z_][\w.-]*)(?:@| \[)/g;
const HOME_USER = /\/home\/([A-Za-z_][\w.-]*)/g;
// `runuser -u averyverylongusername -- sleep`, `sudo -u alice cmd`, `su - alice`.
const SWITCH_USER = /\b(?:runuser|sudo|doas)(?:\s+-[^\su]\S*)*\s+-u\s*([A-Za-z_][\w.-]*)|\bsu\s+(?:-l?\s+|--login\s+)?([A-Za-z_][\w.-]*)/g;
// `--hostname-override=node-7`, `--node-name node-7`, `--hostname=db1`.
const HOST_FLAG = /--(?:hostname-override|hostname|node-name|nodename)(?:=|[ \t]+)([A-Za-z0-9][\w.-]*)/g;
const URL_HOST = /\b[a-z][a-z0-9+.-]*:\/\/(?:[^\s/@<>"']+@)?([A-Za-z0-9][A-Za-z0-9.-]*)/gi;
// A bundle section `===== procscope host =====` whose next line is the host name.
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
const BUNDLE_HOST = /^===== procscope (?:host|hostname|nodename) =====\s*$/;

const SWITCH_HINT = /\b(?:runuser|sudo|doas|su)\b/;

/** The n-th whitespace-separated token of a trimmed line, without splitting the whole line. */
function token(s: string, n: number): string {
  let i = 0;
  for (let k = 0; ; k++) {
    const start = i;
    while (i < s.length && s.charCodeAt(i) > 32) i++;
    if (k === n) return s.slice(start, i);
    while (i < s.length && s.charCodeAt(i) <= 32) i++;
    if (i >= s.length) return '';
  }
}

export interface Learned {
  users: Set<string>;
  hosts: Set<string>;
}

/** Reads every input once for the names to replace. */
export function learnNames(texts: readonly string[]): Learned {
  const users = new Set<string>();
  const hosts = new Set<string>();
  // A USER column repeats a handful of names a million times: decide each name once.
  const seen = new Map<string, boolean>();
  const addUser = (u: string | undefined) => {
    if (!u) return;
    let ok = seen.get(u);
    if (ok === undefined) { ok = acceptUser(u); seen.set(u, ok); }
    if (ok) users.add(u);
  };
  const addHost = (h: string | undefined) => { if (h && acceptHost(h)) hosts.add(h); };
  for (const text of texts) {
    const lines = text.split('\n');
    let userCol = -1;
    let pidCol = -1;
    let hostNext = false;
    for (let i = 0; i < lines.length; i++) {
      // Colour codes around a prompt (`\x1b[01;31mroot@vm\x1b[00m:~# exit` in a `script` typescript).
      const line = lines[i].includes('\x1b') ? lines[i].replace(ANSI, '') : lines[i];
      const trimmed = line.trim();
      if (hostNext && trimmed) { addHost(trimmed.split(/\s+/)[0]); hostNext = false; }
      if (trimmed === '') { userCol = -1; continue; }
      if (BUNDLE_HOST.test(line)) { hostNext = true; continue; }
      const c0 = trimmed.charCodeAt(0);
      // Header: has PID and a user column word.
      if (c0 >= 65 && c0 <= 90 && trimmed.includes('PID')) {
        const cols = trimmed.split(/\s+/);
        if (cols.includes('PID')) {
          const u = cols.findIndex((c) => USER_HEADERS.has(c));
          if (u >= 0) { userCol = u; pidCol = cols.indexOf('PID'); continue; }
        }
      }
      if (userCol >= 0) {
        // A row has a number under PID; anything else ends the table (`exit` after a prompt).
        const pid = token(trimmed, pidCol);
        if (/^\d+$/.test(pid)) addUser(token(trimmed, userCol));
        else userCol = -1;
      }
      if (line.includes(':')) {
        const s = SYSLOG_HOST.exec(line);
        if (s) addHost(s[1]);
        const p = PROMPT.exec(line);
        if (p) { addUser(p[1]); addHost(p[2]); }
        if (line.includes('sshd')) for (const m of line.matchAll(SSHD_USER)) addUser(m[1]);
        if (line.includes('://')) for (const m of line.matchAll(URL_HOST)) addHost(m[1]);
      }
      if (line.startsWith('Linux ')) { const u = UNAME.exec(line); if (u) addHost(u[1]); }
      if (line.includes('/home/')) for (const m of line.matchAll(HOME_USER)) addUser(m[1]);
      if ((line.includes('su') || line.includes('runuser') || line.includes('doas')) && SWITCH_HINT.test(line)) for (const m of line.matchAll(SWITCH_USER)) addUser(m[1] ?? m[2]);
      if (line.includes('--host') || line.includes('--node')) for (const m of line.matchAll(HOST_FLAG)) addHost(m[1]);
    }
  }
  return { users, hosts };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One regex for all learned names, longest first, matching whole tokens only. */
export function namesRegex(names: Iterable<string>, kind: 'users' | 'hosts'): RegExp | null {
  const list = [...names].sort((a, b) => b.length - a.length);
  if (list.length === 0) return null;
  // A ps-truncated user (`averyve+`) also stands for its full name in command lines
  // (`runuser -u averyverylongusername`): match the prefix and any completion.
  const alt = list.map((n) => (kind === 'users' && n.endsWith('+') ? `${escapeRe(n.slice(0, -1))}(?:\\+|[A-Za-z0-9_.-]+)` : escapeRe(n))).join('|');
  // Users: `/home/alice/`, `alice@host`, `(alice)` but not `kafka.Kafka` or `alice-backup`.
  // Hosts: `node-7`, `node-7.prod` (a label), not `xnode-7` or `a.node-7`.
  return kind === 'users'
    ? new RegExp(`(?<![A-Za-z0-9_.+-])(?:${alt})(?![A-Za-z0-9_.+-])`, 'g')
    : new RegExp(`(?<![A-Za-z0-9_.-])(?:${alt})(?![A-Za-z0-9_-])`, 'gi');
}

const IPV4_EXACT = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
// Not inside a longer dotted number (`1.2.3.4.5`, a version) and not glued to letters.
const IPV4 = /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\.?\d|[A-Za-z_])/g;
// Candidates only; isIpv6 decides. `10:00:00` (a TIME column) and MACs never pass.
const IPV6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])/g;

/** Addresses that say nothing about the host: unspecified, loopback, broadcast. */
function boringIp(ip: string): boolean {
  return ip === '0.0.0.0' || ip.startsWith('127.') || ip === '255.255.255.255' || ip.startsWith('255.255.');
}

export function isIpv6(s: string): boolean {
  const colons = s.split(':').length - 1;
  const dbl = s.indexOf('::');
  if (dbl >= 0 ? s.indexOf('::', dbl + 1) >= 0 : colons !== 7) return false;
  if (/:::/.test(s)) return false;
  const groups = s.split(':').filter((g) => g !== '');
  if (groups.length === 0) return false;
  // `::1`, `::` loopback/unspecified say nothing.
  if (s === '::1' || s === '::') return false;
  // A time like `1::2`? Needs at least one group of 3+ chars or a hex letter to be an address.
  return groups.some((g) => g.length >= 3 || /[a-fA-F]/.test(g));
}

// FQDNs ending in a common or internal suffix: `db1.prod.example.com`, `api.svc.cluster.local`.
// Java packages (`org.apache.Foo`) and files (`app.py`, `run.sh`) do not end in one of these.
const TLDS = 'com|net|org|io|dev|cloud|co|us|uk|de|fr|nl|eu|ru|cn|jp|in|br|au|ca|ch|info|biz|internal|local|lan|corp|intra|intranet|home';
const FQDN = new RegExp(`(?<![\\w.\\-/])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:${TLDS})(?![\\w-])`, 'gi');
// Cheap test first (a literal dot, then a suffix): the full pattern tries every position.
const FQDN_HINT = new RegExp(`[a-z0-9]\\.(?:${TLDS})(?![\\w-])`, 'i');
// `10.1.2.3`: a digit, then three more dotted groups.
const IPV4_HINT = /\d\.\d{1,3}\.\d{1,3}\.\d/;

export interface PseudoFinders {
  users: RegExp | null;
  /** Truncated user names without their `+` (`averyve`): a full name starting so shares its pseudonym. */
  truncated: string[];
  hosts: RegExp | null;
  ips: boolean;
  fqdn: boolean;
}

/** Proposes pseudonym edits for one line, after the secret edits (which win on overlap). */
export function findPseudonyms(line: string, f: PseudoFinders, p: Pseudonyms, edits: LineEdits): void {
  if (f.ips && (line.includes('.') || line.includes(':'))) {
    if (IPV4_HINT.test(line)) {
      IPV4.lastIndex = 0;
      for (const m of line.matchAll(IPV4)) {
        if (boringIp(m[0])) continue;
        edits.add(m.index, m.index + m[0].length, p.get('ips', m[0]), 'ips', 'ipv4');
      }
    }
    if (line.includes('::') || line.split(':').length >= 8) {
      for (const m of line.matchAll(IPV6)) {
        if (!isIpv6(m[0])) continue;
        edits.add(m.index, m.index + m[0].length, p.get('ips', m[0]), 'ips', 'ipv6');
      }
    }
  }
  if (f.fqdn && FQDN_HINT.test(line)) {
    for (const m of line.matchAll(FQDN)) {
      if (!acceptHost(m[0])) continue;
      edits.add(m.index, m.index + m[0].length, p.get('hosts', m[0]), 'hosts', 'host');
    }
  }
  if (f.hosts) {
    for (const m of line.matchAll(f.hosts)) {
      edits.add(m.index, m.index + m[0].length, p.get('hosts', m[0]), 'hosts', 'host');
    }
  }
  if (f.users) {
    for (const m of line.matchAll(f.users)) {
      let key = m[0];
      for (const t of f.truncated) if (key.startsWith(t)) { key = `${t}+`; break; }
      edits.add(m.index, m.index + m[0].length, p.get('users', key), 'users', 'user');
    }
  }
}
