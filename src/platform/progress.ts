// Progress on a TTY only (docs/architecture.md#how-a-command-flows): bytes, rate and
// elapsed time redrawn at most 10 times a second; nothing at all when stderr is a pipe or a file.
import type { Output } from "./output.ts";

export interface Progress {
  /** `note` is shown after the figures, e.g. "12/512 files". */
  update: (bytes: number, total?: number, note?: string) => void;
  done: () => void;
}

export function progressReporter(output: Output, label: string, now: () => number = () => performance.now()): Progress {
  if (!output.interactive) return { update: () => {}, done: () => {} };
  const started = now();
  let last = 0;
  let drawn = false;
  return {
    update(bytes, total, note) {
      const t = now();
      if (t - last < 100) return;
      last = t;
      drawn = true;
      const rate = bytes / Math.max(0.001, (t - started) / 1000);
      const of = total ? ` of ${mib(total)} (${Math.floor((100 * bytes) / total)}%)` : "";
      const eta = total && rate > 0 ? `, ${Math.ceil((total - bytes) / rate)} s left` : "";
      output.status(`\rglacier: ${label}: ${mib(bytes)}${of} at ${mib(rate)}/s${eta}${note ? `, ${note}` : ""}\x1b[K`);
    },
    done() {
      if (drawn) output.status("\r\x1b[K");
    },
  };
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;
