// Every input format, one file each. The driver asks each in turn (sniff) and lets the most
// confident one parse; on a tie the earlier entry wins, so specific formats come first.
import type { FormatParser } from '../types.ts';
import { bundleMeta } from './bundle-meta.ts';
import { kernelLog } from './kernel-log.ts';
import { top } from './top.ts';
import { busyboxTop } from './busybox-top.ts';
import { busyboxPs } from './busybox-ps.ts';
import { psTable } from './ps-table.ts';
import { pstree } from './pstree.ts';
import { procStatus } from './proc-status.ts';
import { procStat } from './proc-stat.ts';
import { procWchan } from './proc-wchan.ts';
import { procStack } from './proc-stack.ts';
import { procCmdline } from './proc-cmdline.ts';
import { loadavg } from './loadavg.ts';
import { procStatGlobal } from './proc-stat-global.ts';

export const FORMAT_PARSERS: readonly FormatParser[] = [
  bundleMeta, kernelLog, top, busyboxTop, busyboxPs, psTable, pstree,
  procStatus, procStat, procWchan, procStack, procCmdline, loadavg, procStatGlobal,
];
