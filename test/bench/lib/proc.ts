import { readdirSync, readFileSync } from 'node:fs';

/** `/proc/<pid>/stat` fields after the command name, which may itself hold spaces and parentheses. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Children of `pid`, from /proc (no process names involved). */
export function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return Number(statFields(Number(d))[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** `pid` and every process below it. */
function treeOf(pid: number): number[] {
  return [pid, ...childrenOf(pid).flatMap(treeOf)];
}

/** Clock ticks per second of utime/stime in /proc (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/**
 * CPU time (user + system, ms) used so far by `pid` and the processes below it (a WORKERS=N
 * primary and its workers), every thread included; 10 ms resolution.
 */
export function cpuMsOfTree(pid: number): number {
  let ticks = 0;
  for (const p of treeOf(pid)) {
    try {
      const fields = statFields(p);
      // utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3 (state).
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // A process that exited between the listing and the read used nothing more.
    }
  }
  return (ticks * 1000) / USER_HZ;
}
