// Lines that end any section: a collector bundle marker, or a shell prompt with an echoed command.
// Every parser stops at isBoundary(line) so one paste can hold many captures.

/** The collector's section marker: `===== procscope ps =====` (see public/collect.sh). */
export const BUNDLE_MARKER = /^===== procscope ([\w.-]+) =====\s*$/;
/** First line of a collector bundle: `procscope-bundle 1`. */
export const BUNDLE_HEADER = /^procscope-bundle (\d+)\s*$/;

// `$ ps aux`, `# ps aux`, `root@node-1:~# ps -eLf`, `[root@node-1 ~]# ps aux | grep fsck`,
// `/ # ps` (busybox sh), `bash-5.1$ top -b -n1`, `~/src ❯ pstree -p`.
const PROMPT = /^\s*(?:\[[^\]\n]{1,80}\]\s?|[\w.-]+@[\w.-]+(?::\S*)?\s?|[~/][^\s#$%]*\s|bash-[\d.]+|sh-[\d.]+)?(?:[#$%❯»]|>>>)\s+([A-Za-z_./][\w./-]*(?:\s.*)?)$/;
const COMMAND_WORDS = /^(?:sudo|ps|top|htop|pstree|cat|grep|egrep|head|tail|for|while|busybox|dmesg|journalctl|echo|ls|find|awk|sed|sort|uniq|wc|timeout|uptime|free|vmstat|kubectl|docker|crictl|nsenter|ssh|sh|bash|cut|xargs|strace|pidstat|iostat|mpstat|bash|watch|less|more|procscope|npx|collect\.sh|\.\/collect\.sh|uname|hostname|date|nproc|sysctl|tr|env|column|pgrep|pidof)$/;

/** The command of a prompt line (`ps -eLf` for `[root@n1 ~]# ps -eLf`), or undefined. */
export function promptCommand(line: string): string | undefined {
  if (line.length > 400 || !/[#$%❯»>]/.test(line)) return undefined;
  const m = PROMPT.exec(line);
  if (!m) return undefined;
  const cmd = m[1].trim();
  const first = cmd.split(/\s+/, 1)[0].replace(/^.*\//, '');
  return COMMAND_WORDS.test(first) ? cmd : undefined;
}

export function isBoundary(line: string): boolean {
  const c = line.charCodeAt(0);
  // Fast path: data rows start with a space, a digit or a letter other than prompt shapes.
  if (c === 61 /* = */ && BUNDLE_MARKER.test(line)) return true;
  if (c === 112 /* p */ && BUNDLE_HEADER.test(line)) return true;
  return promptCommand(line) !== undefined;
}
